"""The ``ziett`` commands: a Typer app over the blocking client.

One command per task a person has at a terminal (``send``; ``messages list | get``;
``campaigns ...``; ``sms analyze``; ``sandbox``), each a thin layer over the SDK so the
command line behaves exactly as the library does. The key comes from ``--api-key`` or
``ZIETT_API_KEY`` (read by :class:`ziett.Ziett`, never a default shown by ``--help``);
every command runs inside :func:`ziett.cli._errors.reporting`. ``campaigns send`` lives
in :mod:`ziett.cli._campaigns`, ``campaigns wait | report`` in
:mod:`ziett.cli._campaign_outcome`.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Any

import typer
from rich.text import Text

from ziett import sms
from ziett._errors import WaitTimeoutError
from ziett._version import __version__
from ziett.cli import _campaign_outcome, _campaigns, _render, _sandbox
from ziett.cli._common import (
    DEFAULT_WAIT_SECONDS,
    CountryOption,
    FromOption,
    JsonOption,
    Settings,
    TimeoutOption,
    UtcOption,
    WaitOption,
    number,
    parts,
    remitter,
    settings,
)
from ziett.cli._errors import SERVER, Group, reporting
from ziett.cli._input import parse_moment
from ziett_client.models import Message

__all__ = ["app"]

HELP = """Send SMS, follow messages and campaigns, check texts: the Ziett API at a terminal.

Configuration: --api-key or ZIETT_API_KEY, --base-url or ZIETT_BASE_URL,
--from or ZIETT_REMITTER_ID (the sender ID).

Output: tables for people; --json on every command that prints data (JSON lines
for lists). Lists show 20 rows unless --limit N or --all. Times are local with
their zone unless --utc.

Errors: one line on stderr, "error: ...". Exit codes: 0 success, 1 API error
(or the server could not be reached), 2 usage error (nothing was sent), 3 the
outcome of a send is unknown (it may have been sent), 4 waited and timed out,
130 interrupted.
"""

app = typer.Typer(
    name="ziett",
    cls=Group,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
messages_app = typer.Typer(
    help="Find messages and what happened to them.", no_args_is_help=True, rich_markup_mode=None
)
campaigns_app = typer.Typer(
    help="Send a file of numbers as a campaign; follow campaigns.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
sms_app = typer.Typer(help="SMS texts: encoding and parts.", no_args_is_help=True)
app.add_typer(messages_app, name="messages")
app.add_typer(campaigns_app, name="campaigns")
app.add_typer(sms_app, name="sms")


def _version(value: bool) -> None:
    if value:
        print(f"ziett {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    api_key: Annotated[
        str | None,
        typer.Option("--api-key", help="API key (default: ZIETT_API_KEY).", show_default=False),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="API server (default: ZIETT_BASE_URL, else production)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks and each HTTP attempt.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Send SMS, follow messages and campaigns, check texts."""
    if verbose:  # each HTTP attempt on stderr (route, status, timing: never headers)
        logger = logging.getLogger("ziett")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        level = logger.level
        logger.setLevel(logging.DEBUG)

        def restore() -> None:
            logger.removeHandler(handler)
            logger.setLevel(level)

        ctx.call_on_close(restore)
    ctx.obj = Settings(api_key=api_key, base_url=base_url, verbose=verbose)
    SERVER.set(ctx.obj.server)


# send ---------------------------------------------------------------------------------------


