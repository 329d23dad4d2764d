"""After the 202: waiting for deliveries and campaigns.

The polling loops every user of an SMS API would otherwise write, written once as job
plans built from ``ziett.jobs.polling`` (``watch`` is in ``ziett.jobs.watching``). In
every helper ``timeout`` is the whole wait (``WaitTimeoutError`` when it passes). Many
messages cost listing pages, not one retrieve each: ``GET /c/v1/messages`` by
``updated_at`` descending, paging only down to what was already seen (less
:data:`OVERLAP`). May import the resources' builders and the polling pieces.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal
from uuid import UUID

from ziett._arguments import NO_DEFAULTS, ClientDefaults, Problems
from ziett._arguments import path_id as _path_id
from ziett._errors import APIResponseValidationError, WaitTimeoutError, ZiettError
from ziett._transport import Now, Operation, Plan
from ziett.jobs.polling import (
    CAMPAIGN_FINAL,
    MESSAGE_FINAL,
    OVERLAP,
    PAGE_SIZE,
    Budget,
    PollSchedule,
    budget_from_now,
    call,
    last_page,
    moment,
    newer,
    pause,
    read,
    retries,
    schedule,
    seconds,
    settled,
    status_of,
    until_statuses,
    wait_for,
)
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
    "PollSchedule",
    "send_and_wait",
    "wait_campaign",
    "wait_many",
    "wait_message",
]

_WINDOW_MARGIN = timedelta(seconds=1)
_ORDER_BY_CREATED: Final = "created_at"
_ID_CLOCK_MARGIN = timedelta(minutes=5)
"""How much earlier than its UUIDv7 timestamp a message may have been created (clock skew)."""


def _created_since(ids: Iterable[str]) -> datetime | None:
    """The earliest creation a set of UUIDv7 ids allows (their embedded time, less a margin).

    The first 48 bits of a UUIDv7 are its creation time in milliseconds, so the
    first round of ``wait_many`` lists only what was created since then. None when
    an id is not a UUIDv7: a narrower window only costs a retrieve per id it misses.
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


# --- messages -----------------------------------------------------------------------------------


def wait_message(
    message_id: str | UUID,
    *,
    until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
    timeout: float = 300.0,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    max_retries: int | None = None,
) -> Plan[Message]:
    """Poll one message until its status is final (or one of ``until``); returns it.

    A final status (DELIVERED, FAILED, UNDELIVERED) ends the wait even when it is
    not in ``until``: it can never change, so check ``message.status``. A status
    the SDK does not know is not final. Polls start ``poll_interval`` apart and
    back off (with jitter) to ``max_poll_interval`` while nothing changes, paced by
    the client's rate limits; each request uses the client's HTTP timeout.

    Args:
        message_id: The message's id (``SendMessageAccepted.message_id``).
        until: The statuses to wait for (e.g. ``["SENT", "DELIVERED"]``, any case);
            default: a final status.
        timeout: Seconds for the whole wait (default 300); the last poll is made
            before it ends.
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 30).
        max_retries: Retries of each poll (default: the client's).

    Raises:
        WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last message seen.
        NotFoundError: No such message in your organisation.
        APIResponseValidationError: An answer without a readable status.
    """
    problems = Problems()
    identifier = _path_id("message_id", message_id, problems)
    statuses = until_statuses(until, problems)
    limit = seconds("timeout", timeout, problems)
    poll = schedule(poll_interval, max_poll_interval, problems)
    tries = retries(max_retries, problems)
    problems.raise_if_any()
    return _wait_message_plan(identifier, statuses, limit, poll, tries)


def _wait_message_plan(
    message_id: str,
    until: frozenset[str],
    timeout: float,
    poll: PollSchedule,
    max_retries: int | None,
    budget: Budget | None = None,
) -> Plan[Message]:
    if budget is None:
        budget = yield from budget_from_now(timeout, max_retries)

    def describe(last: Message | None) -> str:
        now = "no answer yet" if last is None else f"still {last.status}"
        return (
            f"Message {message_id}: {now} after {timeout:g}s "
            f"(waiting for {', '.join(sorted(until))})."
        )

    return (
        yield from wait_for(
            lambda options: _messages.retrieve(message_id, **options),
            budget,
            lambda message: message.updated_at,
            lambda status: settled(status, until),
            poll,
            describe,
        )
    )


