"""``campaigns.send_bulk``: an audience of any size, each valid number in exactly one campaign.

The builder :func:`send_bulk` returns a job plan: read the recipients, cut them in chunks
(``bulk_lookup``), open the journal, adopt what an earlier run of the same job sent, then
send each chunk in turn, paced, journaled before and after its request. An unknown
outcome is looked up first (``reconcile``); a retryable failure waits by ``bulk_retry``;
a 422 is reported and the job goes on; anything else stops it, the journal ready for the
same call. The residual risk is reconcile's: a server committing later than the settle delay.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, NamedTuple
from uuid import UUID

import httpx

from ziett import _constraints as limits
from ziett._arguments import (
    NO_DEFAULTS,
    NOT_GIVEN,
    ClientDefaults,
    NotGiven,
    Problems,
    call_options,
    checked_body,
    country_code,
    missing_sender,
    sender,
)
from ziett._errors import (
    InvalidRequestError,
    ValidationError,
    ZiettError,
)
from ziett._retry import RetryPolicy
from ziett._transport import Blocking, Call, Operation, Plan, Sleep
from ziett.jobs.bulk_lookup import (
    MAX_CHUNK,
    NAME_LENGTH,
    Audience,
    adopt_server_record,
    chunk_name,
    chunk_sizes,
    identity,
    job_tag,
    plan_chunks,
    read_audience,
)
from ziett.jobs.bulk_retry import DEFAULT_RETRIES, ClientRetry, Collect, wait_before_retry
from ziett.jobs.journal import Chunk, Journal
from ziett.jobs.reconcile import campaign_finder, message_finder
from ziett.resources import campaigns, messages
from ziett.resources._common import check_segments

__all__ = [
    "MAX_CHUNK",
    "NAME_LENGTH",
    "REPEAT_WINDOW",
    "Audience",
    "BulkReport",
    "Progress",
    "chunk_name",
    "chunk_sizes",
    "identity",
    "plan_chunks",
    "read_audience",
    "send_bulk",
]

SETTLE_DELAY = 2.0
"""Seconds between an unknown outcome and the lookup of what the server did."""
WINDOW = timedelta(minutes=10)
"""How far before a chunk's recorded start its lookup reaches (clock skew, slow runs).
Safe to be wide: a campaign matches only with this chunk's name, text and numbers."""
REPEAT_WINDOW = 86_400.0
"""Seconds back the server's record is read for an earlier run of the same job (24 h)."""


@dataclass
class BulkReport:
    """What ``send_bulk`` did (this run and the runs before it, with a journal)."""

    name: str
    """The job's name (each campaign's name is it plus ``" (i/n) #<job mark>"``)."""
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


