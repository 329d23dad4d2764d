"""After the 202: waiting for deliveries, watching status changes, a campaign's report.

A 202 means queued, not delivered. These are the polling loops every user of an
SMS API would otherwise write, written once as job plans (``ziett._transport``):
generators that yield ``Call`` (one API read with its whole policy: retries,
pacing by the client's limits), ``Sleep``, ``Now`` (the client's clock) and, for
``watch``, ``Emit``. The same plan runs under the sync and the async driver
(asyncio or trio), cancellation included, and tests step it on a fake clock.

- Final statuses come from the spec (``x-ziett-final`` in openapi.yaml, generated
  into ``ziett._constraints``): DELIVERED, FAILED, UNDELIVERED for messages,
  COMPLETED and FAILED for campaigns. A status the SDK does not know is not final.
- Polling is adaptive (:class:`PollSchedule`): the first wait is ``poll_interval``,
  each poll that saw no change waits ``factor`` times longer up to
  ``max_poll_interval``, each wait is jittered down by up to 20% (many waiters do
  not poll in step), and a change starts over. The wait's ``timeout`` bounds the
  sleeps and each read; the last poll happens at the deadline.
- Many messages cost listing pages, not one retrieve each: ``wait_many`` and
  ``watch`` list ``GET /c/v1/messages`` ordered by ``updated_at`` descending,
  windowed by ``created_at__ge``, and page only down to what they had already
  seen (a cursor on the newest ``updated_at`` read, minus :data:`OVERLAP` for
  rows written late with an earlier time).
- ``watch`` remembers which statuses it yielded for the most recent ids
  (bounded memory), so the overlap never yields an (id, status) twice.
"""

from __future__ import annotations

import builtins
import random
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Final, Literal, NamedTuple, TypeVar
from uuid import UUID

import httpx

from ziett import _constraints as limits
from ziett._arguments import (
    NOT_GIVEN,
    NotGiven,
    Problems,
    aware_datetime,
    call_options,
    enum_values,
    path_id,
)
from ziett._errors import APITimeoutError, WaitTimeoutError
from ziett._transport import Call, Emit, Now, Operation, Plan, Sleep, Stream
from ziett.resources import campaigns as _campaigns
from ziett.resources import messages as _messages
from ziett.resources.messages import MessageStatusName
from ziett_client.models import (
    Campaign,
    Message,
    MessagePage,
    MessageStatus,
    SaveContact,
    SendChannelType,
)

__all__ = [
    "CAMPAIGN_FINAL",
    "MESSAGE_FINAL",
    "OVERLAP",
    "CampaignReport",
    "PollSchedule",
    "campaign_report",
    "send_and_wait",
    "wait_campaign",
    "wait_many",
    "wait_message",
    "watch",
]

T = TypeVar("T")

MESSAGE_FINAL: Final = limits.MESSAGE_STATUS_FINAL
"""The statuses a message never leaves (from the spec's ``x-ziett-final``)."""
CAMPAIGN_FINAL: Final = limits.CAMPAIGN_STATUS_FINAL
"""The statuses a campaign never leaves (from the spec's ``x-ziett-final``)."""
OVERLAP: Final = timedelta(seconds=5)
"""How far below its cursor a listing poll re-reads (rows written late, equal times)."""
LAST_POLL_SECONDS: Final = 5.0
"""The least time a poll's read is given, even at the wait's deadline."""
PAGE_SIZE: Final = 200
"""Listing polls read the largest page the API allows."""
WATCH_MEMORY: Final = 100_000
"""How many message ids ``watch`` remembers the yielded statuses of."""
_FAILURES: Final = MESSAGE_FINAL - {"DELIVERED"}
_WINDOW_MARGIN = timedelta(seconds=1)
_ORDER_BY_CREATED: Final = "created_at"
_ID_CLOCK_MARGIN = timedelta(minutes=5)
"""How much earlier than its UUIDv7 timestamp a message may have been created (clock skew)."""


