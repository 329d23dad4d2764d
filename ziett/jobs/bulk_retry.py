"""When ``send_bulk`` tries a chunk again: the client's retry policy and the rule for a failure.

:class:`ClientRetry` hands a job plan the client's ``RetryPolicy``;
:func:`wait_before_retry` turns one failed attempt of a chunk into a wait or a stop.
Also :class:`Collect`, the step that reads the caller's recipients (sync or async).
May touch the call policy (``ziett._transport``, ``ziett._retry``) and the error
tree; nothing that sends.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import Any

from ziett._errors import (
    APIError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitError,
    ZiettError,
)
from ziett._retry import RetryPolicy
from ziett._transport import Blocking, Link, Step

__all__ = ["DEFAULT_RETRIES", "ClientRetry", "Collect", "wait_before_retry"]

DEFAULT_RETRIES = 3
"""Attempts after the first that one chunk gets, unless the call says otherwise."""


class Collect(Blocking[list[Any]]):
    """Every item of an iterable (in a worker thread in async code) or an async iterable."""

    __slots__ = ("rows",)

    def __init__(self, rows: Iterable[Any] | AsyncIterable[Any]) -> None:
        self.rows: Iterable[Any] | AsyncIterable[Any] = rows
        super().__init__(self._collect)

    def _collect(self) -> list[Any]:
        if not isinstance(self.rows, Iterable):
            raise ZiettError(
                "recipients is an async iterable: use AsyncZiett (await "
                "client.campaigns.send_bulk(...)), or pass a plain iterable."
            )
        return list(self.rows)

    async def run_async(self, link: Link) -> list[Any]:
        rows = self.rows
        if isinstance(rows, AsyncIterable):
            return [row async for row in rows]
        return await super().run_async(link)


class ClientRetry(Step):
    """The client's ``RetryPolicy``: the job waits by its rules (backoff, ``max_retry_after``)."""

    __slots__ = ()

    def run_sync(self, link: Link) -> RetryPolicy:
        return link.settings.retry

    async def run_async(self, link: Link) -> RetryPolicy:
        return link.settings.retry


def wait_before_retry(
    error: ZiettError, failures: int, retries: int, policy: RetryPolicy
) -> float | None:
    """Seconds before the next attempt of a chunk, or None to stop the job.

    Args:
        error: What the last attempt raised.
        failures: How many attempts of this chunk have failed, the last one included.
        retries: How many attempts after the first the job allows a chunk.
        policy: The client's: its backoff, and its ``max_retry_after`` (a 429 asking
            for longer stops the job, as it stops any other call).
    """
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return None
    if failures > retries:
        return None
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        if error.retry_after > policy.max_retry_after:
            error.add_note(
                f"The server asked to wait {error.retry_after:g} s (Retry-After), longer "
                f"than the client's max_retry_after ({policy.max_retry_after:g} s)."
            )
            return None
        return error.retry_after
    status = error.status_code if isinstance(error, APIError) else None
    if status is not None and status < 500 and status not in (408, 429):
        return None  # 402, 404...: trying again cannot help
    return policy.backoff(failures - 1)  # the client's backoff (full jitter)
