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

from ziett._transport import Answer, Reconciled

T = TypeVar("T")
_UNSET = object()

__all__ = ["RawResponse"]


class RawResponse(Generic[T]):
    """A successful call's HTTP response: status, headers, and the parsed model on demand.

    A send whose outcome was unknown and then found on the server by reconciliation
    (``ambiguous_sends="reconcile"``) has no HTTP answer of its own: ``http_response``
    and ``status_code`` are None, ``headers`` empty, and ``parse()`` gives what was found.
    """

    __slots__ = ("_parse", "_parsed", "http_response")

    def __init__(
        self, http_response: httpx.Response | None, parse: Callable[[httpx.Response], T]
    ) -> None:
        """Wrap ``http_response``; ``parse`` turns it into the method's result when asked."""
        self.http_response: httpx.Response | None = http_response
        """The ``httpx.Response`` itself (its request, with the key masked; timing; raw body)."""
        self._parse = parse
        self._parsed: object = _UNSET

    @classmethod
    def of(cls, answer: Answer, parse: Callable[[httpx.Response], T]) -> RawResponse[T]:
        """The raw response of a call's answer (a response, or a reconciled result)."""
        if isinstance(answer, Reconciled):
            raw: RawResponse[T] = cls(None, parse)
            raw._parsed = answer.value
            return raw
        return cls(answer, parse)

    @property
    def status_code(self) -> int | None:
        """The HTTP status (200, 202, ...); None for a result found by reconciliation."""
        return None if self.http_response is None else self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive): trace ids, rate-limit headers, ``Date``."""
        return httpx.Headers() if self.http_response is None else self.http_response.headers

    def parse(self) -> T:
        """The model the plain method returns (parsed once, then cached)."""
        if self._parsed is _UNSET:
            assert self.http_response is not None  # a reconciled result is parsed already
            self._parsed = self._parse(self.http_response)
        parsed: T = self._parsed  # type: ignore[assignment]
        return parsed

    def __repr__(self) -> str:
        if self.http_response is None:
            return "<RawResponse [reconciled]>"
        request = self.http_response.request
        return f"<RawResponse [{self.status_code}] {request.method} {request.url.path}>"