def _created_since(ids: Iterable[str]) -> datetime | None:
    """The earliest creation a set of UUIDv7 ids allows (their embedded time, less a margin).

    Ziett's ids are UUIDv7, whose first 48 bits are the creation time in milliseconds;
    the first round of ``wait_many`` then lists only messages created since then,
    instead of the organisation's whole history. None when an id is not a UUIDv7: a
    narrower window can only cost a retrieve per id it misses, never a wrong answer.
    """
    earliest: int | None = None
    for identifier in ids:
        try:
            parsed = UUID(identifier)
        except ValueError:
            return None
        if parsed.version != 7:
            return None
        millis = parsed.int >> 80
        earliest = millis if earliest is None else min(earliest, millis)
    if earliest is None:
        return None
    return datetime.fromtimestamp(earliest / 1000, UTC) - _ID_CLOCK_MARGIN


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


class _Reads(NamedTuple):
    """The per-request options of a helper's requests: attempt timeout, retries, deadline."""

    timeout: float | httpx.Timeout | NotGiven | None
    max_retries: int | None
    deadline: float | None = None

    def options(self, budget: float | None = None) -> dict[str, Any]:
        """Keyword arguments for a builder; ``budget``: seconds left of the wait, if any."""
        deadline = self.deadline
        if budget is not None:
            budget = max(budget, LAST_POLL_SECONDS)
            deadline = budget if deadline is None else min(deadline, budget)
        return {"timeout": self.timeout, "max_retries": self.max_retries, "deadline": deadline}


# --- argument checks --------------------------------------------------------------------------


def _reads(
    timeout: float | httpx.Timeout | NotGiven | None,
    max_retries: int | None,
    deadline: float | None,
    problems: Problems,
    timeout_name: str = "timeout",
) -> _Reads:
    found = Problems()
    call_options(timeout, max_retries, deadline, found)
    if "timeout" in found:
        found[timeout_name] = found.pop("timeout")
    problems.update(found)
    return _Reads(timeout, max_retries, deadline)


def _seconds(name: str, value: object, problems: Problems) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        problems[name] = f"Must be a positive number of seconds (got {value!r})."
        return 1.0
    return float(value)


def _schedule(poll_interval: object, max_poll_interval: object, problems: Problems) -> PollSchedule:
    return PollSchedule(
        _seconds("poll_interval", poll_interval, problems),
        _seconds("max_poll_interval", max_poll_interval, problems),
    )


def _until(until: object, problems: Problems) -> frozenset[str]:
    if until is None:
        return MESSAGE_FINAL
    chosen = enum_values("until", until, MessageStatus, limits.MESSAGE_STATUS_VALUES, problems)
    if not chosen and "until" not in problems:
        problems["until"] = "Must name at least one status (or be None: a final status)."
    return frozenset(str(status) for status in chosen)


# --- helpers of the plans -----------------------------------------------------------------------


def _call(op: Operation[T]) -> Plan[T]:
    result: T = yield Call(op)
    return result


