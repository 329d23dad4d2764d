"""What comes back over the wire, made safe to hand out: bodies within their cap, no secrets.

A response body longer than the client's ``max_response_bytes`` is refused while it
streams (never held whole). A request, once sent, has its credentials masked in
place: it is the one the SDK hands out (on errors, raw responses, attempt hooks).
Imports only httpx, the error tree and ``masked`` from the settings.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from ziett._config import masked
from ziett._errors import APIResponseValidationError

SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie"})
"""Headers whose values are credentials: shown masked, never whole."""

_SECRET_RAW = frozenset(name.encode() for name in SECRET_HEADERS)
_DROPPED_WHEN_DECODED = frozenset({"content-encoding", "content-length"})


def conceal(request: httpx.Request) -> None:
    """Mask the credentials of a request that was sent, in place (it is what gets handed out).

    The response's ``.request`` and an httpx error's ``.request`` are this object; the
    policy builds a new request for any further attempt.
    """
    headers = request.headers
    for key, value in headers.raw:  # one pass; usually a single secret to mask
        if key.lower() in _SECRET_RAW:
            headers[key.decode("latin-1")] = masked(value.decode("latin-1"))


def declared_length(response: httpx.Response) -> int | None:
    """The body's length when its headers bound it (a plain body with a Content-Length).

    httpx then reads exactly that many bytes (the HTTP framing bounds them); None for
    a compressed or chunked body, whose decoded length is known only once read.
    """
    headers = response.headers
    length = headers.get("content-length")
    if length is None or "content-encoding" in headers or not length.isdigit():
        return None
    return int(length)


def too_large(response: httpx.Response, route: str, limit: int) -> APIResponseValidationError:
    """The error for a body past ``limit`` (the response keeps its status and headers)."""
    return APIResponseValidationError(
        f"{route}: the response body is larger than {limit:,} bytes (max_response_bytes); "
        "it was not read. Raise the client's max_response_bytes to accept larger bodies.",
        operation=route,
        expected=f"a body of at most {limit:,} bytes",
        got=f"more than {limit:,} bytes",
        response=response,
    )


class Body:
    """A body read chunk by chunk, refused as soon as it grows past its limit."""

    __slots__ = ("_chunks", "_limit", "_route", "_size")

    def __init__(self, route: str, limit: int) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._route = route
        self._limit = limit

    def add(self, chunk: bytes, response: httpx.Response) -> None:
        """Keep ``chunk``, or raise the too-large error when the body passes the limit."""
        self._size += len(chunk)
        if self._size > self._limit:
            raise too_large(response, self._route, self._limit)
        self._chunks.append(chunk)

    def response(self, streamed: httpx.Response) -> httpx.Response:
        """The answer with its (decoded) body read: what the policy and the user see."""
        headers: Iterable[tuple[str, str]] = (
            (name, value)
            for name, value in streamed.headers.multi_items()
            if name.lower() not in _DROPPED_WHEN_DECODED
        )
        return httpx.Response(
            streamed.status_code,
            headers=list(headers),
            content=b"".join(self._chunks),
            request=streamed.request,
            extensions=streamed.extensions,
        )
