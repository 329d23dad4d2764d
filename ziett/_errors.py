"""The exception tree, and the one mapping from an HTTP answer to an exception.

``ZiettError`` is the root of everything the SDK raises on purpose:

- ``APIError``: the API answered with an error status; subclasses by status.
- ``APIConnectionError``: no usable answer (DNS, refused, reset, dropped);
  ``APITimeoutError`` is the timeout case.
- ``ValidationError`` is also raised *before* a request, by the client-side
  checks of the documented limits, with ``status_code`` None.
- ``WaitTimeoutError`` (also a ``TimeoutError``): a wait helper gave up waiting
  for a status; ``.last`` is the last object seen.

Every error raised by a call that sends messages says whether the request may
have been acted on (``may_have_been_sent``), so callers branch without parsing
text; advice for a person (what to check before sending again) is a PEP 678
note (``add_note``), shown with the traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "InsufficientFundsError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ValidationError",
    "WaitTimeoutError",
    "ZiettError",
    "error_from_response",
    "parse_retry_after",
]

_MAX_BODY_IN_MESSAGE = 200


class ZiettError(Exception):
    """Root of every error the SDK raises on purpose.

    ``may_have_been_sent`` is True when the error comes from a call that sends
    messages and the server may have acted on it (a dropped connection after the
    request was written, a timeout, a 5xx): check before sending again. False
    when nothing was sent (a client-side check, a 4xx, a connection never opened).
    """

    may_have_been_sent: bool = False


class APIError(ZiettError):
    """The API answered with an error status (or a client-side check failed first)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        trace_id: str | None = None,
        fields: Mapping[str, str] | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.trace_id = trace_id
        self.fields: dict[str, str] = dict(fields or {})
        self.response = response

    def __str__(self) -> str:
        head = " ".join(str(part) for part in (self.status_code, self.code) if part is not None)
        text = f"{head}: {self.message}" if head else self.message
        if self.trace_id:
            text += f" (trace_id={self.trace_id})"
        if self.fields:
            text += "; fields: " + "; ".join(f"{k}: {v}" for k, v in self.fields.items())
        return text


class AuthenticationError(APIError):
    """401: the API key is missing, malformed or revoked."""


class InsufficientFundsError(APIError):
    """402: the balance is below the cost; nothing was sent."""


class PermissionDeniedError(APIError):
    """403: the API key lacks the scope the operation needs."""


class NotFoundError(APIError):
    """404: no such message or campaign."""


class ValidationError(APIError):
    """422 (or 400), or a documented limit broken before sending; see ``fields``."""


class RateLimitError(APIError):
    """429: a rate limit was reached; ``retry_after`` is the server's hint in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIError):
    """5xx: an error on Ziett's side (or a gateway in front of it)."""


class APIConnectionError(ZiettError):
    """No usable answer arrived: connection refused, reset or dropped."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request (or the whole call's deadline) timed out."""


class WaitTimeoutError(ZiettError, TimeoutError):
    """A wait helper's ``timeout`` passed before the outcome it waited for.

    Nothing failed on the wire: the message or campaign simply had not reached
    the awaited status yet. ``last`` is the last object seen (a ``Message``, a
    ``Campaign``, or for ``wait_many`` the list of messages in the order of the
    ids; None when no poll answered before the timeout).
    """

    def __init__(self, message: str, *, last: Any = None) -> None:
        super().__init__(message)
        self.last = last


_BY_STATUS: dict[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    402: InsufficientFundsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitError,
}


def _error_class(status: int) -> type[APIError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIError)


def _body_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_from_response(response: httpx.Response) -> APIError:
    """The exception for an error response; never fails on a non-JSON body."""
    body = _body_object(response)
    message = body.get("message")
    if not isinstance(message, str) or not message:
        text = response.text.strip()[:_MAX_BODY_IN_MESSAGE]
        message = text or response.reason_phrase or "HTTP error"
    fields = body.get("fields")
    kwargs: dict[str, Any] = {
        "status_code": response.status_code,
        "code": body.get("code") if isinstance(body.get("code"), str) else None,
        "trace_id": body.get("trace_id") if isinstance(body.get("trace_id"), str) else None,
        "fields": {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else None,
        "response": response,
    }
    cls = _error_class(response.status_code)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=parse_retry_after(response), **kwargs)
    return cls(message, **kwargs)


def parse_retry_after(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": a UTC time by RFC 5322
        when = when.replace(tzinfo=UTC)
    date = response.headers.get("date")
    try:
        now = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError):
        now = None
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if now is None:
        now = datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
