"""Errors and JSON bodies as the Ziett API answers them.

:class:`ApiError` carries a documented error (status, code, message, fields,
headers); the facade turns it into the error object. Request bodies are read
here, and checked against the same :class:`~ziett._validation.Rule` objects the
SDK validates with (``ziett._constraints``), worded like the API's own answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, TypeAlias

import httpx

from ziett._validation import Rule, type_mismatches

JSON: TypeAlias = dict[str, Any]
_TYPE_NAMES: Final = {"array": "list", "object": "object"}


class ApiError(Exception):
    """An error answered with the documented error object."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        service: str = "core",
        fields: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """
        :param status: the HTTP status.
        :param code: the error code (e.g. ``VALIDATION_ERROR``).
        :param message: the human-readable message.
        :param service: the service that answers (``core``, ``billing``, ``sandbox``).
        :param fields: per-field messages (422s).
        :param headers: extra response headers (``Retry-After``, ``Allow``).
        """
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.service = service
        self.fields: dict[str, str] = dict(fields or {})
        self.headers: dict[str, str] = dict(headers or {})


def validation_error(fields: Mapping[str, str], *, service: str = "core") -> ApiError:
    """A 422 VALIDATION_ERROR naming ``fields``.

    :param fields: ``{field path: message}``.
    :param service: the answering service.
    """
    message = "One or more fields failed validation."
    return ApiError(422, "VALIDATION_ERROR", message, service=service, fields=fields)


def not_found(what: str, ident: str) -> ApiError:
    """A 404 NOT_FOUND for the ``what`` (e.g. "Message") with id ``ident``.

    :param what: the kind of record.
    :param ident: the id asked for.
    """
    return ApiError(404, "NOT_FOUND", f"{what} {ident!r} was not found.")


def json_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    """An ``application/json`` response.

    :param status: the HTTP status.
    :param body: a JSON-ready body.
    :param headers: extra headers.
    """
    return httpx.Response(status, json=body, headers=headers)


def json_object(request: httpx.Request, *, service: str = "core") -> JSON:
    """The request's JSON object body, or a 422 naming ``body``.

    :param request: the request to read.
    :param service: the service named by the 422.
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and media_type != "application/json" and not media_type.endswith("+json"):
        raise validation_error(
            {"body": "Expected Content-Type: application/json."}, service=service
        )
    try:
        payload = json.loads(request.content)
    except ValueError as exc:
        raise validation_error({"body": f"Invalid JSON: {exc}."}, service=service) from None
    if not isinstance(payload, dict):
        raise validation_error({"body": "Input should be a JSON object."}, service=service)
    return payload


def body_problems(rule: Rule, payload: Mapping[str, Any]) -> dict[str, str]:
    """Every field of ``payload`` that breaks the documented limits, as ``{field: message}``.

    :param rule: the body's rule (e.g. ``ziett._constraints.SEND_MESSAGE``).
    :param payload: the parsed JSON body.
    """
    found = rule.object_problems(payload)
    for key, sub_rule in rule.properties.items():
        if key in payload:
            for path, json_type in type_mismatches(sub_rule, payload[key], key).items():
                found[path] = f"Input should be a valid {_TYPE_NAMES.get(json_type, json_type)}."
    return found
