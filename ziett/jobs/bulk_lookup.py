"""A bulk job's chunks: its audience read, cut, named, and found again in the server's record.

:func:`read_audience` normalises and de-duplicates the rows. The job's identity is a
hash of its name, sender, content and recipient *set*, chunked in sorted order, so the
same job always makes the same chunks; each chunk's campaign name carries the
identity's short form (``"Black Friday (3/4) #1a2b3c4d"``). :func:`server_record` and
:func:`adopt_server_record` find what an earlier run already sent, for a run without
local progress. Calls only the listing routes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, NamedTuple

from ziett import phone
from ziett._errors import (
    DuplicateSendError,
    InvalidRequestError,
    PermissionDeniedError,
    ZiettError,
)
from ziett._pagination import PageWalk
from ziett._transport import Blocking, Call, Plan
from ziett.jobs.journal import Chunk, Journal
from ziett.jobs.reconcile import digits
from ziett.resources import campaigns, messages

MAX_CHUNK = 1_000
"""The documented maximum of recipients per batch (the minimum is 2)."""
NAME_LENGTH = 200
"""The documented maximum length of a campaign name."""
TAG_LENGTH = 8
"""Hex digits of the job's identity carried in each campaign name."""
MARGIN = timedelta(minutes=10)
"""How far before a journal's first request the check reads (clock skew between machines)."""
MAX_PAGES = 50
"""The most pages of campaigns (of 100) the check reads; older ones in the window are not seen."""


class Audience(NamedTuple):
    """The recipients, read: distinct E.164 numbers in first-seen order, and the rest."""

    numbers: list[str]
    duplicates: dict[str, int]
    invalid: dict[str, str]


def read_audience(rows: Iterable[Any], country_alpha2: str | None) -> Audience:
    """Normalise and de-duplicate ``rows`` (see :class:`Audience`).

    Raises:
        InvalidRequestError: ``country_alpha2`` is not a known country.
    """
    seen: dict[str, None] = {}
    duplicates: dict[str, int] = {}
    invalid: dict[str, str] = {}
    for index, row in enumerate(rows):
        try:
            number = phone.normalize(row, country_alpha2=country_alpha2, field="recipient")
        except InvalidRequestError as error:
            if "country_alpha2" in error.fields:
                raise
            invalid[row if isinstance(row, str) else f"row {index}: {row!r}"] = error.fields.get(
                "recipient", error.message
            )
            continue
        if number in seen:
            duplicates[number] = duplicates.get(number, 0) + 1
        else:
            seen[number] = None
    return Audience(list(seen), duplicates, invalid)


def chunk_sizes(count: int) -> list[int]:
    """Balanced sizes of ``count`` numbers in chunks of at most 1,000 (never one of 1 but [1])."""
    if count <= 0:
        return []
    chunks = math.ceil(count / MAX_CHUNK)
    base, extra = divmod(count, chunks)
    return [base + 1] * extra + [base] * (chunks - extra)


def chunk_name(name: str, number: int, total: int, tag: str | None = None) -> str:
    """``name`` with ``" (7/60)"`` (more than one chunk) and ``" #tag"``, within 200 characters."""
    suffix = (f" ({number}/{total})" if total > 1 else "") + (f" #{tag}" if tag else "")
    return name[: NAME_LENGTH - len(suffix)] + suffix