@app.command()
def send(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="The recipient (+244990090990).")],
    text: Annotated[str, typer.Option("--text", help="The message.")],
    sender: FromOption = None,
    country: CountryOption = None,
    max_segments: Annotated[
        int | None, typer.Option("--max-segments", help="Refuse a text of more SMS parts.", min=1)
    ] = None,
    wait: WaitOption = False,
    timeout: TimeoutOption = DEFAULT_WAIT_SECONDS,
    as_json: JsonOption = False,
    utc: UtcOption = False,
) -> None:
    """Send one SMS (and wait for its outcome with --wait)."""
    options = settings(ctx)
    with reporting(options.verbose):
        target = number(to, country)
        remitter_id = remitter(sender)
        info = sms.analyze(text)
        with options.client() as client:
            accepted = client.messages.send(
                remitter_id=remitter_id,
                target_e164=target,
                content=text,
                max_segments=max_segments,
            )
            if not as_json:
                _render.console().print(
                    Text(
                        f"Sent to {target}: message {accepted.message_id} "
                        f"({info.encoding}, {parts(info.segments)})"
                    )
                )

            def document(message: Message | None) -> dict[str, Any]:
                return {
                    "message_id": accepted.message_id,
                    "to": target,
                    "encoding": info.encoding,
                    "segments": info.segments,
                    "status": None if message is None else str(message.status),
                    "message": None if message is None else message.to_dict(),
                }

            message = None
            if wait:
                try:
                    message = client.messages.wait(accepted.message_id, timeout=timeout)
                except WaitTimeoutError as error:
                    # It was sent: a script still gets the id (and the last status seen)
                    # on stdout, then the timeout on stderr and exit code 4.
                    if as_json:
                        last = error.last if isinstance(error.last, Message) else None
                        _render.echo_json(document(last))
                    raise
    if as_json:
        _render.echo_json(document(message))
    elif message is not None:
        _render.console().print(_render.message_details(message, utc))


# messages -----------------------------------------------------------------------------------

DEFAULT_LIMIT = 20
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        help=f"Show at most N (default: {DEFAULT_LIMIT}).",
        min=1,
        show_default=False,
    ),
]
AllOption = Annotated[bool, typer.Option("--all", help="Show every one (no limit).")]
ListJsonOption = Annotated[
    bool, typer.Option("--json", help="JSON lines on stdout: one object per line.")
]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV with a header row on stdout.")]


