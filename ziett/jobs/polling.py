"""The pieces every wait is made of: the poll schedule, the wait's budget, one poll, one pause.

Plans of ``ziett._transport`` (they yield ``Call``, ``Sleep`` and ``Now``), shared by
the wait helpers of ``ziett.jobs.lifecycle`` and the report of ``ziett.jobs.report``.
A wait's ``timeout`` is the whole wait: every read gets the time left as its
deadline, and the last poll is made early enough for its answer to arrive in time.
May import the call policy, the argument checks and the generated models.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Final, NamedTuple, TypeVar

import httpx

from ziett import _constraints as limits
from ziett._arguments import Problems, enum_values
from ziett._errors import APIResponseValidationError, APITimeoutError, WaitTimeoutError
from ziett._transport import Call, Now, Operation, Plan, Sleep
from ziett_client.models import Message, MessagePage, MessageStatus

T = TypeVar("T")

MESSAGE_FINAL: Final = limits.MESSAGE_STATUS_FINAL
"""The statuses a message never leaves (from the spec's ``x-ziett-final``)."""
CAMPAIGN_FINAL: Final = limits.CAMPAIGN_STATUS_FINAL
"""The statuses a campaign never leaves (from the spec's ``x-ziett-final``)."""
LAST_POLL_SECONDS: Final = 2.0
"""How long before a wait's end its last poll is made (at most half the time left)."""
PAGE_SIZE: Final = 200
"""Listing polls read the largest page the API allows."""
OVERLAP: Final = timedelta(seconds=5)
"""How far below its cursor a listing poll re-reads (rows written late, equal times)."""


class PollSchedule:
    """Adaptive poll intervals: start at ``initial``, back off without change, reset on one.

    ``next(changed)`` is the wait before the next poll: ``initial`` after the first
    poll or one that saw a change, else the previous interval times ``factor``,
    capped at ``cap``; then jittered into ``[(1 - spread) * interval, interval]``
    by ``jitter(low, high)`` (``random.uniform`` unless a test passes its own).
    """

    def __init__(
        self,
        initial: float = 1.0,
        cap: float = 30.0,
        *,
        factor: float = 1.5,
        spread: float = 0.2,
        jitter: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.initial = initial
        self.cap: float = max(cap, initial)
        self.factor = factor
        self.spread = spread
        self.jitter = jitter
        self._interval: float | None = None

    def next(self, changed: bool) -> float:
        """Seconds to wait before the next poll, after a poll that saw ``changed``."""
        if self._interval is None or changed:
            self._interval = self.initial
        else:
            self._interval = min(self.cap, self._interval * self.factor)
        return self.jitter(self._interval * (1 - self.spread), self._interval)


class Budget(NamedTuple):
    """A wait's end on the client's clock, and the retries of each of its reads."""

    end: float
    max_retries: int | None = None

    def options(self, now: float) -> dict[str, Any]:
        """A read's keyword arguments: the client's timeouts, the time left as deadline."""
        return {"max_retries": self.max_retries, "deadline": max(self.end - now, 0.001)}


def budget_from_now(timeout: float, max_retries: int | None = None) -> Plan[Budget]:
    """A wait's budget: ``timeout`` seconds from now on the client's clock."""
    now: float = yield Now()
    return Budget(now + timeout, max_retries)


# --- argument checks --------------------------------------------------------------------------


def seconds(name: str, value: object, problems: Problems) -> float:
    """A positive, finite number of seconds (a problem otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
        problems[name] = f"Must be a positive number of seconds (got {value!r})."
        return 1.0
    return float(value)


def retries(value: object, problems: Problems) -> int | None:
    """The reads' ``max_retries``: None (the client's) or an integer >= 0."""
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        problems["max_retries"] = f"Must be an integer >= 0 (got {value!r})."
        return None
    return value


def schedule(poll_interval: object, max_poll_interval: object, problems: Problems) -> PollSchedule:
    """The schedule of a wait's polls, its two intervals checked."""
    return PollSchedule(
        seconds("poll_interval", poll_interval, problems),
        seconds("max_poll_interval", max_poll_interval, problems),
    )


def until_statuses(until: object, problems: Problems) -> frozenset[str]:
    """The statuses a message wait ends on (any case); default: the final ones."""
    if until is None:
        return MESSAGE_FINAL
    chosen = enum_values("until", until, MessageStatus, limits.MESSAGE_STATUS_VALUES, problems)
    if not chosen and "until" not in problems:
        problems["until"] = "Must name at least one status (or be None: a final status)."
    return frozenset(str(status) for status in chosen)


# --- steps of the plans --------------------------------------------------------------------------


def call(op: Operation[T]) -> Plan[T]:
    """Run one API call (its whole policy) and return its parsed result."""
    result: T = yield Call(op)
    return result


def moment(value: datetime) -> datetime:
    """An aware datetime (a naive one from the server is read as UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def status_of(model: Any, operation: str) -> str:
    """A polled object's status as text; a status that cannot be read is a typed error.

    A status the SDK does not know is returned as it came (it is not final: the
    wait goes on); a missing or null one cannot be waited on.
    """
    try:
        status = model.status
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _no_status(operation, repr(exc)) from exc
    if status is None:
        raise _no_status(operation, "null")
    return str(status)


def _no_status(operation: str, got: str) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{operation}: the answer has no readable status (got {got}); the wait cannot go on.",
        operation=operation,
        path="status",
        expected="one of the documented statuses",
        got=got,
    )


def read(plan: Plan[T], end: float, timed_out: Callable[[], WaitTimeoutError]) -> Plan[T]:
    """Run one read of a wait; a timeout at (or caused by) the wait's end is the wait's.

    An attempt that timed out on the client's HTTP timeout before the wait's end,
    its retries spent, is the read's failure and raised as it is.
    """
    try:
        return (yield from plan)
    except APITimeoutError as error:
        now: float = yield Now()
        attempt_timed_out = isinstance(error.__cause__, httpx.TimeoutException)
        if now >= end or not attempt_timed_out:
            raise timed_out() from error
        raise


def pause(
    poll: PollSchedule, changed: bool, end: float, timed_out: Callable[[], WaitTimeoutError]
) -> Plan[bool]:
    """Sleep until the next poll; True when that poll is the wait's last.

    Raises the wait's timeout when its end has passed. A poll that would come at
    or after the end is moved before it, by up to :data:`LAST_POLL_SECONDS`.
    """
    now: float = yield Now()
    left = end - now
    if left <= 0:
        raise timed_out()
    wait = poll.next(changed)
    last = wait >= left
    if last:
        wait = left - min(LAST_POLL_SECONDS, left / 2)
    yield Sleep(wait)
    return last


def wait_for(
    fetch: Callable[[dict[str, Any]], Operation[T]],
    budget: Budget,
    updated_of: Callable[[T], datetime],
    finished: Callable[[str], bool],
    poll: PollSchedule,
    describe: Callable[[T | None], str],
    on_change: Callable[[T], object] | None = None,
) -> Plan[T]:
    """Poll one object (``fetch(read_options)``) until ``finished`` says its status is."""
    last: T | None = None
    previous: tuple[str, datetime] | None = None
    final_poll = False

    def timed_out() -> WaitTimeoutError:
        return WaitTimeoutError(describe(last), last=last)

    while True:
        now: float = yield Now()
        if now >= budget.end:
            raise timed_out()
        op = fetch(budget.options(now))
        current = yield from read(call(op), budget.end, timed_out)
        last = current
        seen = (status_of(current, op.route), updated_of(current))
        changed = seen != previous
        previous = seen
        if changed and on_change is not None:
            on_change(current)
        if finished(seen[0]):
            return current
        if final_poll:
            raise timed_out()
        final_poll = yield from pause(poll, changed, budget.end, timed_out)


def settled(status: str, until: frozenset[str]) -> bool:
    """Whether a message in ``status`` ends a wait for ``until`` (a final status always does)."""
    return status in until or status in MESSAGE_FINAL


def newer(latest: dict[str, Message], message: Message) -> bool:
    """Keep ``message`` unless a newer copy is known; True when it changed what is known."""
    old = latest.get(message.id)
    if old is not None and moment(old.updated_at) > moment(message.updated_at):
        return False
    latest[message.id] = message
    return old is None or old.status != message.status or old.updated_at != message.updated_at


def last_page(page: MessagePage, floor: datetime | None) -> bool:
    """No page after this one, or this one already reached what was seen before."""
    entries = page.entries
    if not entries or page.page >= page.pages:
        return True
    return floor is not None and moment(entries[-1].updated_at) < floor