def identity(name: str, remitter_id: str, content: str, numbers: Iterable[str]) -> str:
    """The job's identity: a hash of its name, sender, content and recipient set."""
    text = json.dumps([name, remitter_id, content, sorted(numbers)], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def job_tag(key: str) -> str:
    """The short form of identity ``key`` that each campaign name of the job carries."""
    return key[:TAG_LENGTH]


def plan_chunks(name: str, numbers: Sequence[str], tag: str | None = None) -> list[Chunk]:
    """The chunks of a new job, in order, cut from ``numbers`` sorted."""
    ordered = sorted(numbers)
    sizes = chunk_sizes(len(ordered))
    chunks, start = [], 0
    for number, size in enumerate(sizes, start=1):
        recipients = tuple(ordered[start : start + size])
        chunks.append(Chunk(number, chunk_name(name, number, len(sizes), tag), recipients))
        start += size
    return chunks


@dataclass
class Record:
    """What the server shows of a job: its chunks found, and what cannot be a resume."""

    found: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    """Chunk number -> (campaign or message id, when the server created it)."""
    extra: list[tuple[str, int, datetime]] = field(default_factory=list)
    """Further sends bearing the job's mark: (id, recipients, created), a chunk sent twice
    or cut otherwise; their presence means the job was already sent more than once."""

    def sent(self, chunks: Sequence[Chunk]) -> tuple[int, int, datetime | None]:
        """(sends, recipients, first created) over everything found."""
        sizes = {c.number: len(c.recipients) for c in chunks}
        moments = [t for _, t in self.found.values()] + [t for _, _, t in self.extra]
        recipients = sum(sizes[n] for n in self.found) + sum(r for _, r, _ in self.extra)
        return len(self.found) + len(self.extra), recipients, min(moments, default=None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def server_record(
    chunks: Sequence[Chunk],
    *,
    remitter_id: str,
    content: str,
    tag: str,
    since: datetime,
    claimed: set[str],
) -> Plan[Record]:
    """The job's sends the server created at or after ``since`` (ids in ``claimed`` skipped).

    What a run without local progress (a new, emptied or replaced journal) asks before
    sending: the campaigns created in the window (``GET /c/v1/campaigns``, newest first,
    until the window ends: one call when it holds at most a page), those bearing this
    job's short form and matching a chunk by name, content, sender and size. A job of
    one recipient is a message, looked for with ``GET /c/v1/messages?q=``.
    """
    record = Record()
    if len(chunks) == 1 and len(chunks[0].recipients) == 1:
        listing = messages.list(
            q=chunks[0].recipients[0],
            remitter_id=remitter_id,
            created_at__ge=since,
            order="desc",
            order_by="created_at",
            page_size=100,
            limit=100,
        )
        walk = PageWalk(listing)
        while (operation := walk.next_operation()) is not None:
            for message in walk.record((yield Call(operation))).entries:
                if (
                    message.content == content
                    and digits(message.e164_format) == digits(chunks[0].recipients[0])
                    and not isinstance(message.campaign_id, str)
                    and _aware(message.created_at) >= since
                    and message.id not in claimed
                ):
                    _note(record, 1, message.id, 1, _aware(message.created_at))
        return record
    by_name = {c.name: c for c in chunks}
    mark = f" #{tag}"
    walk = PageWalk(campaigns.list(order="desc", order_by="created_at", page_size=100))
    pages = 0
    while (operation := walk.next_operation()) is not None and pages < MAX_PAGES:
        page = walk.record((yield Call(operation)))
        pages += 1
        for campaign in page.entries:
            created = _aware(campaign.created_at)
            if (
                created < since
                or not campaign.name.endswith(mark)
                or campaign.id in claimed
                or (isinstance(campaign.content, str) and campaign.content != content)
                or (
                    isinstance(campaign.sms_remitter_id, str)
                    and campaign.sms_remitter_id != remitter_id
                )
            ):
                continue
            chunk = by_name.get(campaign.name)
            total = campaign.total_recipients
            size = total if isinstance(total, int) else 0
            if chunk is None or (isinstance(total, int) and total != len(chunk.recipients)):
                record.extra.append((campaign.id, size, created))
            else:
                _note(record, chunk.number, campaign.id, len(chunk.recipients), created)
        if page.entries and _aware(page.entries[-1].created_at) < since:
            break  # newest first: the rest is older than the window
    return record


def _note(record: Record, number: int, identifier: str, size: int, created: datetime) -> None:
    if number in record.found:  # sent twice already: the newest is kept, the other is extra
        record.extra.append((identifier, size, created))
    else:
        record.found[number] = (identifier, created)


def refusal(
    name: str, chunks: Sequence[Chunk], record: Record, window: float
) -> DuplicateSendError:
    """The error of a job the server shows as already sent (nothing sent now)."""
    sends, recipients, first = record.sent(chunks)
    when = f", the first at {first.isoformat()}" if first is not None else ""
    hours = f"{window / 3600:g} h"
    error = DuplicateSendError(
        f"{name!r} was already sent: the server shows {sends} send(s) of this same job "
        f"(name, sender, text and recipients), {recipients:,} recipient(s) in all, in the "
        f"last {hours}{when}; this job has {len(chunks)} chunk(s). Nothing was sent now. If the "
        "earlier run's journal is at hand, run again with it to resume; to send the job again "
        "on purpose, pass allow_repeat=True (ziett campaigns send --allow-repeat).",
        chunks_sent=sends,
        recipients_sent=recipients,
        first_sent_at=first,
    )
    error.may_have_been_sent = False
    return error


def adopt_server_record(
    journal: Journal,
    chunks: list[Chunk],
    *,
    name: str,
    remitter_id: str,
    content: str,
    tag: str,
    window: float,
    claimed: set[str],
) -> Plan[tuple[list[Chunk], set[int]]]:
    """Chunks the server shows sent by an earlier run, adopted; or ``DuplicateSendError``.

    Without local progress (no chunk ever begun: a new, emptied or replaced
    journal) the whole window is read; with some, only from shortly before
    the journal's first request, so that an earlier job is never adopted.
    Returns the chunks and those to look up before sending (the one after the
    last found, perhaps in flight when that run died).
    """
    began = [datetime.fromisoformat(c.began) for c in chunks if c.began]
    fresh = not began
    since = datetime.now(UTC) - timedelta(seconds=window)
    if began:
        since = max(since, min(began) - MARGIN)
    try:
        record = yield from server_record(
            chunks, remitter_id=remitter_id, content=content, tag=tag, since=since, claimed=claimed
        )
    except ZiettError as error:
        scope = " (a key that can list campaigns is needed)" * isinstance(
            error, PermissionDeniedError
        )
        error.add_note(
            f"send_bulk could not read the server's recent sends{scope}, to check for an "
            "earlier run of this job: nothing was sent. Run the same call again, or pass "
            "allow_repeat=True to send without the check."
        )
        raise
    if not record.found and not record.extra:
        return chunks, set()
    if fresh and (record.extra or len(record.found) == len(chunks)):
        raise refusal(name, chunks, record, window)
    adopted = list(chunks)
    for number, (result_id, created) in sorted(record.found.items()):
        chunk = chunks[number - 1]
        if chunk.state != "pending":
            continue
        yield Blocking(partial(journal.found, number, result_id, created.isoformat()))
        adopted[number - 1] = chunk._replace(
            state="accepted", result_id=result_id, began=created.isoformat()
        )
        claimed.add(result_id)
    following = max(record.found, default=0) + 1
    if fresh and following <= len(chunks):
        newest = max(created for _, created in record.found.values())
        adopted[following - 1] = adopted[following - 1]._replace(began=newest.isoformat())
        return adopted, {following}
    return adopted, set()
