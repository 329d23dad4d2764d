"""Contains some shared types for properties"""

from collections.abc import MutableMapping
from http import HTTPStatus
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

T = TypeVar("T")


def status_code_of(code: int) -> HTTPStatus | int:
    """HTTPStatus for a registered code, the bare int for any other (e.g. 520)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


class RequestSpec(NamedTuple):
    """One request, ready for httpx: what the ziett layer sends."""

    route: str
    """"METHOD /path/template" as in openapi.yaml, e.g. "GET /c/v1/messages/{message_id}"."""
    method: str
    """The HTTP method, upper case: "GET"."""
    url: str
    """The path with its parameters filled in (quoted), e.g. "/c/v1/messages/abc"."""
    params: dict[str, Any] | None
    """The query parameters (lists for exploded arrays); None when there are none."""
    json: Any
    """The JSON body (plain dicts and lists); None without a body."""


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "UNSET",
    "RequestSpec",
    "Response",
    "Unset",
    "status_code_of",
]
