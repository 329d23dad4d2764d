"""What the command line reads from people: recipient files, times, durations.

Kept apart from the commands (and free of typer and rich) so each rule is a
plain function tested on its own:

- :func:`read_recipients`: a CSV with a phone column (``phone``, ``number``,
  ``msisdn`` or ``to``; else the first column), its header row detected, or one
  number per line; normalised and de-duplicated by ``send_bulk``'s own rule
  (:func:`ziett.jobs.bulk.read_audience`), so the preview says exactly what
  will be sent before anything is.
- :func:`parse_moment`: ``--since``/``--until`` values: a duration back from now
  (``90s``, ``15m``, ``2h``, ``7d``, ``1w``), a date (``2026-11-30``, midnight) or
  an ISO 8601 time; without an offset they are the local time zone's.
- :func:`journal_path`: the default journal of a campaign, a file named after it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

__all__ = [
    "PHONE_COLUMNS",
    "Recipients",
    "journal_path",
    "parse_moment",
    "read_column",
    "read_recipients",
]

PHONE_COLUMNS = ("phone", "number", "msisdn", "to")
"""Header names (any case, spaces ignored) of the column holding the numbers."""

_DURATION = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass(frozen=True, slots=True)
class Recipients:
    """The numbers of a file after normalisation and de-duplication."""

    numbers: list[str]
    """Unique E.164 numbers, in the order first seen."""
    duplicates: int
    """Rows whose number (once normalised) was already listed."""
    invalid: dict[str, str]
    """Each unusable value, and what is wrong with it."""
    column: str | None
    """The header of the column read, None without a header row."""


def _looks_like_number(value: str) -> bool:
    digits = sum(char.isdigit() for char in value)
    return digits >= 5 and digits * 2 >= len(value.replace(" ", ""))


def _phone_column(header: list[str]) -> int:
    names = [cell.strip().lower().replace(" ", "") for cell in header]
    for wanted in PHONE_COLUMNS:
        if wanted in names:
            return names.index(wanted)
    return 0


def read_column(text: str) -> tuple[list[str], str | None]:
    """The phone column of ``text`` (a CSV file or one number per line), and its header.

    Comma, semicolon or tab separated; a first row whose chosen cell is not a
    number is a header. Blank lines are skipped.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            "\n".join(lines[:20]), delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(lines, dialect) if any(cell.strip() for cell in row)]
    if not rows:
        return [], None
    column = _phone_column(rows[0])
    values = [row[column].strip() if column < len(row) else "" for row in rows]
    if _looks_like_number(values[0]):
        return values, None
    return values[1:], rows[0][column].strip()


def read_recipients(text: str, *, country_alpha2: str | None = None) -> Recipients:
    """The recipients in ``text``, normalised and de-duplicated as ``send_bulk`` does.

    Args:
        text: The file's content (see :func:`read_column`).
        country_alpha2: The country of numbers written without ``+`` and a country
            code (``"AO"``); without it such rows are invalid.

    Raises:
        ziett.ValidationError: ``country_alpha2`` is not a known country code.
    """
    from ziett.jobs.bulk import read_audience

    values, column = read_column(text)
    audience = read_audience(values, country_alpha2)
    return Recipients(
        numbers=audience.numbers,
        duplicates=sum(audience.duplicates.values()),
        invalid=audience.invalid,
        column=column,
    )


def parse_moment(value: str, *, now: datetime | None = None) -> datetime:
    """A timezone-aware moment from ``--since``/``--until`` text.

    Args:
        value: ``2h`` (a duration back from now: ``s m h d w``, combinable as
            ``1h30m``), ``2026-11-30`` (that day's midnight) or an ISO 8601 time
            (``2026-11-30T14:00``, ``...+01:00``). Without an offset: local time.
        now: The present (a timezone-aware ``datetime``); default: the clock.

    Raises:
        ValueError: ``value`` is none of these (the message says what is accepted).
    """
    text = value.strip()
    current = now if now is not None else datetime.now().astimezone()
    if _is_durations(text):
        seconds = sum(
            int(amount) * _UNIT_SECONDS[unit.lower()] for amount, unit in _DURATION.findall(text)
        )
        return current - timedelta(seconds=seconds)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a time: use a duration (90s, 15m, 2h, 7d, 1w), "
                "a date (2026-11-30) or an ISO 8601 time (2026-11-30T14:00+01:00)"
            ) from None
        moment = datetime(day.year, day.month, day.day)
    return moment if moment.tzinfo is not None else moment.astimezone()


def _is_durations(text: str) -> bool:
    return re.fullmatch(r"(?:\d+\s*[smhdwSMHDW]\s*)+", text) is not None


def journal_path(name: str) -> Path:
    """The default journal of the campaign ``name``: ``<name>.ziett-journal`` here.

    Characters other than letters, digits, ``-``, ``_`` and ``.`` become ``-``, so
    the same name always gives the same file (and so a re-run resumes).
    """
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name.strip()).strip("-.") or "campaign"
    return Path(f"{slug}.ziett-journal")
