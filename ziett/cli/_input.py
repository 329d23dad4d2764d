"""What the command line reads from people: recipient files, times, durations.

Kept apart from the commands (and free of typer and rich) so each rule is a plain
function tested on its own: :func:`read_recipients` (a CSV with a phone column, or one
number per line, read by ``send_bulk``'s own rule so the preview says exactly what will
be sent), :func:`parse_moment` (``--since``/``--until``) and :func:`journal_path` (a
campaign's default journal). Touches only the files it is given to read.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ziett._errors import InvalidRequestError
from ziett.jobs.bulk import read_audience

__all__ = [
    "PHONE_COLUMNS",
    "Recipients",
    "journal_path",
    "parse_moment",
    "read_column",
    "read_recipients",
]

PHONE_COLUMNS = ("phone", "mobile", "msisdn", "e164", "tel", "cel", "number")
"""Words that name the column holding the numbers, in order of preference: a header
matches when, lower-cased without accents, spaces or punctuation, it contains one
(``Phone Number``, ``mobile``, ``telefone``, ``Celular``, ``MSISDN``); or when one of
its words is ``to``."""

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


def _header_words(cell: str) -> tuple[str, list[str]]:
    """A header cell lower-cased, without accents: squeezed (letters and digits), and its words."""
    plain = unicodedata.normalize("NFKD", cell)
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    plain = re.sub(r"([a-z])([A-Z])", r"\1 \2", plain).lower()
    words = re.findall(r"[a-z0-9]+", plain)
    return "".join(words), words


def _named_columns(header: list[str]) -> list[int]:
    """Columns whose header names a phone column, the likeliest first."""
    cells = [_header_words(cell) for cell in header]
    found: list[int] = []
    for wanted in PHONE_COLUMNS:
        found += [i for i, (squeezed, _) in enumerate(cells) if wanted in squeezed]
    found += [i for i, (_, words) in enumerate(cells) if "to" in words]
    return list(dict.fromkeys(found))


def _numbers_score(rows: list[list[str]], column: int) -> tuple[float, float]:
    """How much ``column`` of ``rows`` looks like phone numbers: the share of cells that
    do, then their mean count of digits (a phone number has more than an id)."""
    cells = [row[column].strip() if column < len(row) else "" for row in rows]
    numbers = [cell for cell in cells if _looks_like_number(cell)]
    if not cells or not numbers:
        return 0.0, 0.0
    digits = sum(sum(char.isdigit() for char in cell) for cell in numbers)
    return len(numbers) / len(cells), digits / len(numbers)


def _phone_column(rows: list[list[str]]) -> int:
    """The column of ``rows`` holding the numbers.

    A column named like one (:data:`PHONE_COLUMNS`) whose cells mostly look like
    numbers; else the column whose cells look most like numbers; else the first
    named column, else the first. The first row is left out of the sample (it may
    be a header) unless it is the only one.
    """
    sample = rows[1:51] or rows
    width = max(len(row) for row in rows)
    scores = [_numbers_score(sample, column) for column in range(width)]
    named = _named_columns(rows[0])
    for column in named:
        if scores[column][0] >= 0.5:
            return column
    best = max(range(width), key=lambda column: scores[column])
    if scores[best][0] > 0:
        return best
    return named[0] if named else 0


def read_column(text: str) -> tuple[list[str], str | None]:
    """The phone column of ``text`` (a CSV file or one number per line), and its header.

    Comma, semicolon or tab separated; the column is chosen by its header or by
    its cells (see :func:`_phone_column`), and the first row is a header when its
    cell in that column has letters and does not look like a number. Blank lines are skipped.

    Raises:
        ziett.InvalidRequestError: the file is not readable as CSV (a field longer than
            ``csv.field_size_limit()``, a stray quote...): the message names the line.
    """
    lines = text.splitlines()
    sample = [line for line in lines[:200] if line.strip()][:20]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            "\n".join(sample), delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    try:  # line_num: the file's line, blank lines counted, as an editor shows it
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        why = f"line {reader.line_num}: {exc}"
        raise InvalidRequestError(
            f"The file is not readable as CSV: {why}.", fields={"file": why}
        ) from None
    if not rows:
        return [], None
    column = _phone_column(rows)
    values = [row[column].strip() if column < len(row) else "" for row in rows]
    if _looks_like_number(values[0]) or not any(char.isalpha() for char in values[0]):
        return values, None  # a number, even a bad one ("12"), is not a header
    return values[1:], rows[0][column].strip()


def read_recipients(text: str, *, country_alpha2: str | None = None) -> Recipients:
    """The recipients in ``text``, normalised and de-duplicated as ``send_bulk`` does.

    Args:
        text: The file's content (see :func:`read_column`).
        country_alpha2: The country of numbers written without ``+`` and a country
            code (``"AO"``); without it such rows are invalid.

    Raises:
        ziett.InvalidRequestError: the file is not readable as CSV (the message names the
            line), or ``country_alpha2`` is not a known country code.
    """
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
