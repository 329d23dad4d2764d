"""``with_raw_response``: the HTTP answer of a successful call, and its model on demand.

The convention of the Stainless-generated SDKs (openai's, anthropic's): every
method of ``client.messages.with_raw_response`` (and ``campaigns``) takes the same
arguments as the plain method and returns a :class:`RawResponse`, whose
``parse()`` gives what the plain method would have returned. Errors are raised
exactly as by the plain method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")
_UNSET = object()

__all__ = ["RawResponse"]


class RawResponse(Generic[T]):
    """A successful call's HTTP response: status, headers, and the parsed model on demand."""

    __slots__ = ("_parse", "_parsed", "http_response")

    def __init__(self, http_response: httpx.Response, parse: Callable[[httpx.Response], T]) -> None:
        self.http_response: httpx.Response = http_response
        """The ``httpx.Response`` itself (its request, timing, raw body)."""
        self._parse = parse
        self._parsed: object = _UNSET

    @property
    def status_code(self) -> int:
        """The HTTP status (200, 202, ...)."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive): trace ids, rate-limit headers, ``Date``."""
        return self.http_response.headers

    def parse(self) -> T:
        """The model the plain method returns (parsed once, then cached)."""
        if self._parsed is _UNSET:
            self._parsed = self._parse(self.http_response)
        parsed: T = self._parsed  # type: ignore[assignment]
        return parsed

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<RawResponse [{self.status_code}] {request.method} {request.url.path}>"
