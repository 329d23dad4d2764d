"""How the command line shows results: Rich tables for people, JSON and CSV for scripts.

Field names of ``--json`` output are the API's own (a message or a campaign is
its wire form, as ``to_dict()`` gives it), so they are stable and documented
by the API reference; listings are JSON lines (one object per line) so a
script can stream them. Listings print page by page as the pages arrive: a
table keeps fixed column widths so the rows of later pages line up under the
header of the first.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ziett_client.models import Campaign, Message
from ziett_client.types import Unset

__all__ = [
    "Format",
    "campaign_row",
    "console",
    "detail_table",
    "echo_json",
    "error_console",
    "message_row",
    "status_text",
]

Format = Literal["table", "json", "csv"]

_STATUS_STYLES = {
    "DELIVERED": "green",
    "COMPLETED": "green",
    "SENT": "cyan",
    "SENDING": "cyan",
    "PROCESSING": "cyan",
    "PENDING": "yellow",
    "DRAFT": "yellow",
    "FAILED": "red",
    "UNDELIVERED": "red",
}


def console() -> Console:
    """A console on the current stdout (wide when it is not a terminal: no wrapping in files).

    Strings printed are never read as Rich markup: they carry the user's data
    (message texts, campaign names), where ``[...]`` is text; styling goes
    through :class:`rich.text.Text` and ``style=``.
    """
    return Console(highlight=False, markup=False, width=None if sys.stdout.isatty() else 200)


def error_console() -> Console:
    """A console on the current stderr (no markup either)."""
    return Console(
        stderr=True, highlight=False, markup=False, width=None if sys.stderr.isatty() else 200
    )


def echo_json(document: object, out: TextIO | None = None) -> None:
    """One JSON document on one line (Decimals and times as strings)."""
    stream = out if out is not None else sys.stdout
    stream.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")
    stream.flush()


def status_text(status: object) -> Text:
    """A status, coloured by how it ended (green delivered, red failed...)."""
    name = str(status)
    return Text(name, style=_STATUS_STYLES.get(name, ""))


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _opt(value: object) -> str:
    return "" if value is None or isinstance(value, Unset) else str(value)


def _short(text: str, width: int = 48) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


MESSAGE_CSV = ("id", "created_at", "e164_format", "status", "cost", "campaign_id", "error_code")
MESSAGE_CSV_FIELDS = (*MESSAGE_CSV, "content")
CAMPAIGN_CSV_FIELDS = ("id", "created_at", "name", "status", "total_recipients")


def message_row(message: Message) -> list[Text]:
    """A message as a table row: id, created, to, status, cost, text (plain text, no markup)."""
    return [
        Text(message.id),
        Text(_when(message.created_at)),
        Text(message.e164_format),
        status_text(message.status),
        Text(str(message.cost)),
        Text(_short(message.content)),
    ]


def campaign_row(campaign: Campaign) -> list[Text]:
    """A campaign as a table row: id, created, name, status, recipients (plain text)."""
    return [
        Text(campaign.id),
        Text(_when(campaign.created_at)),
        Text(_short(campaign.name, 40)),
        status_text(campaign.status),
        Text(_opt(campaign.total_recipients)),
    ]


_MESSAGE_COLUMNS = (("ID", 36), ("CREATED", 19), ("TO", 16), ("STATUS", 11), ("COST", 8))
_CAMPAIGN_COLUMNS = (("ID", 36), ("CREATED", 19), ("NAME", 40), ("STATUS", 10))


class Listing:
    """Prints items page by page in one of the three formats."""

    def __init__(self, kind: Literal["message", "campaign"], fmt: Format) -> None:
        self.kind = kind
        self.format = fmt
        self.count = 0
        self._console = console()
        self._csv: Any = None

    def page(self, items: Sequence[Message] | Sequence[Campaign]) -> None:
        """Print one page's items (the header with the first page)."""
        first = self.count == 0
        self.count += len(items)
        if self.format == "json":
            for item in items:
                echo_json(item.to_dict())
        elif self.format == "csv":
            self._write_csv(items, first)
        elif items or first:
            self._console.print(self._table(items, first))

    def _write_csv(self, items: Iterable[Message | Campaign], first: bool) -> None:
        fields = MESSAGE_CSV_FIELDS if self.kind == "message" else CAMPAIGN_CSV_FIELDS
        if self._csv is None:
            self._csv = csv.writer(sys.stdout, lineterminator="\n")
        if first:
            self._csv.writerow(fields)
        for item in items:
            wire = item.to_dict()
            self._csv.writerow([_opt(wire.get(name)) for name in fields])
        sys.stdout.flush()

    def _table(self, items: Sequence[Message] | Sequence[Campaign], header: bool) -> Table:
        columns = _MESSAGE_COLUMNS if self.kind == "message" else _CAMPAIGN_COLUMNS
        table = Table(box=None, show_header=header, header_style="bold", pad_edge=False)
        for name, width in columns:
            table.add_column(name, width=width, no_wrap=True)
        last = "TEXT" if self.kind == "message" else "RECIPIENTS"
        table.add_column(last, no_wrap=True, overflow="ellipsis")
        for item in items:
            if isinstance(item, Message):
                table.add_row(*message_row(item))
            else:
                table.add_row(*campaign_row(item))
        return table

    def finish(self) -> None:
        """Nothing found: say so to a person (scripts get empty output)."""
        if self.count == 0 and self.format == "table":
            error_console().print("No results.")


def detail_table(pairs: Mapping[str, object] | Iterable[tuple[str, object]]) -> Table:
    """A two-column table of field names and values (for one message or campaign)."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    for name, value in items:
        if isinstance(value, Text):
            table.add_row(Text(name), value)
        elif value is None or isinstance(value, Unset) or value == "":
            continue
        else:
            table.add_row(Text(name), Text(str(value)))
    return table


def message_details(message: Message) -> Table:
    """One message, every field a person looks for."""
    return detail_table(
        [
            ("id", message.id),
            ("to", message.e164_format),
            ("status", status_text(message.status)),
            ("error", message.error_code),
            ("cost", message.cost),
            ("refunded", "yes" if message.is_refunded else None),
            ("created", _when(message.created_at)),
            ("updated", _when(message.updated_at)),
            ("campaign", message.campaign_id),
            ("sender ID", message.sms_remitter_id),
            ("network", message.channel_destination),
            ("source", message.trigger_source),
            ("text", message.content),
        ]
    )


def campaign_details(campaign: Campaign) -> Table:
    """One campaign, every field a person looks for."""
    return detail_table(
        [
            ("id", campaign.id),
            ("name", campaign.name),
            ("status", status_text(campaign.status)),
            ("recipients", campaign.total_recipients),
            ("created", _when(campaign.created_at)),
            ("updated", _when(campaign.updated_at)),
            ("sender ID", campaign.sms_remitter_id),
            ("text", campaign.content),
        ]
    )
