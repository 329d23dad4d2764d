"""How the command line shows results: Rich tables for people, JSON and CSV for scripts.

Field names of ``--json`` output are the API's own (a message or a campaign is
its wire form, as ``to_dict()`` gives it), so they are stable and documented
by the API reference; listings are JSON lines (one object per line) so a
script can stream them. Tables never cut an ID: the other columns shrink, wrap
or drop out to fit the terminal, and the widths are fixed with the first page
so later pages line up. Times show their zone: local, or UTC on request.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ziett_client.models import Campaign, Message
from ziett_client.types import Unset

__all__ = [
    "Format",
    "Listing",
    "campaign_details",
    "campaign_row",
    "console",
    "detail_table",
    "echo_json",
    "error_console",
    "message_details",
    "message_row",
    "show_one",
    "status_text",
    "when",
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

_GAP = 2
"""Columns are padded one space on each side (none at the table's edges)."""


def _width(stream: TextIO) -> int | None:
    """The terminal's width; ``COLUMNS`` when set; else wide (no wrapping in files)."""
    return None if stream.isatty() or os.environ.get("COLUMNS", "").isdigit() else 200


def console() -> Console:
    """A console on the current stdout.

    Strings printed are never read as Rich markup: they carry the user's data
    (message texts, campaign names), where ``[...]`` is text; styling goes
    through :class:`rich.text.Text` and ``style=``.
    """
    return Console(highlight=False, markup=False, width=_width(sys.stdout))


def error_console() -> Console:
    """A console on the current stderr (no markup either)."""
    return Console(stderr=True, highlight=False, markup=False, width=_width(sys.stderr))


def echo_json(document: object, out: TextIO | None = None) -> None:
    """One JSON document on one line (Decimals and times as strings)."""
    stream = out if out is not None else sys.stdout
    stream.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")
    stream.flush()


def status_text(status: object) -> Text:
    """A status, coloured by how it ended (green delivered, red failed...)."""
    name = str(status)
    return Text(name, style=_STATUS_STYLES.get(name, ""))


def when(moment: datetime, utc: bool = False) -> str:
    """``moment`` in the local time zone (or UTC), with the zone: ``2026-12-06 14:03:09 CET``."""
    local = moment.astimezone(UTC if utc else None)
    zone = local.tzname() or local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {zone}"


def _opt(value: object) -> str:
    return "" if value is None or isinstance(value, Unset) else str(value)


def _flat(text: str) -> str:
    return " ".join(text.split())


MESSAGE_CSV = ("id", "created_at", "e164_format", "status", "cost", "campaign_id", "error_code")
MESSAGE_CSV_FIELDS = (*MESSAGE_CSV, "content")
CAMPAIGN_CSV_FIELDS = ("id", "created_at", "name", "status", "total_recipients")


def message_row(message: Message, utc: bool = False) -> list[Text]:
    """A message as a table row: id, created, to, status, cost, text (plain text, no markup)."""
    return [
        Text(message.id),
        Text(when(message.created_at, utc)),
        Text(message.e164_format),
        status_text(message.status),
        Text(str(message.cost)),
        Text(_flat(message.content)),
    ]


def campaign_row(campaign: Campaign, utc: bool = False) -> list[Text]:
    """A campaign as a table row: id, created, status, recipients, name (plain text)."""
    return [
        Text(campaign.id),
        Text(when(campaign.created_at, utc)),
        status_text(campaign.status),
        Text(_opt(campaign.total_recipients)),
        Text(_flat(campaign.name)),
    ]


@dataclass(slots=True)
class _Column:
    name: str
    width: int
    overflow: Literal["fold", "ellipsis", "keep"]  # keep: never cut, never wrap (IDs)


_HEADERS = {
    "message": ("ID", "CREATED", "TO", "STATUS", "COST", "TEXT"),
    "campaign": ("ID", "CREATED", "STATUS", "RECIPIENTS", "NAME"),
}
_FIT: dict[str, tuple[tuple[str, int], ...]] = {
    "message": (
        ("TEXT", 16),
        ("TEXT", 0),
        ("CREATED", 12),
        ("TO", 13),
        ("COST", 0),
        ("CREATED", 0),
        ("TO", 0),
    ),
    "campaign": (("NAME", 12), ("RECIPIENTS", 0), ("CREATED", 12), ("NAME", 0), ("CREATED", 0)),
}
"""How a table fits a narrow terminal, step by step until it does: a column narrows to
a width (a text is cut with an ellipsis, a time wraps after its date, a long number
folds) or, at 0, is left out. The ID is never touched."""


def _columns(
    kind: Literal["message", "campaign"], rows: Sequence[Sequence[Text]], width: int
) -> list[_Column]:
    """Column widths that fit ``width``: IDs whole, the rest narrowed, wrapped or dropped."""
    columns = []
    for index, name in enumerate(_HEADERS[kind]):
        want = max([len(name), *(row[index].cell_len for row in rows)])
        if name in ("TEXT", "NAME"):
            want = min(want, 60)
        overflow: Literal["fold", "ellipsis", "keep"] = (
            "keep" if name == "ID" else "ellipsis" if name in ("TEXT", "NAME") else "fold"
        )
        columns.append(_Column(name, want, overflow))
    for name, narrow in _FIT[kind]:
        excess = sum(column.width for column in columns) + _GAP * (len(columns) - 1) - width
        if excess <= 0:
            break
        for column in columns:
            if column.name == name and narrow:
                column.width = min(column.width, max(narrow, column.width - excess))
        if not narrow:
            columns = [column for column in columns if column.name != name]
    return columns


class Listing:
    """Prints items page by page as a table, JSON lines or CSV."""

    def __init__(
        self, kind: Literal["message", "campaign"], fmt: Format, *, utc: bool = False
    ) -> None:
        """
        Args:
            kind: What is listed (its columns).
            fmt: ``table`` for people, ``json`` (JSON lines) or ``csv`` for scripts.
            utc: Times in UTC instead of the local time zone (tables only).
        """
        self.kind = kind
        self.format = fmt
        self.utc = utc
        self.count = 0
        self._console = console()
        self._csv: Any = None
        self._layout: list[_Column] | None = None

    def page(self, items: Sequence[Message] | Sequence[Campaign]) -> None:
        """Print one page's items (the header with the first page)."""
        first = self.count == 0
        self.count += len(items)
        if self.format == "json":
            for item in items:
                echo_json(item.to_dict())
        elif self.format == "csv":
            self._write_csv(items, first)
        elif items:
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
        headers = _HEADERS[self.kind]
        rows = [
            message_row(item, self.utc)
            if isinstance(item, Message)
            else campaign_row(item, self.utc)
            for item in items
        ]
        if self._layout is None:
            self._layout = _columns(self.kind, rows, self._console.width)
        table = Table(box=None, show_header=header, header_style="bold", pad_edge=False)
        for column in self._layout:
            table.add_column(
                column.name,
                width=column.width,
                min_width=column.width,
                no_wrap=column.overflow != "fold",
                overflow="ellipsis" if column.overflow == "ellipsis" else "fold",
            )
        shown = [headers.index(column.name) for column in self._layout]
        for row in rows:
            table.add_row(*(row[index] for index in shown))
        return table

    def finish(self, total: int | None = None) -> None:
        """After the last page: say when nothing was found, or how many more there are.

        Args:
            total: How many items match in all (the server's count), when known:
                above the count shown, a line on stderr says how to see the rest.
        """
        people = error_console()
        if self.count == 0 and self.format == "table":
            people.print("No results.")
        if total is not None and total > self.count:
            noun = self.kind + ("s" if total != 1 else "")
            people.print(
                f"Showing {self.count:,} of {total:,} {noun}: --limit N shows more, "
                f"--all shows every one."
            )


def detail_table(pairs: Mapping[str, object] | Iterable[tuple[str, object]]) -> Table:
    """A two-column table of field names and values (for one message or campaign)."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
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


def message_details(message: Message, utc: bool = False) -> Table:
    """One message, every field a person looks for (times in UTC with ``utc``)."""
    return detail_table(
        [
            ("id", message.id),
            ("to", message.e164_format),
            ("status", status_text(message.status)),
            ("error", message.error_code),
            ("cost", message.cost),
            ("refunded", "yes" if message.is_refunded else None),
            ("created", when(message.created_at, utc)),
            ("updated", when(message.updated_at, utc)),
            ("campaign", message.campaign_id),
            ("sender ID", message.sms_remitter_id),
            ("network", message.channel_destination),
            ("source", message.trigger_source),
            ("text", message.content),
        ]
    )


def campaign_details(campaign: Campaign, utc: bool = False) -> Table:
    """One campaign, every field a person looks for (times in UTC with ``utc``)."""
    return detail_table(
        [
            ("id", campaign.id),
            ("name", campaign.name),
            ("status", status_text(campaign.status)),
            ("recipients", campaign.total_recipients),
            ("created", when(campaign.created_at, utc)),
            ("updated", when(campaign.updated_at, utc)),
            ("sender ID", campaign.sms_remitter_id),
            ("text", campaign.content),
        ]
    )


def show_one(item: Message | Campaign, as_json: bool, utc: bool = False) -> None:
    """Print one message or campaign: its JSON document with ``as_json``, else its details.

    Args:
        item: The message or campaign to show.
        as_json: One JSON line on stdout (for scripts) instead of a table.
        utc: Times in UTC rather than local time (tables only).
    """
    if as_json:
        echo_json(item.to_dict())
    elif isinstance(item, Message):
        console().print(message_details(item, utc))
    else:
        console().print(campaign_details(item, utc))