def _listing(as_json: bool, as_csv: bool, limit: int | None, every: bool) -> tuple[Any, int | None]:
    """The output format and the limit of a list command, from its options."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--csv")
    if every and limit is not None:
        raise typer.BadParameter("choose one of --limit and --all", param_hint="--all")
    fmt: _render.Format = "json" if as_json else "csv" if as_csv else "table"
    return fmt, None if every else (limit or DEFAULT_LIMIT)


def _show(pager: Any, out: _render.Listing) -> None:
    """Print every page of ``pager``; then the count, or how many more there are."""
    total = None
    for page in pager.pages():
        total = page.total if isinstance(page.total, int) else None
        out.page(page.entries)
    out.finish(total)


def _moment(value: str | None, option: str) -> Any:
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@messages_app.command("list")
def messages_list(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status", "-s", help="PENDING, SENT, DELIVERED, FAILED, UNDELIVERED; repeat."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From: 2h, 7d, 2026-11-30 or an ISO time.")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Until: as --since.")] = None,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="Only this campaign's messages.")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Only messages to this number.")] = None,
    country: CountryOption = None,
    limit: LimitOption = None,
    every: AllOption = False,
    as_json: ListJsonOption = False,
    as_csv: CsvOption = False,
    utc: UtcOption = False,
) -> None:
    """List messages, newest first (20 unless --limit N or --all)."""
    options = settings(ctx)
    chosen, most = _listing(as_json, as_csv, limit, every)
    created_ge, created_le = _moment(since, "--since"), _moment(until, "--until")
    with reporting(options.verbose):
        search = None
        if to is not None:
            search = number(to, country)
        with options.client() as client:
            pager = client.messages.list(
                q=search,
                status=status or None,
                campaign_id=campaign,
                created_at__ge=created_ge,
                created_at__le=created_le,
                order="desc",
                order_by="created_at",
                page_size=min(100, most or 100),
                limit=most,
            )
            _show(pager, _render.Listing("message", chosen, utc=utc))


@messages_app.command("get")
def messages_get(
    ctx: typer.Context,
    message_id: Annotated[str, typer.Argument(metavar="ID", help="The message's id.")],
    wait: WaitOption = False,
    timeout: TimeoutOption = DEFAULT_WAIT_SECONDS,
    as_json: JsonOption = False,
    utc: UtcOption = False,
) -> None:
    """Show one message (and wait for its outcome with --wait)."""
    options = settings(ctx)
    with reporting(options.verbose), options.client() as client:
        if not wait:
            message = client.messages.retrieve(message_id)
        else:
            try:
                message = client.messages.wait(message_id, timeout=timeout)
            except WaitTimeoutError as error:
                # Like `send --wait`: a script still gets the last state seen on stdout,
                # then the timeout on stderr and exit code 4.
                if as_json and isinstance(error.last, Message):
                    _render.echo_json(error.last.to_dict())
                raise
    _render.show_one(message, as_json, utc)


# campaigns ----------------------------------------------------------------------------------


# The listing options repeat messages list's: Typer reads each command's own signature;
# the shared work is _listing and _show.
@campaigns_app.command("list")
def campaigns_list(
    ctx: typer.Context,
    limit: LimitOption = None,
    every: AllOption = False,
    as_json: ListJsonOption = False,
    as_csv: CsvOption = False,
    utc: UtcOption = False,
) -> None:
    """List campaigns, newest first (20 unless --limit N or --all)."""
    options = settings(ctx)
    chosen, most = _listing(as_json, as_csv, limit, every)
    with reporting(options.verbose), options.client() as client:
        pager = client.campaigns.list(
            order="desc", order_by="created_at", page_size=min(100, most or 100), limit=most
        )
        _show(pager, _render.Listing("campaign", chosen, utc=utc))


@campaigns_app.command("get")
def campaigns_get(
    ctx: typer.Context,
    campaign_id: Annotated[str, typer.Argument(metavar="ID", help="The campaign's id.")],
    as_json: JsonOption = False,
    utc: UtcOption = False,
) -> None:
    """Show one campaign."""
    options = settings(ctx)
    with reporting(options.verbose), options.client() as client:
        campaign = client.campaigns.retrieve(campaign_id)
    _render.show_one(campaign, as_json, utc)


# sms ----------------------------------------------------------------------------------------


@sms_app.command("analyze")
def sms_analyze(
    text: Annotated[str, typer.Argument(help="The text (quote it).")],
    as_json: JsonOption = False,
) -> None:
    """How a text is sent: encoding, parts, characters forcing UCS-2, a GSM-7 suggestion."""
    info = sms.analyze(text)
    suggestion = _suggestion(text) if info.encoding == "UCS-2" else None
    if as_json:
        _render.echo_json(
            {
                "encoding": info.encoding,
                "segments": info.segments,
                "units": info.units,
                "per_segment": info.per_segment,
                "remaining": info.remaining,
                "non_gsm": [{"index": i, "char": c} for i, c in info.non_gsm],
                "parts": list(info.parts),
                "suggestion": suggestion,
            }
        )
        return
    out = _render.console()
    unit = "characters" if info.encoding == "GSM-7" else "UTF-16 units"
    out.print(
        _render.detail_table(
            [
                ("encoding", info.encoding),
                ("parts", info.segments),
                ("length", f"{info.units} {unit}"),
                ("per part", f"{info.per_segment} {unit}"),
                ("room left", f"{info.remaining} in the last part"),
            ]
        )
    )
    if info.non_gsm:
        shown = ", ".join(f"{c!r} at {i}" for i, c in info.non_gsm[:20])
        more = f" and {len(info.non_gsm) - 20} more" if len(info.non_gsm) > 20 else ""
        out.print(Text(f"Characters forcing UCS-2: {shown}{more}"))
    if info.segments > 1:
        for number, part in enumerate(info.parts, 1):
            out.print(Text(f"part {number}: {part!r}"))
    if suggestion is None and info.non_gsm:
        out.print(Text("No GSM-7 version: some of these characters have no GSM-7 equivalent."))
    elif suggestion is not None:
        room = sms.analyze(suggestion["text"]).per_segment
        gain = (
            f"{parts(suggestion['segments'])} instead of {info.segments}"
            if suggestion["segments"] < info.segments
            else f"still {parts(suggestion['segments'])}; {room} characters a part, not "
            f"{info.per_segment}"
        )
        out.print(Text(f"GSM-7 suggestion ({gain}): {suggestion['text']}"))


def _suggestion(text: str) -> dict[str, Any] | None:
    """The look-alike clean-up (then without accents) when it makes the text GSM-7."""
    for strip in (False, True):
        cleaned = sms.to_gsm(text, strip_accents=strip)
        if sms.is_gsm(cleaned):
            return {
                "text": cleaned,
                "segments": sms.segments(cleaned),
                "strip_accents": strip,
            }
    return None


app.command("sandbox")(_sandbox.sandbox)
campaigns_app.command("send")(_campaigns.campaigns_send)
campaigns_app.command("wait")(_campaign_outcome.campaigns_wait)
campaigns_app.command("report")(_campaign_outcome.campaigns_report)
