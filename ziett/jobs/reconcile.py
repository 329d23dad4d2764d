"""Settling a send whose outcome is unknown: look on the server for what it did.

With ``ambiguous_sends="reconcile"``, an attempt of ``messages.send`` or
``campaigns.create_batch`` that ends without a usable answer after the request was
written is settled by the call's policy (``ziett._transport.plan_call``) through the
client's :class:`Reconciler`: wait, then look with the documented listing routes
(:func:`message_finder`, :func:`campaign_finder`). Found: the call returns the result
built from what was found. Not found: a new attempt, within ``max_retries``. Imports
the call policy and pagination; the listing builders are handed in by the resources.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx

from ziett import phone
from ziett._call import Finder
from ziett._pagination import Listing, PageWalk
from ziett._transport import Call, Plan, Sleep
from ziett_client.models import BatchCampaignAccepted, SendMessageAccepted

logger: logging.Logger = logging.getLogger("ziett")

Lister = Callable[..., Listing[Any, Any]]
"""A listing builder of ``ziett.resources`` (``messages.list``...), handed to a finder."""

MAX_SCAN = 1_000
"""The most listed items a lookup reads before giving up (not found)."""


class Claims(Protocol):
    """Which ids were already returned (so that two lookups never return the same one)."""

    def claimed(self, identifier: str) -> bool:
        """True when ``identifier`` was already returned to this client."""
        ...

    def claim(self, identifier: str) -> None:
        """Note that ``identifier`` is being returned now."""
        ...


class IdMemory:
    """A bounded, thread-safe set of the ids returned to one client (the oldest forgotten)."""

    def __init__(self, size: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def claimed(self, identifier: str) -> bool:
        """True when ``identifier`` was returned (or found) before."""
        with self._lock:
            return identifier in self._ids

    def claim(self, identifier: str) -> None:
        """Remember ``identifier``; forgets the oldest beyond the size."""
        with self._lock:
            self._ids[identifier] = None
            self._ids.move_to_end(identifier)
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)


class Reconciler:
    """A client's reconcile mode: the settle delay, the server's clock, the ids returned.

    *When an attempt started* is measured on the server's clock: every answer's
    ``Date`` header tells the skew (to the second), and the window opens ``margin``
    seconds earlier (a minute earlier while no ``Date`` has been seen). The residual
    risk: a server that commits a request later than ``settle_delay`` after the attempt
    failed gets a second copy from the new attempt; and an identical send from another
    process with the same key, in the same seconds, can be taken for this one.

    Args:
        settle_delay: Seconds to wait after an ambiguous attempt before looking.
        margin: Seconds the lookup window opens before the attempt's start (on the
            server's clock), for the ``Date`` header's one-second resolution and
            the time the request took to arrive.
        wall: The local wall clock (tests pass a fixed one).
    """

    UNKNOWN_SKEW_MARGIN = 60.0
    """The margin while no ``Date`` header has told the server's clock yet."""

    def __init__(
        self,
        settle_delay: float = 2.0,
        margin: float = 5.0,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settle_delay = settle_delay
        self.margin = margin
        self.wall = wall
        self.skew: float | None = None
        """Server clock minus ours, in seconds, from the last ``Date`` header (None: unknown)."""
        self.memory: IdMemory = IdMemory()

    def __repr__(self) -> str:
        return f"Reconciler(settle_delay={self.settle_delay!r}, skew={self.skew!r})"

    def began(self) -> datetime:
        """Now, on the local wall clock: when an attempt begins."""
        return self.wall()

    def observe(self, outcome: httpx.Response | BaseException, sends_message: bool) -> None:
        """Learn from an attempt: the server's clock, and the id a send returned."""
        if not isinstance(outcome, httpx.Response):
            return
        date = outcome.headers.get("date")
        if date:
            try:
                server = email.utils.parsedate_to_datetime(date)
            except (TypeError, ValueError):
                server = None
            if server is not None and server.tzinfo is not None:
                self.skew = (server - self.wall()).total_seconds()
        if sends_message and outcome.is_success:
            for identifier in _ids_in(outcome):
                self.memory.claim(identifier)

    def window_start(self, began: datetime) -> datetime:
        """The earliest server time a request that began at ``began`` (ours) can carry."""
        if self.skew is None:
            return began - timedelta(seconds=self.margin + self.UNKNOWN_SKEW_MARGIN)
        return began + timedelta(seconds=self.skew - self.margin)

    def settle(self, route: str, find: Finder, began: datetime) -> Plan[Any]:
        """Wait the settle delay, then look with ``find``; the send's result, or None.

        Args:
            route: The call's route (for the log line).
            find: The send's lookup (its ``Operation.reconcile``).
            began: When the ambiguous attempt began (:meth:`began`).
        """
        yield Sleep(self.settle_delay)
        found: Any = yield from find(self.window_start(began), self.memory)
        logger.info("%s: reconciled an unknown outcome: %s", route, found or "not found")
        return found


def _ids_in(response: httpx.Response) -> Iterable[str]:
    try:
        body = response.json()
    except ValueError:
        return ()
    if not isinstance(body, dict):
        return ()
    return [v for k, v in body.items() if k in ("message_id", "campaign_id") and isinstance(v, str)]


# --- the lookups --------------------------------------------------------------------------------


def items(listing: Listing[Any, Any]) -> Plan[list[Any]]:
    """Every item of a listing, fetched page by page with ``Call`` steps."""
    walk = PageWalk(listing)
    found: list[Any] = []
    while (operation := walk.next_operation()) is not None:
        page = walk.record((yield Call(operation)))
        found.extend(page.entries)
    return found


def digits(number: str) -> str:
    """A phone number reduced to its digits (what two spellings of one E.164 share)."""
    return re.sub(r"\D", "", number)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _same(value: object, wanted: str) -> bool:
    """True when a field is absent from the answer (Unset, None) or equal to ``wanted``."""
    return not isinstance(value, str) or value == wanted


def message_finder(
    *, remitter_id: str, target_e164: str, content: str, list_messages: Lister
) -> Finder:
    """The lookup of ``messages.send``: the one message this request created, if any.

    Args:
        remitter_id: The request's Sender ID.
        target_e164: The request's recipient.
        content: The request's text.
        list_messages: The builder of ``messages.list``.
    """
    target = digits(target_e164)

    def find(since: datetime, claims: Claims) -> Plan[SendMessageAccepted | None]:
        listing = list_messages(
            q=target_e164,
            remitter_id=remitter_id,
            created_at__ge=since,
            order="asc",
            order_by="created_at",
            page_size=200,
            limit=MAX_SCAN,
        )
        for message in (yield from items(listing)):
            if (
                digits(message.e164_format) == target
                and message.content == content
                and _same(message.sms_remitter_id, remitter_id)
                and not isinstance(message.campaign_id, str)  # a campaign's message is not ours
                and _aware(message.created_at) >= since
                and not claims.claimed(message.id)
            ):
                claims.claim(message.id)
                return SendMessageAccepted(message_id=message.id)
        return None

    return find


def campaign_finder(
    *,
    name: str,
    remitter_id: str,
    content: str,
    recipients: Iterable[str],
    list_campaigns: Lister,
    list_campaign_messages: Lister,
    country_alpha2: str | None = None,
) -> Finder:
    """The lookup of ``campaigns.create_batch``: the campaign this request created, if any.

    A candidate has the name, content and sender of the request, was created in
    the window, was not returned before, and its messages are the request's
    recipients (numbers compared in E.164; local ones read with ``country_alpha2``).
    A campaign whose messages are not listed yet (a server still expanding it)
    matches on its ``total_recipients``.

    Args:
        name: The request's campaign name.
        remitter_id: The request's Sender ID.
        content: The request's text.
        recipients: The request's recipients, as sent.
        list_campaigns: The builder of ``campaigns.list``.
        list_campaign_messages: The builder of ``campaigns.list_messages``.
        country_alpha2: How the request's local numbers are read.
    """
    sent = [*recipients]
    expected = frozenset(
        digits(phone.try_normalize(r, country_alpha2=country_alpha2, strict=False) or r)
        for r in sent
    )

    def find(since: datetime, claims: Claims) -> Plan[BatchCampaignAccepted | None]:
        candidates = yield from _recent_campaigns(list_campaigns, since, name)
        for campaign in candidates:
            if (
                claims.claimed(campaign.id)
                or not _same(campaign.content, content)
                or not _same(campaign.sms_remitter_id, remitter_id)
            ):
                continue
            total = campaign.total_recipients
            if isinstance(total, int) and total != len(sent):
                continue
            listed = yield from items(list_campaign_messages(campaign.id, page_size=200))
            numbers = frozenset(digits(m.e164_format) for m in listed)
            if numbers == expected or (not listed and total == len(sent)):
                claims.claim(campaign.id)
                return BatchCampaignAccepted(
                    message="Campaign accepted (found by reconciliation).",
                    campaign_id=campaign.id,
                )
        return None

    return find


def _recent_campaigns(list_campaigns: Lister, since: datetime, name: str) -> Plan[list[Any]]:
    """The campaigns named ``name`` created at or after ``since``, oldest first."""
    walk = PageWalk(list_campaigns(order="desc", order_by="created_at", page_size=100))
    found: list[Any] = []
    scanned = 0
    while (operation := walk.next_operation()) is not None and scanned < MAX_SCAN:
        page = walk.record((yield Call(operation)))
        scanned += len(page.entries)
        for campaign in page.entries:
            if campaign.name == name and _aware(campaign.created_at) >= since:
                found.append(campaign)
        if page.entries and _aware(page.entries[-1].created_at) < since:
            break  # newest first: the rest is older than the window
    found.reverse()
    return found
