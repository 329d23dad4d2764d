"""``ziett campaigns send``: a file of numbers as a campaign, sent exactly once.

The careful path from a CSV to sent messages: read the numbers
(:func:`ziett.cli._input.read_recipients`), print a preview before anything is sent
(recipients, invalid rows, encoding and parts, batch requests, the time the client's
``rate_limits`` add), ask unless ``--yes``, send with ``client.campaigns.send_bulk``
journaled in SQLite (``--journal``), and on Ctrl+C or a failure print the command that
resumes, never with credentials. The preview goes to stdout for a person, to stderr with
``--json``. Touches the SDK client, the journal's file and the terminal.
"""

from __future__ import annotations

import math
import shlex
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ziett import sms
from ziett._client import Ziett
from ziett._config import display_url
from ziett._errors import DuplicateSendError, InvalidRequestError, JournalError, ZiettError
from ziett._throttle import RateLimit
from ziett.cli import _render
from ziett.cli._campaign_outcome import report_document  # re-exported for callers
from ziett.cli._common import (
    CountryOption,
    FromOption,
    JsonOption,
    option_words,
    parts,
    remitter,
    settings,
)
from ziett.cli._errors import EXIT_API_ERROR, EXIT_INTERRUPTED, describe, exit_code, fail, reporting
from ziett.cli._input import Recipients, journal_path, read_recipients
from ziett.jobs.bulk import MAX_CHUNK, BulkReport, chunk_sizes, identity
from ziett.jobs.bulk import Progress as BulkProgress
from ziett.jobs.bulk_lookup import job_tag
from ziett.jobs.journal import Journal

__all__ = ["campaigns_send", "preview", "rate_limit_wait", "report_document"]

BATCH_ROUTE = "POST /c/v1/campaigns/batch"


def rate_limit_wait(batches: int, requests: int, per_seconds: float) -> float:
    """Seconds the rate limit adds to ``batches`` requests (at most ``requests`` per window)."""
    if batches <= requests or requests <= 0:
        return 0.0
    return (math.ceil(batches / requests) - 1) * per_seconds


def _duration(seconds: float) -> str:
    if seconds <= 0:
        return "no wait"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    if seconds < 5400:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


def preview(
    *,
    name: str,
    text: str,
    remitter_id: str,
    recipients: Recipients,
    rate_limit: RateLimit | None,
    journal: Path,
    journal_note: str = "",
) -> list[tuple[str, str]]:
    """What ``campaigns send`` will do, as (label, value) lines for a person."""
    info = sms.analyze(text)
    count = len(recipients.numbers)
    batches = len(chunk_sizes(count)) if count > 1 else 0
    if rate_limit is None:
        pace = "not paced by this client"
    else:
        waited = rate_limit_wait(batches, rate_limit.requests, rate_limit.per_seconds)
        pace = (
            f"{_duration(waited)} ({rate_limit.requests} batch requests "
            f"per {rate_limit.per_seconds:g} s)"
        )
    dupes = recipients.duplicates
    removed = f" ({dupes:,} duplicate{'s' if dupes != 1 else ''} removed)" if dupes else ""
    lines = [
        ("campaign", name),
        ("sender ID", remitter_id),
        ("recipients", f"{count:,}{removed}"),
    ]
    if recipients.invalid:
        # The reason names the value: "'12' is too short to be a phone number."
        shown = option_words(" ".join(why for why in list(recipients.invalid.values())[:3]))
        more = " ..." if len(recipients.invalid) > 3 else ""
        lines.append(("invalid rows", f"{len(recipients.invalid):,} skipped ({shown}{more})"))
    forced = ""
    if info.non_gsm:
        chars = "".join(dict.fromkeys(char for _, char in info.non_gsm))[:10]
        forced = f", forced by {chars!r}"
    requests = (
        "1 message request (a single recipient)"
        if count == 1
        else f"{batches:,} batch request{'s' if batches != 1 else ''} of up to {MAX_CHUNK:,}"
    )
    lines += [
        ("text", f"{info.encoding}{forced}, {parts(info.segments)} per message"),
        ("SMS parts", f"{count * info.segments:,} in all"),
        ("requests", requests),
        ("rate limit", pace),
        ("journal", f"{journal}{' (exists: this run resumes it)' if journal.exists() else ''}"),
    ]
    if journal_note:
        lines.append(("", journal_note))
    return lines