def send_bulk(
    defaults: ClientDefaults = NO_DEFAULTS,
    /,
    *,
    name: str,
    content: str,
    recipients: Iterable[str] | AsyncIterable[str],
    remitter_id: str | UUID | None = None,
    country_alpha2: str | None = None,
    journal: str | os.PathLike[str] | None = None,
    allow_repeat: bool = False,
    repeat_window: float = REPEAT_WINDOW,
    on_progress: Callable[[Progress], object] | None = None,
    max_segments: int | None = None,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[BulkReport]:
    """Send one text to an audience of any size, in campaigns of 2..1,000; resumable.

    Recipients are normalised and de-duplicated first; unreadable ones are
    reported (``report.invalid``) and skipped. Each valid distinct number ends in
    exactly one accepted campaign, named ``"<name> (i/n) #<job mark>"``, even when
    the process is killed and the same call run again with the same ``journal``:
    accepted chunks are skipped, chunks whose outcome is unknown are looked up on
    the server before anything is resent; a run that lost its journal finds the
    job's campaigns on the server. Paced by the client's rate limits.

    Args:
        name: The job's name, 1..200 characters; each campaign's name adds " (i/n)"
            and the job's mark (" #1a2b3c4d", a short form of its identity).
        remitter_id: The UUID of one of your approved Sender IDs; default: the
            client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
        content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
        recipients: Phone numbers: any iterable (a list, a CSV column, a generator),
            or an async iterable with ``AsyncZiett``. E.164, or local with
            ``country_alpha2``.
        country_alpha2: How local numbers are read (ISO 3166-1, ``"AO"``).
        journal: A file recording the job (SQLite, created if missing): run the same
            call again with it after a crash, a kill, a 402 (top up first), an
            outage or Ctrl+C to resume. None: in memory (no resume). A file that is
            not an intact journal of this version (another database, a text file, a
            truncated one) is refused before anything is written.
        allow_repeat: Send even when the server shows this same job (same name,
            sender, text and recipients) already sent within ``repeat_window``.
            Default False: a run whose journal holds no progress first reads the
            server's recent campaigns, resumes what an earlier run left
            unfinished, and raises ``DuplicateSendError`` (nothing sent) when
            the whole job was already sent.
        repeat_window: Seconds back that check reads (default 86,400: 24 hours).
        on_progress: Called after each chunk with a ``Progress`` (chunks done, chunks
            total, recipients accepted). It runs inline: keep it fast.
        max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as more
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
        InvalidRequestError: A bad argument or an audience without a valid number
            (before any request).
        JournalError: A journal in use by another run, not a journal, damaged, of
            a newer format or of another job (before any request).
        DuplicateSendError: The server shows this job already sent within
            ``repeat_window`` (before any request that sends).
        ZiettError: A failure that stops the job (401, 403, 402, an
            outage): run the same call again with the same journal to resume.
    """
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    remitter = sender(remitter_id, defaults)
    country_alpha2 = country_code(country_alpha2, defaults, problems)
    # The batch rules check the name, sender and text (recipients are checked one by one).
    body = checked_body(
        limits.BATCH_CAMPAIGN,
        {
            "name": name,
            "remitter_id": remitter,
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
    if not isinstance(allow_repeat, bool):
        raise TypeError(f"allow_repeat must be a bool, not {type(allow_repeat).__name__}")
    if isinstance(repeat_window, bool) or not isinstance(repeat_window, int | float):
        raise TypeError(f"repeat_window must be seconds, not {type(repeat_window).__name__}")
    if not 0 < repeat_window <= 366 * 86_400:  # NaN fails this too
        problems["repeat_window"] = "Must be seconds above 0, at most a year."
    if on_progress is not None and not callable(on_progress):
        problems["on_progress"] = "Must be callable or None."
    missing_sender(remitter, problems)
    check_segments(content, max_segments, problems)
    problems.raise_if_any()
    job = _Job(
        name=name,
        remitter_id=body["remitter_id"],
        content=content,
        country_alpha2=country_alpha2,
        journal=journal,
        allow_repeat=allow_repeat,
        repeat_window=float(repeat_window),
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
    allow_repeat: bool
    repeat_window: float
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
            raise InvalidRequestError(message, fields={"recipients": message})
        report = BulkReport(self.name, duplicates=audience.duplicates, invalid=audience.invalid)
        key = identity(self.name, self.remitter_id, self.content, audience.numbers)
        description = f"{self.name!r}, {len(audience.numbers)} recipients"
        planned = plan_chunks(self.name, audience.numbers, job_tag(key))
        if len(planned) == 1 and len(planned[0].recipients) == 1:
            self._single_message_rules(planned[0])  # before the journal is even opened
        journal = yield Blocking(lambda: Journal(self.journal))
        try:
            chunks: list[Chunk] = yield Blocking(partial(journal.start, key, description, planned))
            report.chunks = len(chunks)
            claimed = {c.result_id for c in chunks if c.result_id}
            suspect: set[int] = set()
            if not self.allow_repeat and any(c.state == "pending" for c in chunks):
                chunks, suspect = yield from adopt_server_record(
                    journal,
                    chunks,
                    name=self.name,
                    remitter_id=self.remitter_id,
                    content=self.content,
                    tag=job_tag(key),
                    window=self.repeat_window,
                    claimed=claimed,
                )
            report.resumed = sum(c.state in ("accepted", "rejected") for c in chunks)
            for done, chunk in enumerate(chunks, start=1):
                if chunk.number in suspect:  # perhaps in flight when an earlier run died
                    chunk = yield from self._found_late(journal, chunk, claimed)
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

    def _found_late(self, journal: Journal, chunk: Chunk, claimed: set[str]) -> Plan[Chunk]:
        """A pending chunk an earlier run may have been sending: looked up, adopted if found."""
        if chunk.state != "pending":
            return chunk
        found = yield from self._look_up(chunk, claimed)
        if found is None:
            return chunk._replace(began=None)
        began = chunk.began or _wall().isoformat()
        yield Blocking(partial(journal.found, chunk.number, found, began))
        return chunk._replace(state="accepted", result_id=found)

    # --- one chunk ------------------------------------------------------------------------------

    def _single_message_rules(self, chunk: Chunk) -> None:
        """Refuse a text the single ``messages.send`` of an audience of one cannot carry."""
        try:
            self._operation(chunk)
        except InvalidRequestError as error:
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
                wait = wait_before_retry(error, failures, self.retries, policy)
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

    def _operation(self, chunk: Chunk) -> Operation[str]:
        """The chunk's request, answering its id; one attempt (the job decides the rest)."""
        options: dict[str, Any] = {"max_retries": 0, "deadline": self.deadline}
        if not isinstance(self.timeout, NotGiven):
            options["timeout"] = self.timeout
        made: Operation[Any]
        if len(chunk.recipients) == 1:
            made = messages.send(
                remitter_id=self.remitter_id,
                target_e164=chunk.recipients[0],
                content=self.content,
                **options,
            )
            key = "message_id"
        else:
            made = campaigns.create_batch(
                name=chunk.name,
                remitter_id=self.remitter_id,
                content=self.content,
                recipients=chunk.recipients,
                **options,
            )
            key = "campaign_id"
        return Operation(
            made.request,
            lambda body: str(getattr(made.parse(body), key)),
            sends_message=True,
            options=made.options,
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
