"""Phone numbers as the sandbox reads them: E.164, carriers and each number's fate.

Recipients of a batch may be local numbers read with ``country_alpha2``, by the
SDK's own :mod:`ziett.phone` (libphonenumber's metadata); a carrier per calling
code names ``channel_destination``. A number's last two digits decide how its
messages end (``...13`` FAILED, ``...14`` UNDELIVERED, others DELIVERED), so
tests can reach every outcome deterministically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ziett._errors import InvalidRequestError
from ziett.phone import try_normalize

CARRIERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "+244": "UNITEL",
        "+351": "MEO",
        "+55": "VIVO",
        "+1": "VERIZON",
        "+44": "VODAFONE",
        "+27": "VODACOM",
        "+258": "VODACOM",
        "+234": "MTN",
        "+254": "SAFARICOM",
        "+238": "CVMOVEL",
        "+239": "CST",
        "+245": "ORANGE",
    }
)
"""The carrier the sandbox routes each calling code through (the docs' markets)."""
_BY_LENGTH: Final = sorted(CARRIERS.items(), key=lambda pair: -len(pair[0]))
SEPARATORS: Final = re.compile(r"[\s.\-]")
"""What a written number may hold between its digits (the docs' recipient pattern)."""


def to_e164(raw: str, country_alpha2: str | None) -> str:
    """``raw`` (E.164, 00-prefixed or local; spaces, dashes and dots allowed) in E.164.

    Read by :func:`ziett.phone.try_normalize`, the SDK's own rules, checking only a
    possible length (``strict=False``): the sandbox accepts test ranges too. A country
    libphonenumber does not know still lets international numbers through.

    :param raw: the number as the request wrote it.
    :param country_alpha2: the country local numbers belong to (ISO 3166-1 alpha-2).
    :raises ValueError: when the number cannot be read.
    """
    try:
        number = try_normalize(raw, country_alpha2=country_alpha2, strict=False)
    except InvalidRequestError:  # an unknown country: only international numbers can be read
        number = try_normalize(raw, strict=False)
    if number is None:
        raise ValueError(f"{raw!r} is not a phone number the sandbox can read.")
    return number


def carrier(e164: str) -> str | None:
    """The carrier the sandbox routes ``e164`` through (``channel_destination``), if known.

    :param e164: a number in E.164.
    """
    return next((name for prefix, name in _BY_LENGTH if e164.startswith(prefix)), None)


def fate_of(e164: str) -> str:
    """The final status a number's messages reach: the sandbox's deterministic failures.

    :param e164: a number in E.164.
    """
    if e164.endswith("13"):
        return "FAILED"
    if e164.endswith("14"):
        return "UNDELIVERED"
    return "DELIVERED"