# Its sending keywords and docs repeat messages.send's on purpose (each public call documents
# every parameter); the send itself is messages.send's operation.
def send_and_wait(
    defaults: ClientDefaults = NO_DEFAULTS,
    /,
    *,
    target_e164: str,
    content: str,
    remitter_id: str | UUID | None = None,
    country_alpha2: str | None = None,
    channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
    save_contact: SaveContact | dict[str, Any] | None = None,
    max_segments: int | None = None,
    until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
    timeout: float = 300.0,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    max_retries: int | None = None,
) -> Plan[Message]:
    """Send one message, then wait for its final status (or ``until``); returns the message.

    The send is ``messages.send`` (never repeated when it may have gone through);
    the wait is ``messages.wait``. ``timeout`` covers both: the send gets the time
    left as its deadline, the wait the rest.

    Args:
        target_e164: The recipient: E.164, or local with ``country_alpha2`` (or the
            client's ``default_country``).
        content: The text, 1 to 1,600 characters.
        remitter_id: The UUID of one of your approved Sender IDs; default: the
            client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
        country_alpha2: The country of a local ``target_e164`` (``"AO"``, any case);
            default: the client's ``default_country``.
        channel_type: ``"SMS"`` (any case), the only channel the API sends.
        save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
        max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as
            more than this many SMS parts. Default: no guard.
        until: The statuses to wait for (any case); default: a final status.
        timeout: Seconds for the whole call, the send and the wait (default 300).
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 30).
        max_retries: Retries of the send and of each poll (default: the client's).

    Raises:
        InvalidRequestError: An argument breaks a documented rule; nothing was sent.
        WaitTimeoutError: ``timeout`` passed after the send was accepted; ``.last`` is
            the last message seen (the message was sent: do not send it again).
        ZiettError: The send failed (see ``may_have_been_sent``), or a poll did.
    """
    problems = Problems()
    statuses = until_statuses(until, problems)
    limit = seconds("timeout", timeout, problems)
    poll = schedule(poll_interval, max_poll_interval, problems)
    tries = retries(max_retries, problems)
    problems.raise_if_any()
    arguments: dict[str, Any] = {
        "target_e164": target_e164,
        "content": content,
        "remitter_id": remitter_id,
        "country_alpha2": country_alpha2,
        "channel_type": channel_type,
        "save_contact": save_contact,
        "max_segments": max_segments,
        "max_retries": tries,
    }
    _messages.send(defaults, **arguments, deadline=limit)  # every argument checked now
    return _send_and_wait_plan(
        lambda left: _messages.send(defaults, **arguments, deadline=left),
        statuses,
        limit,
        poll,
        tries,
    )


def _send_and_wait_plan(
    send: Callable[[float], Operation[Any]],
    until: frozenset[str],
    timeout: float,
    poll: PollSchedule,
    max_retries: int | None,
) -> Plan[Message]:
    budget = yield from budget_from_now(timeout, max_retries)
    op = send(timeout)
    accepted = yield from call(op)
    if not accepted.message_id:
        error = APIResponseValidationError(
            f"{op.route}: the send was accepted without a message_id; nothing to wait for.",
            operation=op.route,
            path="message_id",
            expected="the accepted message's id",
            got=repr(accepted.message_id),
        )
        error.may_have_been_sent = True
        raise error
    message_id = str(accepted.message_id)
    try:
        return (
            yield from _wait_message_plan(message_id, until, timeout, poll, max_retries, budget)
        )
    except ZiettError as error:
        error.may_have_been_sent = True  # it was: the send was accepted
        error.add_note(
            f"The message was accepted (message_id={message_id}): do not send it again; "
            f"messages.wait({message_id!r}) waits for it."
        )
        raise


