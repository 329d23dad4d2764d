"""Pure retry decisions: is this failure worth another attempt, and after how long?

Nothing here sleeps or sends (``ziett._transport`` asks and acts). Reads retry 408, 429,
5xx and transport errors; sends, which cost money, only what surely was not acted on (a
429, a connection never opened) unless the client's ``ambiguous_sends`` says otherwise.
Backoff is exponential with full jitter; ``Retry-After`` is honoured up to a cap.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import NamedTuple

import httpx

from ziett._errors import parse_retry_after

RETRYABLE_READ_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# The request never reached the server: safe to repeat even for a send.
_NOT_SENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.LocalProtocolError,  # refused by our own HTTP layer before anything was written
    httpx.UnsupportedProtocol,
)
# Retrying cannot help: the request itself is wrong.
_PERMANENT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)


class RetryPolicy(NamedTuple):
    """How many times, and how patiently, a failed request is tried again.

    Written here rather than taken from stamina or tenacity: the policy is a few lines,
    it needs the response (``Retry-After``) to decide, and it must not sleep itself.
    """

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    max_retry_after: float = 60.0
    retry_ambiguous_sends: bool = False
    jitter: Callable[[float, float], float] = random.uniform
    """Draws the wait between its two bounds (tests pass a fixed one)."""

    def backoff(self, retry_number: int) -> float:
        """Full-jitter exponential wait before retry ``retry_number`` (0-based)."""
        return self.jitter(0.0, min(self.backoff_cap, self.backoff_base * 2**retry_number))

    def wait_after_response(
        self, response: httpx.Response, retry_number: int, sends_message: bool
    ) -> float | None:
        """Seconds to wait before trying again, or None to stop here."""
        status = response.status_code
        if retry_number >= self.max_retries:
            return None
        if sends_message and status != 429 and not self.retry_ambiguous_sends:
            return None
        if status not in RETRYABLE_READ_STATUSES:
            return None
        hint = parse_retry_after(response)
        if hint is None:
            return self.backoff(retry_number)
        return hint if hint <= self.max_retry_after else None

    def wait_after_error(
        self, error: httpx.TransportError, retry_number: int, sends_message: bool
    ) -> float | None:
        """Seconds to wait before trying again after a transport error, or None."""
        if retry_number >= self.max_retries or isinstance(error, _PERMANENT_ERRORS):
            return None
        if sends_message and not self.retry_ambiguous_sends and not never_sent(error):
            return None
        return self.backoff(retry_number)


def never_sent(error: httpx.TransportError) -> bool:
    """True when the request surely never reached the server."""
    return isinstance(error, _NOT_SENT_ERRORS)