def _read_file(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text")


def _confirm(count: int, people: Console) -> bool:
    """Ask before sending; Ctrl+C or the end of input at the prompt sends nothing (130)."""
    try:
        return typer.confirm(f"Send to {count:,} recipients?", default=False)
    except typer.Abort:
        people.print("\nNothing sent.")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _resume_command(
    base_url: str, file: str, name: str, text: str, journal: Path, extra: list[str]
) -> str:
    """The command that resumes this send: the same server (its journal is that server's
    sends), file, name, text and journal; never the API key (the environment's) nor
    credentials in the URL."""
    server = display_url(base_url)
    args = ["ziett", "--base-url", server, "campaigns", "send", "--file", file, "--name", name]
    return shlex.join([*args, "--text", text, "--journal", str(journal), *extra])


def _recorded(path: Path) -> tuple[str, str] | None:
    """The (identity, description) of the job journaled at ``path``, None when there is
    none yet; a file that cannot be a journal (or one in use) is a usage error."""
    if not path.exists():
        return None
    try:
        journal = Journal(path)
    except JournalError as error:
        fail(str(error))
    try:
        return journal.recorded()
    finally:
        journal.close()


def _journal_for(given: Path | None, name: str, key: str) -> tuple[Path, str]:
    """This job's journal, and a note for the preview: ``--journal``, else the file named
    after the campaign, else (that one being another job's) the same name with the job's
    mark. Another job's journal given with ``--journal`` stops here, before the preview."""
    default = journal_path(name)
    stem = default.name.removesuffix(".ziett-journal")
    own = default.with_name(f"{stem}-{job_tag(key)}.ziett-journal")
    taken, other = default, ""
    for path in [given] if given is not None else [default, own]:
        recorded = _recorded(path)
        if recorded is None or recorded[0] == key:
            note = "" if path != own else f"({default} belongs to another job)"
            return path, note
        taken, other = path, recorded[1]
    fail(
        f"the journal {taken} belongs to another job ({other}): its name, sender, text "
        f"or numbers differ. Nothing was sent. To send this job, pass --journal {own} "
        f"(or leave --journal out); to resume that one, run it with its own file and text"
    )


def campaigns_send(
    ctx: typer.Context,
    file: Annotated[str, typer.Option("--file", help="CSV or one number per line; - reads stdin.")],
    name: Annotated[str, typer.Option("--name", help="The campaign's name.")],
    text: Annotated[str, typer.Option("--text", help="The message.")],
    sender: FromOption = None,
    country: CountryOption = None,
    journal: Annotated[
        Path | None,
        typer.Option("--journal", help="Resume file (default: <name>.ziett-journal here)."),
    ] = None,
    max_segments: Annotated[
        int | None, typer.Option("--max-segments", help="Refuse a text of more SMS parts.", min=1)
    ] = None,
    allow_repeat: Annotated[
        bool,
        typer.Option(
            "--allow-repeat",
            help="Send even if the server shows this same job sent in the last 24 h.",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Send without asking.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Send a file of numbers as a campaign: preview, confirm, send, resumable."""
    options = settings(ctx)
    if file == "-" and not yes:
        fail("--file - reads the numbers from stdin, so it cannot ask to confirm: add --yes")
    with reporting(options.verbose):
        remitter_id = remitter(sender)
        try:
            recipients = read_recipients(_read_file(file), country_alpha2=country)
        except InvalidRequestError as error:  # an unknown country code, in --country's words
            if "country_alpha2" not in error.fields:
                raise
            fail(f"--country {country!r}: {error.fields['country_alpha2']}")
        key = identity(name, _canonical(remitter_id), text, recipients.numbers)
        journal_file, note = _journal_for(journal, name, key)
        with options.client() as client:
            lines = preview(
                name=name,
                text=text,
                remitter_id=remitter_id,
                recipients=recipients,
                rate_limit=client.rate_limits.get(BATCH_ROUTE),
                journal=journal_file,
                journal_note=note,
            )
            people = _render.error_console() if as_json else _render.console()
            people.print(_render.detail_table(lines))
            if not recipients.numbers:
                fail("no recipients to send to")
            if not yes and not _confirm(len(recipients.numbers), people):
                people.print("Nothing sent.")
                return
            extra = [] if sender is None else ["--from", sender]
            extra += [] if country is None else ["--country", country]
            extra += [] if max_segments is None else ["--max-segments", str(max_segments)]
            again = file if file != "-" else _saved_numbers(journal_file, recipients.numbers)
            resume = _resume_command(
                client.base_url,
                again,
                name,
                text,
                journal_file,
                [*extra, *(["--allow-repeat"] if allow_repeat else []), "--yes"],
            )
            repeat = _resume_command(
                client.base_url,
                again,
                name,
                text,
                journal_file,
                [*extra, "--allow-repeat", "--yes"],
            )
            report = _send(
                client,
                people,
                name=name,
                text=text,
                remitter_id=remitter_id,
                numbers=recipients.numbers,
                journal=journal_file,
                max_segments=max_segments,
                allow_repeat=allow_repeat,
                resume=resume,
                repeat=repeat,
                verbose=options.verbose,
            )
    document = {
        "name": name,
        "campaign_ids": report.campaign_ids,
        "message_ids": report.message_ids,
        "accepted": report.accepted,
        "duplicates": recipients.duplicates + sum(report.duplicates.values()),
        "invalid": len(recipients.invalid) + len(report.invalid),
        "rejected": report.rejected,
        "resumed": report.resumed,
        "journal": str(journal_file),
    }
    if as_json:
        _render.echo_json(document)
    else:
        count = len(report.campaign_ids)
        people.print(
            f"Done: {report.accepted:,} recipients accepted in {count:,} "
            f"campaign{'s' if count != 1 else ''}"
            + (f" ({report.resumed:,} chunks from an earlier run)" if report.resumed else "")
        )
        for campaign_id in report.campaign_ids:
            people.print(Text(f"  {campaign_id}"))
        for chunk, fields in report.rejected.items():
            people.print(Text(f"  rejected {chunk}: {fields}", style="red"))
    if report.rejected:
        print(f"error: the API rejected {len(report.rejected)} chunk(s)", file=sys.stderr)
        raise typer.Exit(EXIT_API_ERROR)


def _send(
    client: Ziett,
    people: Console,
    *,
    name: str,
    text: str,
    remitter_id: str,
    numbers: list[str],
    journal: Path,
    max_segments: int | None,
    allow_repeat: bool,
    resume: str,
    repeat: str,
    verbose: bool,
) -> BulkReport:
    """Run the bulk send with a progress bar on a terminal; Ctrl+C says how to resume."""
    total = len(numbers)
    bar = sys.stdout.isatty()
    progress = Progress(
        TextColumn("[bold]Sending"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=people,
        disable=not bar,
    )
    task = progress.add_task("send", total=total)
    done = [0]

    def on_progress(update: BulkProgress) -> None:
        done[0] = update.accepted
        progress.update(task, completed=update.accepted)

    try:
        with progress:
            return client.campaigns.send_bulk(
                name=name,
                remitter_id=remitter_id,
                content=text,
                recipients=numbers,
                journal=str(journal),
                on_progress=on_progress,
                max_segments=max_segments,
                allow_repeat=allow_repeat,
            )
    except KeyboardInterrupt:
        print(
            f"\nInterrupted after {done[0]:,} of {total:,} recipients. Nothing is lost: the "
            f"journal {journal} records what was sent. To resume, run:\n  {resume}",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except DuplicateSendError as error:
        print(describe(error), file=sys.stderr)
        print(f"To send it again on purpose, run:\n  {repeat}", file=sys.stderr)
        raise typer.Exit(exit_code(error)) from None
    except ZiettError as error:
        print(describe(error), file=sys.stderr)
        print(f"To resume once fixed, run:\n  {resume}", file=sys.stderr)
        raise typer.Exit(exit_code(error)) from None


def _canonical(remitter_id: str) -> str:
    """The sender ID as ``send_bulk`` spells it in the job's identity (canonical UUID)."""
    try:
        return str(uuid.UUID(remitter_id))
    except ValueError:
        return remitter_id  # refused by send_bulk's own check, with its message


def _saved_numbers(journal: Path, numbers: list[str]) -> str:
    """Numbers read from stdin, kept beside the journal so that the resume command can
    read them again: its path."""
    path = journal.with_name(journal.name + ".numbers")
    try:
        path.write_text("".join(f"{number}\n" for number in numbers), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot keep the numbers read from stdin in {path}: {exc.strerror or exc}")
    return str(path)
