"""``messages.watch``: each message's status changes, as they happen, as a stream.

A job plan (``ziett._transport``) that lists ``GET /c/v1/messages`` most recently
updated first, paging only down to what the previous poll had seen (a cursor less
``OVERLAP``), and emits each (id, status) once, oldest change first, remembering
the statuses yielded for the most recent ids (bounded memory). Its ``timeout``, if
given, is the whole watch. May import the resources' builders and the polling pieces.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from ziett import _constraints as limits
from ziett._arguments import Problems, aware_datetime, enum_values
from ziett._errors import WaitTimeoutError
from ziett._transport import Emit, Now, Plan, Sleep, Stream
from ziett.jobs.polling import (
    OVERLAP,
    PAGE_SIZE,
    PollSchedule,
    budget_from_now,
    call,
    last_page,
    moment,
    pause,
    read,
    retries,
    schedule,
    seconds,
    status_of,
)
from ziett.resources import messages as _messages
from ziett.resources.messages import MessageStatusName
from ziett_client.models import Message, MessageStatus

__all__ = ["WATCH_MEMORY", "watch"]

WATCH_MEMORY: Final = 100_000
"""How many message ids ``watch`` remembers the yielded statuses of."""


def watch(
    *,
    since: datetime | str | None = None,
    status: MessageStatusName | MessageStatus | Sequence[MessageStatusName | str] | None = None,
    timeout: float | None = None,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    max_retries: int | None = None,
) -> Stream[Message]:
    """Each message created since ``since``, once per status it is seen in, oldest change first.

    Runs until you stop iterating (``break``), or until ``timeout``. Polls the
    listing route (most recently updated first, paging down to what the previous
    poll had seen), so it misses no change however many happened between two
    polls, and never yields the same (id, status) twice. A status a message passed
    through between two polls is not seen. A read that still fails after its
    retries ends the iteration with its error. Requests use the client's HTTP timeout.

    Args:
        since: Only messages created at or after this moment (timezone-aware
            ``datetime`` or ISO 8601 with an offset); default: now.
        status: Only these statuses (one or a list, any case); default: all.
        timeout: Seconds for the whole watch: then ``WaitTimeoutError`` ends the
            iteration (as ``concurrent.futures.as_completed`` does); default: none.
        poll_interval: Seconds between polls after a change (default 1).
        max_poll_interval: The longest wait between two polls while nothing
            changes (default 30).
        max_retries: Retries of each page request (default: the client's).
    """
    problems = Problems()
    start = aware_datetime("since", since, problems) or datetime.now(UTC)
    statuses = enum_values("status", status, MessageStatus, limits.MESSAGE_STATUS_VALUES, problems)
    limit = None if timeout is None else seconds("timeout", timeout, problems)
    poll = schedule(poll_interval, max_poll_interval, problems)
    tries = retries(max_retries, problems)
    problems.raise_if_any()
    filters: dict[str, Any] = {"created_at__ge": start, "order_by": "updated_at", "order": "desc"}
    if statuses:
        filters["status"] = statuses
    return Stream(_watch_plan(filters, poll, limit, tries, WATCH_MEMORY))


def _watch_plan(
    filters: dict[str, Any],
    poll: PollSchedule,
    timeout: float | None,
    max_retries: int | None,
    memory: int,
) -> Plan[None]:
    budget = yield from budget_from_now(float("inf") if timeout is None else timeout, max_retries)
    said: OrderedDict[str, set[str]] = OrderedDict()  # id -> statuses yielded (recent ids)
    last: Message | None = None

    def timed_out() -> WaitTimeoutError:
        return WaitTimeoutError(f"Watched messages for {timeout:g}s.", last=last)

    cursor: datetime | None = None
    final_poll = False
    while True:
        floor = None if cursor is None else cursor - OVERLAP
        fresh: dict[tuple[str, str], Message] = {}
        number = 1
        while True:
            now: float = yield Now()
            if now >= budget.end:
                raise timed_out()
            options: dict[str, Any] = {"max_retries": max_retries}
            if timeout is not None:
                options = budget.options(now)
            listing = _messages.list(page_size=PAGE_SIZE, **filters, **options)
            op = listing.operation_for(number, PAGE_SIZE)
            found = yield from read(call(op), budget.end, timed_out)
            for message in found.entries:
                seen = moment(message.updated_at)
                cursor = seen if cursor is None else max(cursor, seen)
                state = status_of(message, op.route)
                if (floor is not None and seen < floor) or state in said.get(message.id, ()):
                    continue
                key = (message.id, state)
                if key not in fresh or seen > moment(fresh[key].updated_at):
                    fresh[key] = message
            if last_page(found, floor):
                break
            number += 1
        for message in sorted(fresh.values(), key=lambda m: (moment(m.updated_at), m.id)):
            said.setdefault(message.id, set()).add(str(message.status))
            said.move_to_end(message.id)
            while len(said) > memory:
                said.popitem(last=False)
            last = message
            yield Emit(message)
        if final_poll:
            raise timed_out()
        if timeout is None:
            yield Sleep(poll.next(bool(fresh)))
        else:
            final_poll = yield from pause(poll, bool(fresh), budget.end, timed_out)
