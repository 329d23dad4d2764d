"""What a client hands the call policy: its settings, its attempt hooks, its reconciler.

Plain data and two small protocols, so that the policy (``ziett._transport``) and the
steps (``ziett._steps``) need nothing from the clients or the jobs above them. Imports
only httpx, the retry policy and the throttle protocol.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import httpx

from ziett._errors import InvalidRequestError
from ziett._retry import RetryPolicy
from ziett._throttle import Throttle

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The largest response body a client reads unless told otherwise (32 MiB)."""


def check_max_response_bytes(value: object) -> int:
    """``max_response_bytes`` as given to a client, checked: a whole number of bytes >= 1.

    Raises:
        TypeError: ``value`` is not an int.
        InvalidRequestError: ``value`` is below 1.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_response_bytes must be an int, not {type(value).__name__}")
    if value < 1:
        problem = (
            f"Must be at least 1 (got {value}); the default is {DEFAULT_MAX_RESPONSE_BYTES:,}."
        )
        raise InvalidRequestError(
            f"max_response_bytes: {problem}", fields={"max_response_bytes": problem}
        )
    return value


class Attempt(NamedTuple):
    """What an attempt hook is told after each attempt of a call.

    ``number`` counts from 1; ``status_code`` is the answer's status (None when
    no answer came), ``error`` the transport error (None with an answer);
    ``wait`` the seconds before the next attempt (None: no further attempt);
    ``elapsed`` the seconds the attempt took; ``may_have_been_sent`` whether a
    sending call may have been acted on by this attempt.
    """

    method: str
    route: str
    number: int
    status_code: int | None
    error: BaseException | None
    wait: float | None
    elapsed: float
    may_have_been_sent: bool


AttemptHook = Callable[[Attempt], None]

Finder = Callable[[Any, Any], Generator[Any, Any, Any]]
"""A send's lookup (``Operation.reconcile``): (earliest server time, the ids already
claimed) -> a plan returning the send's result found on the server, or None."""


class Settler(Protocol):
    """What the policy needs to settle a send whose outcome is unknown.

    ``ziett.jobs.reconcile.Reconciler`` is the one implementation; the policy only
    tells it about attempts and asks it to look.
    """

    settle_delay: float
    """Seconds waited after an ambiguous attempt before looking."""

    def began(self) -> Any:
        """A mark of when an attempt begins (handed back to :meth:`settle`)."""
        ...

    def observe(self, outcome: httpx.Response | BaseException, sends_message: bool) -> None:
        """Learn from an attempt's outcome (the server's clock, the ids it returned)."""
        ...

    def settle(self, route: str, find: Finder, began: Any) -> Generator[Any, Any, Any]:
        """A plan: wait, then look with ``find``; the send's result, or None."""
        ...


class CallSettings(NamedTuple):
    """What a client contributes to every call (set once, at construction)."""

    base_url: str
    headers: Mapping[str, str]
    timeout: httpx.Timeout | None
    retry: RetryPolicy
    throttle_for: Callable[[str], Throttle | None]
    hooks: Sequence[AttemptHook] = ()
    clock: Callable[[], float] = time.monotonic
    reconciler: Settler | None = None
    """Set when the client's ``ambiguous_sends`` is "reconcile" (``ziett.jobs.reconcile``)."""
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    """The largest response body read; a longer one is refused while it streams."""
    deadline: float | None = None
    """Seconds for a whole call when the call gives no ``deadline`` of its own."""

    def __repr__(self) -> str:  # the headers hold the API key: never show them
        return f"CallSettings(base_url={self.base_url!r}, timeout={self.timeout!r}, ...)"