def _moment(value: datetime) -> datetime:
    """An aware datetime (a naive one from the server is read as UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _read(
    plan: Plan[T], deadline: float, timed_out: Callable[[], WaitTimeoutError], reads: _Reads
) -> Plan[T]:
    """Run one read of a wait; a timeout caused by the wait's deadline is the wait's timeout.

    A read's own deadline is the wait's unless the caller gave a shorter one, so a
    deadline error (not an attempt's timeout) is the wait's when no other was given.
    """
    try:
        return (yield from plan)
    except APITimeoutError as error:
        now: float = yield Now()
        attempt_timed_out = isinstance(error.__cause__, httpx.TimeoutException)
        if now >= deadline or (reads.deadline is None and not attempt_timed_out):
            raise timed_out() from error
        raise  # an attempt timed out before the deadline, retries spent: the read failed


def _pause(
    schedule: PollSchedule,
    changed: bool,
    deadline: float,
    timed_out: Callable[[], WaitTimeoutError],
) -> Plan[None]:
    """Sleep until the next poll, or raise the timeout when the deadline has passed."""
    now: float = yield Now()
    if now >= deadline:
        raise timed_out()
    yield Sleep(min(schedule.next(changed), deadline - now))


def _wait_for(
    fetch: Callable[[dict[str, Any]], Operation[T]],
    reads: _Reads,
    status_of: Callable[[T], str],
    updated_of: Callable[[T], datetime],
    finished: Callable[[str], bool],
    timeout: float,
    schedule: PollSchedule,
    describe: Callable[[T | None], str],
    on_change: Callable[[T], object] | None = None,
) -> Plan[T]:
    """Poll one object (``fetch(read_options)``) until ``finished`` says its status is."""
    deadline: float = (yield Now()) + timeout
    last: T | None = None
    previous: tuple[str, datetime] | None = None

    def timed_out() -> WaitTimeoutError:
        return WaitTimeoutError(describe(last), last=last)

    while True:
        now: float = yield Now()
        read = _call(fetch(reads.options(deadline - now)))
        current = yield from _read(read, deadline, timed_out, reads)
        last = current
        seen = (status_of(current), updated_of(current))
        changed = seen != previous
        previous = seen
        if changed and on_change is not None:
            on_change(current)
        if finished(seen[0]):
            return current
        yield from _pause(schedule, changed, deadline, timed_out)


def _settled(status: str, until: frozenset[str]) -> bool:
    return status in until or status in MESSAGE_FINAL


def _newer(latest: dict[str, Message], message: Message) -> bool:
    """Keep ``message`` unless a newer copy is known; True when it changed what is known."""
    old = latest.get(message.id)
    if old is not None and _moment(old.updated_at) > _moment(message.updated_at):
        return False
    latest[message.id] = message
    return old is None or old.status != message.status or old.updated_at != message.updated_at


def _last_page(page: MessagePage, floor: datetime | None) -> bool:
    """No page after this one, or this one already reached what was seen before."""
    entries = page.entries
    if not entries or page.page >= page.pages:
        return True
    return floor is not None and _moment(entries[-1].updated_at) < floor


# --- messages -----------------------------------------------------------------------------------


def wait_message(
    message_id: str | UUID,
    *,
    until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
    timeout: float = 300.0,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    request_timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[Message]:
    """Poll one message until its status is final (or one of ``until``); returns it.

    A final status (DELIVERED, FAILED, UNDELIVERED) ends the wait even when it is
    not in ``until``: it can never change, so check ``message.status``. Polls start
    ``poll_interval`` apart and back off (with jitter) to ``max_poll_interval`` while
    nothing changes, paced by the client's rate limits.

    Args:
        message_id: The message's id (``SendMessageAccepted.message_id``).
        until: The statuses to wait for (e.g. ``["SENT", "DELIVERED"]``, any case);
            default: a final status.
        timeout: Seconds to wait for the outcome (not per request).
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 30).
        request_timeout: Per-attempt timeout of each poll (default: the client's).
        max_retries: Retries of each poll (default: the client's).
        deadline: Seconds for each poll, its retries and waits included (default:
            none but the wait's own ``timeout``).

    Raises:
        WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last message seen.
        NotFoundError: No such message in your organisation.
    """
    problems = Problems()
    identifier = path_id("message_id", message_id, problems)
    statuses = _until(until, problems)
    seconds = _seconds("timeout", timeout, problems)
    schedule = _schedule(poll_interval, max_poll_interval, problems)
    reads = _reads(request_timeout, max_retries, deadline, problems, "request_timeout")
    problems.raise_if_any()
    return _wait_message_plan(identifier, statuses, seconds, schedule, reads)


def _wait_message_plan(
    message_id: str, until: frozenset[str], timeout: float, schedule: PollSchedule, reads: _Reads
) -> Plan[Message]:
    def describe(last: Message | None) -> str:
        now = "no answer yet" if last is None else f"still {last.status}"
        return (
            f"Message {message_id}: {now} after {timeout:g}s "
            f"(waiting for {', '.join(sorted(until))})."
        )

    return _wait_for(
        lambda options: _messages.retrieve(message_id, **options),
        reads,
        lambda message: str(message.status),
        lambda message: message.updated_at,
        lambda status: _settled(status, until),
        timeout,
        schedule,
        describe,
    )


def send_and_wait(
    *,
    remitter_id: str | UUID,
    target_e164: str,
    content: str,
    channel_type: Literal["SMS"] | SendChannelType = "SMS",
    save_contact: SaveContact | dict[str, Any] | None = None,
    max_segments: int | None = None,
    until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
    wait_timeout: float = 300.0,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[Message]:
    """Send one message, then wait for its final status (or ``until``); returns the message.

    The send is ``messages.send`` (never repeated when it may have gone through);
    the wait is ``messages.wait``.

    Args:
        remitter_id: The UUID of one of your approved Sender IDs.
        target_e164: The recipient in E.164 form (``+244990090990``).
        content: The text, 1 to 1,600 characters.
        channel_type: ``"SMS"``, the only channel the API sends.
        save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
        max_segments: Refuse (``ValidationError``, nothing sent) a text billed as more
            than this many SMS parts. Default: no guard.
        until: The statuses to wait for (any case); default: a final status.
        wait_timeout: Seconds to wait for the outcome after the send was accepted.
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 30).
        timeout: Per-attempt timeout of the send and of each poll (default:
            the client's).
        max_retries: Retries of the send and of each poll (default: the client's).
        deadline: Seconds for the send and for each poll, retries and waits included
            (a poll also ends with the wait).

    Raises:
        WaitTimeoutError: ``wait_timeout`` passed first; ``.last`` is the last message seen.
        ValidationError: An argument breaks a documented rule (nothing sent).
        ZiettError: The send failed (see ``may_have_been_sent``).
    """
    problems = Problems()
    statuses = _until(until, problems)
    seconds = _seconds("wait_timeout", wait_timeout, problems)
    schedule = _schedule(poll_interval, max_poll_interval, problems)
    reads = _reads(timeout, max_retries, deadline, problems)
    problems.raise_if_any()
    send = _messages.send(
        remitter_id=remitter_id,
        target_e164=target_e164,
        content=content,
        channel_type=channel_type,
        save_contact=save_contact,
        max_segments=max_segments,
        timeout=timeout,
        deadline=deadline,
        max_retries=max_retries,
    )
    return _send_and_wait_plan(send, statuses, seconds, schedule, reads)


def _send_and_wait_plan(
    send: Operation[Any],
    until: frozenset[str],
    timeout: float,
    schedule: PollSchedule,
    reads: _Reads,
) -> Plan[Message]:
    accepted = yield from _call(send)
    return (yield from _wait_message_plan(accepted.message_id, until, timeout, schedule, reads))


def wait_many(
    message_ids: Iterable[str | UUID],
    *,
    until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
    timeout: float = 600.0,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    request_timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[builtins.list[Message]]:
    """Wait until every message's status is final (or one of ``until``); in the ids' order.

    Cheap for many messages: it reads the listing route, 200 messages a page,
    not one retrieve per message. The first round finds the messages (newest
    created first); each later round lists the messages created since the oldest
    one still waited for, most recently updated first, and stops paging at what
    the previous round had seen. Ids not found that way are retrieved one by one
    (a wrong id raises ``NotFoundError``).

    Args:
        message_ids: The messages' ids (repeats are allowed).
        until: The statuses to wait for (any case); default: a final status.
        timeout: Seconds to wait for all the outcomes (not per request).
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 30).
        request_timeout: Per-attempt timeout of each page request (default: the client's).
        max_retries: Retries of each page request (default: the client's).
        deadline: Seconds for each page request, its retries and waits included
            (default: none but the wait's own ``timeout``).

    Raises:
        WaitTimeoutError: ``timeout`` passed first; ``.last`` is the list of the
            last messages seen, in the order of the ids (None for one never seen).
        NotFoundError: An id is not a message of your organisation.
    """
    problems = Problems()
    identifiers: builtins.list[str] = []
    if isinstance(message_ids, str | UUID) or not isinstance(message_ids, Iterable):
        problems["message_ids"] = f"Must be a list of message ids (got {message_ids!r})."
    else:
        for index, value in enumerate(message_ids):
            identifiers.append(path_id(f"message_ids[{index}]", value, problems))
    statuses = _until(until, problems)
    seconds = _seconds("timeout", timeout, problems)
    schedule = _schedule(poll_interval, max_poll_interval, problems)
    reads = _reads(request_timeout, max_retries, deadline, problems, "request_timeout")
    problems.raise_if_any()
    return _wait_many_plan(tuple(identifiers), statuses, seconds, schedule, reads)


def _wait_many_plan(
    ids: tuple[str, ...],
    until: frozenset[str],
    timeout: float,
    schedule: PollSchedule,
    reads: _Reads,
) -> Plan[builtins.list[Message]]:
    deadline: float = (yield Now()) + timeout
    wanted = frozenset(ids)
    latest: dict[str, Message] = {}

    def pending() -> builtins.list[str]:
        unsettled = (
            i for i in ids if i not in latest or not _settled(str(latest[i].status), until)
        )
        return builtins.list(dict.fromkeys(unsettled))  # in the order of the ids, once each

    def timed_out() -> WaitTimeoutError:
        left = pending()
        return WaitTimeoutError(
            f"{len(left)} of {len(wanted)} messages not yet {', '.join(sorted(until))} "
            f"after {timeout:g}s (e.g. {left[0] if left else '-'}).",
            last=[latest.get(i) for i in ids],
        )

    def page(number: int, **filters: Any) -> Plan[MessagePage]:
        now: float = yield Now()
        listing = _messages.list(
            page_size=PAGE_SIZE, order="desc", **filters, **reads.options(deadline - now)
        )
        read = _call(listing.operation_for(number, PAGE_SIZE))
        return (yield from _read(read, deadline, timed_out, reads))

    # Find them: newest created first (since their ids' creation time), until every id was seen.
    cursor: datetime | None = None
    number = 1
    since = _created_since(ids)
    first_round: dict[str, Any] = {} if since is None else {"created_at__ge": since}
    while not wanted <= latest.keys():
        found = yield from page(number, order_by=_ORDER_BY_CREATED, **first_round)
        for message in found.entries:
            moment = _moment(message.updated_at)
            cursor = moment if cursor is None else max(cursor, moment)
            if message.id in wanted:
                _newer(latest, message)
        if _last_page(found, None):
            break
        number += 1
    for missing in sorted(wanted - latest.keys()):
        now: float = yield Now()
        read = _call(_messages.retrieve(missing, **reads.options(deadline - now)))
        retrieved = yield from _read(read, deadline, timed_out, reads)
        _newer(latest, retrieved)
        moment = _moment(retrieved.updated_at)
        cursor = moment if cursor is None else max(cursor, moment)

    changed = True
    while left := pending():
        yield from _pause(schedule, changed, deadline, timed_out)
        window = min(_moment(latest[i].created_at) for i in left) - _WINDOW_MARGIN
        floor = None if cursor is None else cursor - OVERLAP
        changed = False
        number = 1
        while True:
            found = yield from page(number, order_by="updated_at", created_at__ge=window)
            for message in found.entries:
                moment = _moment(message.updated_at)
                cursor = moment if cursor is None else max(cursor, moment)
                if message.id in wanted:
                    changed = _newer(latest, message) or changed
            if _last_page(found, floor) or not pending():
                break
            number += 1
    return [latest[i] for i in ids]


def watch(
    *,
    since: datetime | str | None = None,
    status: MessageStatusName | MessageStatus | Sequence[MessageStatusName | str] | None = None,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Stream[Message]:
    """Each message created since ``since``, once per status it is seen in, oldest change first.

    Runs until you stop iterating (``break``). Polls the listing route (most
    recently updated first, paging down to what the previous poll had seen), so
    it misses no change however many happened between two polls, and never yields
    the same (id, status) twice. A status a message passed through between two
    polls is not seen (only its status at each poll). A failed read is retried by
    the reads' retry policy; one that still fails ends the iteration with its error.

    Args:
        since: Only messages created at or after this moment (timezone-aware
            ``datetime`` or ISO 8601 with an offset); default: now.
        status: Only these statuses (one or a list, any case); default: all.
        poll_interval: Seconds between polls after a change (default 1).
        max_poll_interval: The longest wait between two polls while nothing
            changes (default 30).
        timeout: Per-attempt timeout of each page request (default: the client's).
        max_retries: Retries of each page request (default: the client's).
        deadline: Seconds for each page request, its retries and waits included.
    """
    problems = Problems()
    start = aware_datetime("since", since, problems) or datetime.now(UTC)
    statuses = enum_values("status", status, MessageStatus, limits.MESSAGE_STATUS_VALUES, problems)
    schedule = _schedule(poll_interval, max_poll_interval, problems)
    reads = _reads(timeout, max_retries, deadline, problems)
    problems.raise_if_any()
    filters: dict[str, Any] = {"created_at__ge": start, "order_by": "updated_at", "order": "desc"}
    if statuses:
        filters["status"] = statuses
    return Stream(_watch_plan(filters, schedule, reads, WATCH_MEMORY))


def _watch_plan(
    filters: dict[str, Any], schedule: PollSchedule, reads: _Reads, memory: int
) -> Plan[None]:
    said: OrderedDict[str, set[str]] = OrderedDict()  # id -> statuses yielded (recent ids)
    cursor: datetime | None = None
    while True:
        floor = None if cursor is None else cursor - OVERLAP
        fresh: dict[tuple[str, str], Message] = {}
        number = 1
        while True:
            listing = _messages.list(page_size=PAGE_SIZE, **filters, **reads.options())
            found = yield from _call(listing.operation_for(number, PAGE_SIZE))
            for message in found.entries:
                moment = _moment(message.updated_at)
                cursor = moment if cursor is None else max(cursor, moment)
                state = str(message.status)
                if (floor is not None and moment < floor) or state in said.get(message.id, ()):
                    continue
                key = (message.id, state)
                if key not in fresh or moment > _moment(fresh[key].updated_at):
                    fresh[key] = message
            if _last_page(found, floor):
                break
            number += 1
        for message in sorted(fresh.values(), key=lambda m: (_moment(m.updated_at), m.id)):
            said.setdefault(message.id, set()).add(str(message.status))
            said.move_to_end(message.id)
            while len(said) > memory:
                said.popitem(last=False)
            yield Emit(message)
        yield Sleep(schedule.next(bool(fresh)))


# --- campaigns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignReport:
    """What became of a campaign's messages: counts by status, cost, the failures.

    Built by ``campaigns.report`` from the campaign and every one of its messages.
    """

    campaign: Campaign
    """The campaign as retrieved (its ``status`` says whether it is complete)."""
    status_counts: dict[str, int]
    """Messages per status: every documented status (0 when none), and any other seen."""
    total: int
    """How many messages the campaign holds."""
    cost: Decimal
    """The sum of the messages' ``cost``."""
    failed: builtins.list[Message]
    """The FAILED and UNDELIVERED messages (with their ``error_code``), oldest first."""

    @property
    def complete(self) -> bool:
        """Whether the campaign reached a final status (COMPLETED or FAILED)."""
        return str(self.campaign.status) in CAMPAIGN_FINAL


def wait_campaign(
    campaign_id: str | UUID,
    *,
    timeout: float = 3600.0,
    on_progress: Callable[[Campaign], object] | None = None,
    poll_interval: float = 1.0,
    max_poll_interval: float = 60.0,
    request_timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[Campaign]:
    """Poll a campaign until it is COMPLETED or FAILED; returns it.

    Then ``campaigns.report(campaign_id)`` says what became of its messages.

    Args:
        campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
        timeout: Seconds to wait for the outcome (not per request).
        on_progress: Called with the campaign after each poll that saw it change
            (the first poll included); a plain function, also with ``AsyncZiett``.
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 60).
        request_timeout: Per-attempt timeout of each poll (default: the client's).
        max_retries: Retries of each poll (default: the client's).
        deadline: Seconds for each poll, its retries and waits included (default:
            none but the wait's own ``timeout``).

    Raises:
        WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last campaign seen.
        NotFoundError: No such campaign in your organisation.
    """
    problems = Problems()
    identifier = path_id("campaign_id", campaign_id, problems)
    seconds = _seconds("timeout", timeout, problems)
    schedule = _schedule(poll_interval, max_poll_interval, problems)
    reads = _reads(request_timeout, max_retries, deadline, problems, "request_timeout")
    if on_progress is not None and not callable(on_progress):
        problems["on_progress"] = f"Must be callable or None (got {on_progress!r})."
    problems.raise_if_any()

    def describe(last: Campaign | None) -> str:
        now = "no answer yet" if last is None else f"still {last.status}"
        return f"Campaign {identifier}: {now} after {seconds:g}s (waiting for COMPLETED or FAILED)."

    return _wait_for(
        lambda options: _campaigns.retrieve(identifier, **options),
        reads,
        lambda campaign: str(campaign.status),
        lambda campaign: campaign.updated_at,
        lambda status: status in CAMPAIGN_FINAL,
        seconds,
        schedule,
        describe,
        on_progress,
    )


def campaign_report(
    campaign_id: str | UUID,
    *,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[CampaignReport]:
    """A campaign's report: counts by status, total, cost and failed messages.

    Reads the campaign, then all its messages (200 a page). Call it once the
    campaign is complete (``campaigns.wait``) for final numbers; before that it is
    a snapshot (``report.complete`` is False).

    Args:
        campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
        timeout: Per-attempt timeout of each request (default: the client's).
        max_retries: Retries of each request (default: the client's).
        deadline: Seconds for each request, its retries and waits included.

    Raises:
        NotFoundError: No such campaign in your organisation.
    """
    problems = Problems()
    identifier = path_id("campaign_id", campaign_id, problems)
    reads = _reads(timeout, max_retries, deadline, problems)
    problems.raise_if_any()
    return _report_plan(identifier, reads)


def _report_plan(campaign_id: str, reads: _Reads) -> Plan[CampaignReport]:
    campaign = yield from _call(_campaigns.retrieve(campaign_id, **reads.options()))
    counts = dict.fromkeys(limits.MESSAGE_STATUS_VALUES, 0)
    cost = Decimal(0)
    failed: builtins.list[Message] = []
    total = 0
    listing = _campaigns.list_messages(
        campaign_id,
        order="asc",
        order_by=_ORDER_BY_CREATED,  # creation times never change: stable pages
        page_size=PAGE_SIZE,
        **reads.options(),
    )
    number = 1
    while True:
        page = yield from _call(listing.operation_for(number, PAGE_SIZE))
        for message in page.entries:
            state = str(message.status)
            counts[state] = counts.get(state, 0) + 1
            cost += message.cost
            total += 1
            if state in _FAILURES:
                failed.append(message)
        if _last_page(page, None):
            break
        number += 1
    return CampaignReport(campaign, counts, total, cost, failed)
