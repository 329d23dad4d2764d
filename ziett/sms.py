"""SMS composition: the encoding, the billed parts and the look-alike clean-up of a text.

One character decides how many parts a text is billed as (a curly quote or an emoji turns a
160-character GSM-7 message into UCS-2, 70 per part). :func:`analyze` (an :class:`Analysis`),
:func:`segments` (the count alone), :func:`to_gsm` and :func:`is_gsm` answer it before anything
is sent; the sandbox bills with the same functions and ``max_segments=`` compares against them.
The counting rules and the choices the standard leaves open are in the reference
(docs/reference/helpers.md). Pure functions of a text; touches nothing else.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from ziett._errors import InvalidRequestError

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "LOOKALIKES",
    "PER_SEGMENT",
    "Analysis",
    "Encoding",
    "analyze",
    "is_gsm",
    "segments",
    "to_gsm",
]

Encoding = Literal["GSM-7", "UCS-2"]
"""The two encodings a text is sent in."""

# 3GPP TS 23.038 §6.2.1, the default alphabet in septet order (index == septet value).
# 0x1B is the escape to the extension table, not a character: a placeholder keeps the order.
_BASIC_TABLE: Final = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# 3GPP TS 23.038 §6.2.1.1, the default extension table: septet after the escape -> character.
_EXTENSION_TABLE: Final = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}

GSM7_BASIC: Final[frozenset[str]] = frozenset(_BASIC_TABLE) - {"\x1b"}
"""The 127 characters of the GSM 7-bit default alphabet: 1 septet each."""
GSM7_EXTENSION: Final[frozenset[str]] = frozenset(_EXTENSION_TABLE.values())
"""The 10 characters of the default extension table: escape + character, 2 septets each."""
_GSM7: Final = GSM7_BASIC | GSM7_EXTENSION

PER_SEGMENT: Final[dict[Encoding, tuple[int, int]]] = {"GSM-7": (160, 153), "UCS-2": (70, 67)}
"""Units per part by encoding: (a single part, each part of a concatenated message)."""

_SINGLE_GSM, _MULTI_GSM = PER_SEGMENT["GSM-7"]
_SINGLE_UCS, _MULTI_UCS = PER_SEGMENT["UCS-2"]

# Typographic look-alikes and their GSM-7 equivalents. Every replacement is GSM-7 (a test checks
# it); invisible format characters are removed. Letters with accents are left alone unless
# ``to_gsm(..., strip_accents=True)``: dropping an accent changes the text, a curly quote does not.
LOOKALIKES: Final[dict[str, str]] = {
    # quotes and apostrophes
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark (the usual typographic apostrophe)
    "\u201a": "'",  # single low-9 quotation mark
    "\u201b": "'",  # single high-reversed-9 quotation mark
    "\u2032": "'",  # prime
    "\u02bc": "'",  # modifier letter apostrophe
    "\u00b4": "'",  # acute accent
    "`": "'",  # grave accent (not in GSM-7)
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u201e": '"',  # double low-9 quotation mark
    "\u201f": '"',  # double high-reversed-9 quotation mark
    "\u2033": '"',  # double prime
    "\u00ab": '"',  # left-pointing double angle quotation mark
    "\u00bb": '"',  # right-pointing double angle quotation mark
    # dashes and minus
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    # ellipsis and slashes
    "\u2026": "...",  # horizontal ellipsis
    "\u2044": "/",  # fraction slash
    "\u2215": "/",  # division slash
    # spaces
    "\t": " ",
    "\u00a0": " ",  # no-break space
    "\u2000": " ",
    "\u2001": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",  # figure space
    "\u2008": " ",
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u202f": " ",  # narrow no-break space
    "\u205f": " ",  # medium mathematical space
    "\u3000": " ",  # ideographic space
    "\u2028": "\n",  # line separator
    "\u2029": "\n",  # paragraph separator
    # invisible format characters
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero width space
    "\u2060": "",  # word joiner
    "\ufeff": "",  # zero width no-break space (byte order mark)
    # symbols with an identical GSM-7 character
    "\u2126": "Ω",  # ohm sign -> Greek capital omega
    "\u2206": "Δ",  # increment -> Greek capital delta
    "\u02c6": "^",  # modifier letter circumflex accent
    "\u02dc": "~",  # small tilde
}
_LOOKALIKE_TABLE: Final = str.maketrans(LOOKALIKES)


@dataclass(frozen=True, slots=True)
class Analysis:
    """How a text is sent and billed; from :func:`analyze`."""

    encoding: Encoding
    """``"GSM-7"`` when every character is in the GSM 7-bit tables, else ``"UCS-2"``."""
    segments: int
    """Parts billed; 1 for an empty text."""
    units: int
    """Septets for GSM-7 (an extension character counts 2), UTF-16 code units for UCS-2."""
    per_segment: int
    """Units one part holds: 160 / 153 (GSM-7, single / multipart), 70 / 67 (UCS-2)."""
    remaining: int
    """Units still free in the last part (an extension character or emoji needs 2)."""
    non_gsm: tuple[tuple[int, str], ...]
    """``(index, character)`` of each character that forces UCS-2; empty for GSM-7. The index is
    a position in the Python string (code points)."""
    parts: tuple[str, ...]
    """The text split into the billed parts, ``len(parts) == segments`` (``("",)`` for an empty
    text). Concatenated, they give back the text."""


def _require_text(text: object, field: str) -> str:
    if not isinstance(text, str):
        raise InvalidRequestError(
            f"{field} must be a string, not {type(text).__name__}",
            fields={field: "Must be a string."},
        )
    return text


def _gsm_units(text: str) -> int:
    return len(text) + sum(text.count(char) for char in GSM7_EXTENSION)


def _ucs_units(text: str) -> int:
    # "surrogatepass": a lone surrogate (from a surrogateescape decode) counts 1, never crashes.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _pack(text: str, gsm: bool, capacity: int) -> tuple[list[int], int]:
    """Greedy split into parts of ``capacity`` units: the start index of each part, and the
    units used in the last one. A 2-unit character never straddles two parts."""
    starts = [0]
    used = 0
    for index, char in enumerate(text):
        width = 2 if (char in GSM7_EXTENSION if gsm else char > "\uffff") else 1
        if used + width > capacity:
            starts.append(index)
            used = 0
        used += width
    return starts, used


def is_gsm(text: str) -> bool:
    """Whether ``text`` is sent in GSM-7: every character in the basic or the extension table.

    Args:
        text: The message content, a ``str``.

    Raises:
        ziett.InvalidRequestError: ``text`` is not a string (named ``content``).
    """
    return _GSM7.issuperset(_require_text(text, "content"))


def segments(text: str) -> int:
    """Parts billed for ``text``, the same number as ``analyze(text).segments``, faster.

    Args:
        text: The message content, a ``str``. An empty text counts 1.

    Raises:
        ziett.InvalidRequestError: ``text`` is not a string (named ``content``).
    """
    _require_text(text, "content")
    if _GSM7.issuperset(text):
        gsm, units, single, multi = True, _gsm_units(text), _SINGLE_GSM, _MULTI_GSM
    else:
        gsm, units, single, multi = False, _ucs_units(text), _SINGLE_UCS, _MULTI_UCS
    if units <= single:
        return 1
    if units == len(text):  # every character 1 unit: nothing can straddle a boundary
        return -(-units // multi)
    return len(_pack(text, gsm, multi)[0])


def analyze(text: str, *, field: str = "content") -> Analysis:
    """The encoding, parts and units of ``text``, as carriers and the Ziett sandbox bill it.

    Args:
        text: The message content, a ``str``.
        field: The name the error gives the text in ``fields`` when it is not a string
            (``"content"`` by default, as in the API).

    Raises:
        ziett.InvalidRequestError: ``text`` is not a string.

    >>> info = analyze("Olá! Your code is 482910")
    >>> info.encoding, info.segments, info.non_gsm
    ('UCS-2', 1, ((2, 'á'),))
    """
    _require_text(text, field)
    gsm = _GSM7.issuperset(text)
    if gsm:
        encoding: Encoding = "GSM-7"
        units = _gsm_units(text)
        non_gsm: tuple[tuple[int, str], ...] = ()
    else:
        encoding = "UCS-2"
        units = _ucs_units(text)
        non_gsm = tuple((i, char) for i, char in enumerate(text) if char not in _GSM7)
    single, multi = PER_SEGMENT[encoding]
    if units <= single:
        return Analysis(encoding, 1, units, single, single - units, non_gsm, (text,))
    starts, used = _pack(text, gsm, multi)
    ends = [*starts[1:], len(text)]
    parts = tuple(text[start:end] for start, end in zip(starts, ends, strict=True))
    return Analysis(encoding, len(parts), units, multi, multi - used, non_gsm, parts)


@lru_cache(maxsize=1024)
def _unaccented(char: str) -> str:
    """``char`` without its accents when that gives GSM-7 (``"ã"`` -> ``"a"``), else ``char``."""
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if base and _GSM7.issuperset(base) else char


def to_gsm(text: str, *, strip_accents: bool = False) -> str:
    """``text`` with typographic look-alikes replaced by their GSM-7 equivalents.

    Curly quotes, guillemets, primes and the grave/acute accents become ``'`` or ``"``;
    hyphens, dashes and the minus sign ``-``; the ellipsis ``...``; unusual spaces
    (no-break, thin, ideographic...) and tabs a space; line/paragraph separators a
    newline; invisible format characters (soft hyphen, zero-width space, word joiner,
    BOM) are removed. The full list is :data:`LOOKALIKES`. Every other character (emoji,
    other scripts) is left as it is, so the result is GSM-7 only when nothing else
    forced UCS-2: check with :func:`analyze` or :func:`is_gsm`.

    Args:
        text: The message content, a ``str``.
        strip_accents: Also replace an accented letter that is not GSM-7 by its letter
            without accents when that one is (``"Olá, ação"`` -> ``"Ola, acao"``; ``é``
            and ``ñ`` are GSM-7 and stay). Off by default, because it changes the words.

    Raises:
        ziett.InvalidRequestError: ``text`` is not a string (named ``content``).
    """
    out = _require_text(text, "content").translate(_LOOKALIKE_TABLE)
    if strip_accents and not _GSM7.issuperset(out):
        out = "".join(char if char in _GSM7 else _unaccented(char) for char in out)
    return out