def wait_many(
    message_ids: Iterable[str | UUID],
    *,
    until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
    timeout: float = 600.0,
    poll_interval: float = 1.0,
    max_poll_interval: float = 30.0,
    max_retries: int | None = None,
) -> Plan[builtins.list[Message]]:
    """Wait until every message's status is final (or one of ``until``); in the ids' order.

    Cheap for many messages: it reads the listing route, 200 messages a page,
    not one retrieve per message. The first round finds the messages (newest
    created first); each later round lists the messages created since the oldest
    one still waited for, most recently updated first, and stops paging at what
    the previous round had seen. Ids not found that way are retrieved one by one
    (a wrong id raises ``NotFoundError``). Requests use the client's HTTP timeout.

    Args:
        message_ids: The messages' ids (repeats are allowed).
        until: The statuses to wait for (any case); default: a final status.
        timeout: Seconds for the whole wait (default 600).
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 30).
        max_retries: Retries of each page request (default: the client's).

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
            identifiers.append(_path_id(f"message_ids[{index}]", value, problems))
    statuses = until_statuses(until, problems)
    limit = seconds("timeout", timeout, problems)
    poll = schedule(poll_interval, max_poll_interval, problems)
    tries = retries(max_retries, problems)
    problems.raise_if_any()
    return _wait_many_plan(tuple(identifiers), statuses, limit, poll, tries)


def _wait_many_plan(
    ids: tuple[str, ...],
    until: frozenset[str],
    timeout: float,
    poll: PollSchedule,
    max_retries: int | None,
) -> Plan[builtins.list[Message]]:
    budget = yield from budget_from_now(timeout, max_retries)
    wanted = frozenset(ids)
    latest: dict[str, Message] = {}

    def pending() -> builtins.list[str]:
        unsettled = (
            i
            for i in ids
            if i not in latest or not settled(status_of(latest[i], "GET /c/v1/messages"), until)
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
        if now >= budget.end:
            raise timed_out()
        listing = _messages.list(
            page_size=PAGE_SIZE, order="desc", **filters, **budget.options(now)
        )
        return (
            yield from read(call(listing.operation_for(number, PAGE_SIZE)), budget.end, timed_out)
        )

    # Find them: newest created first (since their ids' creation time), until every id was seen.
    cursor: datetime | None = None
    number = 1
    since = _created_since(ids)
    first_round: dict[str, Any] = {} if since is None else {"created_at__ge": since}
    while not wanted <= latest.keys():
        found = yield from page(number, order_by=_ORDER_BY_CREATED, **first_round)
        for message in found.entries:
            seen = moment(message.updated_at)
            cursor = seen if cursor is None else max(cursor, seen)
            if message.id in wanted:
                newer(latest, message)
        if last_page(found, None):
            break
        number += 1
    for missing in sorted(wanted - latest.keys()):
        now: float = yield Now()
        retrieval = call(_messages.retrieve(missing, **budget.options(now)))
        retrieved = yield from read(retrieval, budget.end, timed_out)
        newer(latest, retrieved)
        seen = moment(retrieved.updated_at)
        cursor = seen if cursor is None else max(cursor, seen)

    changed = True
    final_poll = False
    while left := pending():
        if final_poll:
            raise timed_out()
        final_poll = yield from pause(poll, changed, budget.end, timed_out)
        window = min(moment(latest[i].created_at) for i in left) - _WINDOW_MARGIN
        floor = None if cursor is None else cursor - OVERLAP
        changed = False
        number = 1
        while True:
            found = yield from page(number, order_by="updated_at", created_at__ge=window)
            for message in found.entries:
                seen = moment(message.updated_at)
                cursor = seen if cursor is None else max(cursor, seen)
                if message.id in wanted:
                    changed = newer(latest, message) or changed
            if last_page(found, floor) or not pending():
                break
            number += 1
    return [latest[i] for i in ids]


# --- campaigns ---------------------------------------------------------------------------------


# Its polling keywords and docs repeat wait_message's on purpose (each public call documents
# every parameter); the shared loop is ziett.jobs.polling.
def wait_campaign(
    campaign_id: str | UUID,
    *,
    timeout: float = 3600.0,
    on_progress: Callable[[Campaign], object] | None = None,
    poll_interval: float = 1.0,
    max_poll_interval: float = 60.0,
    max_retries: int | None = None,
) -> Plan[Campaign]:
    """Poll a campaign until it is COMPLETED or FAILED; returns it.

    Then ``campaigns.report(campaign_id)`` says what became of its messages.
    Requests use the client's HTTP timeout.

    Args:
        campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
        timeout: Seconds for the whole wait (default 3600).
        on_progress: Called with the campaign after each poll that saw it change
            (the first poll included); a plain function, also with ``AsyncZiett``.
        poll_interval: Seconds before the first poll again (default 1).
        max_poll_interval: The longest wait between two polls (default 60).
        max_retries: Retries of each poll (default: the client's).

    Raises:
        WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last campaign seen.
        NotFoundError: No such campaign in your organisation.
    """
    problems = Problems()
    identifier = _path_id("campaign_id", campaign_id, problems)
    limit = seconds("timeout", timeout, problems)
    poll = schedule(poll_interval, max_poll_interval, problems)
    tries = retries(max_retries, problems)
    if on_progress is not None and not callable(on_progress):
        problems["on_progress"] = f"Must be callable or None (got {on_progress!r})."
    problems.raise_if_any()

    def describe(last: Campaign | None) -> str:
        now = "no answer yet" if last is None else f"still {last.status}"
        return f"Campaign {identifier}: {now} after {limit:g}s (waiting for COMPLETED or FAILED)."

    def plan() -> Plan[Campaign]:
        budget = yield from budget_from_now(limit, tries)
        return (
            yield from wait_for(
                lambda options: _campaigns.retrieve(identifier, **options),
                budget,
                lambda campaign: campaign.updated_at,
                lambda status: status in CAMPAIGN_FINAL,
                poll,
                describe,
                on_progress,
            )
        )

    return plan()
