"""``campaigns.send_bulk``: an audience of any size, each valid number in exactly one campaign.

The builder :func:`send_bulk` checks its arguments and returns a job plan
(``ziett._transport``), run by either client:

1. :class:`Collect` the recipients: a plain iterable, or an async iterable
   (consumed by the async driver; the blocking client refuses one).
2. Normalise (``ziett.phone.normalize``) and de-duplicate them
   (:func:`read_audience`): unreadable rows go to ``report.invalid``, repeats to
   ``report.duplicates``. Split the rest in balanced chunks of 2..1,000
   (:func:`chunk_sizes`; one valid number is a single ``messages.send``), named
   ``"Black Friday (7/60)"`` (:func:`chunk_name`). With exactly one valid number
   its text is checked against the single message's rules (1..1,600 characters)
   here, before anything is written.
3. Open the journal (``ziett.jobs.journal``), leased to this run for as long as
   it runs (a second run on the same file is refused before any request): a new
   job records its chunks; a journal of the same job resumes it; one of another
   job is refused.
4. Each chunk in turn, paced by the client's own rate limits (shared with every
   other call): ``accepted``/``rejected`` chunks are skipped; a ``sending`` one
   (a run that died during its request) is reconciled first
   (``ziett.jobs.reconcile``); then the request is built (and so checked), and
   only then "sending" is written and fsync'd, the request made, and the answer
   written. An unknown outcome (timeout, dropped connection, 5xx) is reconciled
   before any new attempt; a 429 (after its Retry-After, up to the client's
   ``max_retry_after``) or a request that surely never left is tried again, with
   the client's backoff; a 422 is reported with the server's fields and the job
   goes on; anything else (401, 403, 402, an outage, a longer Retry-After) stops
   the job, the journal ready for the same call to resume it.

The promise: every valid distinct recipient ends in exactly one accepted
campaign, wherever the process is killed and however often, within the
residual risk described in ``ziett.jobs.reconcile`` (a server committing a
request later than the settle delay).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import AsyncIterable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, NamedTuple
from uuid import UUID

import httpx

from ziett import _constraints as limits
from ziett import phone
from ziett._arguments import NOT_GIVEN, NotGiven, Problems, call_options, checked_body
from ziett._errors import (
    APIError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
    ZiettError,
)
from ziett._retry import RetryPolicy
from ziett._transport import Blocking, Call, Link, Operation, Plan, Sleep, Step
from ziett.jobs.journal import Chunk, Journal
from ziett.jobs.reconcile import campaign_finder, message_finder
from ziett.resources import campaigns, messages
from ziett.resources._common import check_segments

MAX_CHUNK = 1_000
"""The documented maximum of recipients per batch (the minimum is 2)."""
NAME_LENGTH = 200
"""The documented maximum length of a campaign name."""
SETTLE_DELAY = 2.0
"""Seconds between an unknown outcome and the lookup of what the server did."""
WINDOW = timedelta(minutes=10)
"""How far before a chunk's recorded start its lookup reaches (clock skew, slow runs).
Safe to be wide: a campaign matches only with this chunk's name, text and numbers."""
DEFAULT_RETRIES = 3


@dataclass
class BulkReport:
    """What ``send_bulk`` did (this run and the runs before it, with a journal)."""

    name: str
    """The job's name (each campaign's name is it plus ``" (i/n)"``)."""
    campaign_ids: list[str] = field(default_factory=list)
    """The accepted campaigns, in chunk order."""
    message_ids: list[str] = field(default_factory=list)
    """The message, for an audience of exactly one valid number."""
    accepted: int = 0
    """Recipients in accepted campaigns (or the one message)."""
    duplicates: dict[str, int] = field(default_factory=dict)
    """E.164 number -> how many more rows spelt it (sent once)."""
    invalid: dict[str, str] = field(default_factory=dict)
    """Row as given -> why it cannot be read (not sent)."""
    rejected: dict[str, dict[str, str]] = field(default_factory=dict)
    """Campaign name -> the server's fields, for chunks it refused (422; not sent)."""
    chunks: int = 0
    """Requests the job is made of."""
    resumed: int = 0
    """Chunks found already accepted or settled in the journal at the start of this run."""


class Progress(NamedTuple):
    """What ``on_progress`` is told after each chunk."""

    chunks_done: int
    chunks_total: int
    accepted: int
    """Recipients accepted so far."""


class Audience(NamedTuple):
    """The recipients, read: distinct E.164 numbers in first-seen order, and the rest."""

    numbers: list[str]
    duplicates: dict[str, int]
    invalid: dict[str, str]


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


def read_audience(rows: Iterable[Any], country_alpha2: str | None) -> Audience:
    """Normalise and de-duplicate ``rows`` (see :class:`Audience`).

    Raises:
        ValidationError: ``country_alpha2`` is not a known country.
    """
    seen: dict[str, None] = {}
    duplicates: dict[str, int] = {}
    invalid: dict[str, str] = {}
    for index, row in enumerate(rows):
        try:
            number = phone.normalize(row, country_alpha2=country_alpha2, field="recipient")
        except ValidationError as error:
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


def chunk_name(name: str, number: int, total: int) -> str:
    """``name`` for one chunk, else ``"name (7/60)"``, within the documented 200 characters."""
    if total == 1:
        return name[:NAME_LENGTH]
    suffix = f" ({number}/{total})"
    return name[: NAME_LENGTH - len(suffix)] + suffix


def identity(name: str, remitter_id: str, content: str, numbers: Iterable[str]) -> str:
    """The job's identity: a hash of its name, sender, content and recipient set."""
    text = json.dumps([name, remitter_id, content, sorted(numbers)], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def plan_chunks(name: str, numbers: Sequence[str]) -> list[Chunk]:
    """The chunks of a new job, in order."""
    sizes = chunk_sizes(len(numbers))
    chunks, start = [], 0
    for number, size in enumerate(sizes, start=1):
        chunks.append(
            Chunk(
                number, chunk_name(name, number, len(sizes)), tuple(numbers[start : start + size])
            )
        )
        start += size
    return chunks


def send_bulk(
    *,
    name: str,
    remitter_id: str | UUID,
    content: str,
    recipients: Iterable[str] | AsyncIterable[str],
    country_alpha2: str | None = None,
    journal: str | os.PathLike[str] | None = None,
    on_progress: Callable[[Progress], object] | None = None,
    max_segments: int | None = None,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[BulkReport]:
    """Send one text to an audience of any size, in campaigns of 2..1,000; resumable.

    Recipients are normalised and de-duplicated first; unreadable ones are
    reported (``report.invalid``) and skipped. Each valid distinct number ends in
    exactly one accepted campaign, named ``"<name> (i/n)"``, even when the
    process is killed and the same call run again with the same ``journal``:
    accepted chunks are skipped, chunks whose outcome is unknown are looked up on
    the server before anything is resent. Paced by the client's rate limits.

    Args:
        name: The job's name, 1..200 characters; each campaign's name adds " (i/n)".
        remitter_id: The UUID of one of your approved Sender IDs.
        content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
        recipients: Phone numbers: any iterable (a list, a CSV column, a generator),
            or an async iterable with ``AsyncZiett``. E.164, or local with
            ``country_alpha2``.
        country_alpha2: How local numbers are read (ISO 3166-1, ``"AO"``).
        journal: A file recording the job (SQLite, created if missing): run the same
            call again with it after a crash, a kill, a 402 (top up first), an
            outage or Ctrl+C to resume. None: in memory (no resume).
        on_progress: Called after each chunk with a ``Progress`` (chunks done, chunks
            total, recipients accepted). It runs inline: keep it fast.
        max_segments: Refuse (``ValidationError``, nothing sent) a text billed as more
            than this many SMS parts per recipient. Default: no guard.
        timeout: Per-attempt timeout of each request (default: the client's).
        max_retries: New attempts of a chunk after a failure that sent nothing (or a
            lookup that found nothing), default 3.
        deadline: Seconds for each request, its wait for a rate-limit slot included
            (default: none); a request out of time is handled like any failure (looked
            up first when it may have been sent, then tried again).

    Returns:
        A ``BulkReport``: ``campaign_ids``, ``accepted``, ``duplicates``, ``invalid``,
        ``rejected`` (chunks the server refused, with its fields).

    Raises:
        ValidationError: A bad argument or an audience without a valid number
            (before any request).
        ZiettError: A journal that cannot be written or belongs to another job
            (before any request); a failure that stops the job (401, 403, 402, an
            outage): run the same call again with the same journal to resume.
    """
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    # The batch rules check the name, sender and text (recipients are checked one by one).
    body = checked_body(
        limits.BATCH_CAMPAIGN,
        {
            "name": name,
            "remitter_id": remitter_id,
            "content": content,
            "channel_type": "SMS",
            "recipients": ["+244990000001", "+244990000002"],  # a stand-in
        },
        problems,
    )
    if isinstance(recipients, str | bytes) or not isinstance(recipients, Iterable | AsyncIterable):
        problems["recipients"] = "Must be an iterable of phone numbers, not one value."
    if journal is not None and not isinstance(journal, str | os.PathLike):
        problems["journal"] = f"Must be a file path or None (got {journal!r})."
    if on_progress is not None and not callable(on_progress):
        problems["on_progress"] = "Must be callable or None."
    check_segments(content, max_segments, problems)
    problems.raise_if_any()
    job = _Job(
        name=name,
        remitter_id=body["remitter_id"],
        content=content,
        country_alpha2=country_alpha2,
        journal=journal,
        on_progress=on_progress,
        timeout=timeout,
        retries=options.get("max_retries", DEFAULT_RETRIES),
        deadline=options.get("deadline"),
    )
    return job.run(recipients)


@dataclass
class _Job:
    name: str
    remitter_id: str
    content: str
    country_alpha2: str | None
    journal: str | os.PathLike[str] | None
    on_progress: Callable[[Progress], object] | None
    timeout: float | httpx.Timeout | NotGiven | None
    retries: int
    deadline: float | None = None

    def run(self, recipients: Iterable[Any] | AsyncIterable[Any]) -> Plan[BulkReport]:
        policy: RetryPolicy = yield ClientRetry()
        rows = yield Collect(recipients)
        audience = yield Blocking(lambda: read_audience(rows, self.country_alpha2))
        if not audience.numbers:
            example = next(iter(audience.invalid.items()), None)
            why = f", none readable (e.g. {example[0]!r}: {example[1]})" if example else ""
            message = f"No valid recipient to send to ({len(rows)} row(s){why})."
            raise ValidationError(message, fields={"recipients": message})
        report = BulkReport(self.name, duplicates=audience.duplicates, invalid=audience.invalid)
        key = identity(self.name, self.remitter_id, self.content, audience.numbers)
        description = f"{self.name!r}, {len(audience.numbers)} recipients"
        planned = plan_chunks(self.name, audience.numbers)
        if len(planned) == 1 and len(planned[0].recipients) == 1:
            self._single_message_rules(planned[0])  # before the journal is even opened
        journal = yield Blocking(lambda: Journal(self.journal))
        try:
            chunks: list[Chunk] = yield Blocking(partial(journal.start, key, description, planned))
            report.chunks = len(chunks)
            report.resumed = sum(c.state in ("accepted", "rejected") for c in chunks)
            claimed = {c.result_id for c in chunks if c.result_id}
            for done, chunk in enumerate(chunks, start=1):
                chunk = yield from self._settled(journal, chunk, claimed, policy)
                if chunk.state == "accepted":
                    assert chunk.result_id is not None
                    claimed.add(chunk.result_id)
                    ids = report.campaign_ids if len(chunk.recipients) > 1 else report.message_ids
                    ids.append(chunk.result_id)
                    report.accepted += len(chunk.recipients)
                else:
                    report.rejected[chunk.name] = json.loads(chunk.detail or "{}")
                if self.on_progress is not None:
                    self.on_progress(Progress(done, len(chunks), report.accepted))
        finally:
            journal.close()
        return report

    # --- one chunk ------------------------------------------------------------------------------

    def _single_message_rules(self, chunk: Chunk) -> None:
        """Refuse a text the single ``messages.send`` of an audience of one cannot carry."""
        try:
            self._operation(chunk)
        except ValidationError as error:
            error.add_note(
                "send_bulk: exactly one recipient is valid, so it is sent as a single "
                "message (messages.send), whose content is 1..1,600 characters."
            )
            raise

    def _settled(
        self, journal: Journal, chunk: Chunk, claimed: set[str], policy: RetryPolicy
    ) -> Plan[Chunk]:
        """The chunk once accepted or rejected; raises what stops the job."""
        if chunk.state in ("accepted", "rejected"):
            return chunk
        failures = 0
        if chunk.state == "sending":  # an earlier run died during (or right after) its request
            found = yield from self._look_up(chunk, claimed)
            if found is not None:
                yield Blocking(partial(journal.accepted, chunk.number, found))
                return chunk._replace(state="accepted", result_id=found)
            yield Blocking(partial(journal.pending, chunk.number))  # looked up: not sent
        operation = self._operation(chunk)  # checks the request: nothing is written if it fails
        while True:
            began = _wall().isoformat()
            chunk = chunk._replace(began=began)
            yield Blocking(partial(journal.sending, chunk.number, began))
            try:
                result_id = yield Call(operation)
            except ValidationError as error:
                if error.status_code in (400, 422):
                    fields = error.fields or {"": str(error)}
                    yield Blocking(partial(journal.rejected, chunk.number, fields))
                    return chunk._replace(state="rejected", detail=json.dumps(fields))
                raise
            except ZiettError as error:
                failures += 1
                if error.may_have_been_sent:
                    found = yield from self._look_up(chunk, claimed)
                    if found is not None:
                        yield Blocking(partial(journal.accepted, chunk.number, found))
                        return chunk._replace(state="accepted", result_id=found)
                # Surely not acted on (or looked up and not found): it is to be sent again.
                yield Blocking(partial(journal.pending, chunk.number))
                wait = self._wait_before_retry(error, failures, policy)
                if wait is None:
                    error.add_note(
                        f"send_bulk stopped at {chunk.name!r} (chunk {chunk.number}); "
                        "run the same call again with the same journal to resume."
                    )
                    raise
                yield Sleep(wait)
                continue
            yield Blocking(partial(journal.accepted, chunk.number, result_id))
            return chunk._replace(state="accepted", result_id=result_id)

    def _wait_before_retry(
        self, error: ZiettError, failures: int, policy: RetryPolicy
    ) -> float | None:
        """Seconds before the next attempt of a chunk, or None to stop the job.

        ``policy`` is the client's: its backoff, and its ``max_retry_after`` (a 429
        asking for longer stops the job, as it stops any other call).
        """
        if isinstance(error, AuthenticationError | PermissionDeniedError):
            return None
        if failures > self.retries:
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

    def _operation(self, chunk: Chunk) -> Operation[str]:
        """The chunk's request, answering its id; one attempt (the job decides the rest)."""
        options: dict[str, Any] = {"max_retries": 0, "deadline": self.deadline}
        if not isinstance(self.timeout, NotGiven):
            options["timeout"] = self.timeout
        if len(chunk.recipients) == 1:
            single = messages.send(
                remitter_id=self.remitter_id,
                target_e164=chunk.recipients[0],
                content=self.content,
                **options,
            )
            return Operation(
                single.request,
                lambda body: str(single.parse(body).message_id),
                sends_message=True,
                options=single.options,
            )
        batch = campaigns.create_batch(
            name=chunk.name,
            remitter_id=self.remitter_id,
            content=self.content,
            recipients=chunk.recipients,
            **options,
        )
        return Operation(
            batch.request,
            lambda body: str(batch.parse(body).campaign_id),
            sends_message=True,
            options=batch.options,
        )

    def _look_up(self, chunk: Chunk, claimed: set[str]) -> Plan[str | None]:
        """After the settle delay: the id the server gave this chunk, or None."""
        began = datetime.fromisoformat(chunk.began) if chunk.began else _wall() - WINDOW
        wait = SETTLE_DELAY - (_wall() - began).total_seconds()
        if wait > 0:
            yield Sleep(wait)
        if len(chunk.recipients) == 1:
            finder = message_finder(
                remitter_id=self.remitter_id,
                target_e164=chunk.recipients[0],
                content=self.content,
                list_messages=messages.list,
            )
            key = "message_id"
        else:
            finder = campaign_finder(
                name=chunk.name,
                remitter_id=self.remitter_id,
                content=self.content,
                recipients=chunk.recipients,
                list_campaigns=campaigns.list,
                list_campaign_messages=campaigns.list_messages,
            )
            key = "campaign_id"
        found = yield from finder(began - WINDOW, _SetClaims(claimed))
        return None if found is None else str(getattr(found, key))


class _SetClaims:
    """The ids this job already holds (no lookup may return one of them for another chunk)."""

    def __init__(self, ids: set[str]) -> None:
        self.ids = ids

    def claimed(self, identifier: str) -> bool:
        return identifier in self.ids

    def claim(self, identifier: str) -> None:
        self.ids.add(identifier)


def _wall() -> datetime:
    return datetime.now(UTC)
