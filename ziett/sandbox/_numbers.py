"""Phone numbers as the sandbox reads them: E.164, carriers and each number's fate.

Recipients of a batch may be local numbers read with ``country_alpha2``; the
sandbox knows the dialling codes and trunk prefixes of a dozen countries (the
docs' examples and Ziett's markets). A number's last two digits decide how its
messages end (``...13`` FAILED, ``...14`` UNDELIVERED, others DELIVERED), so
tests can reach every outcome deterministically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class Country:
    """What the sandbox knows of a country: its dialling code, a carrier, its trunk prefix."""

    dial: str
    carrier: str
    trunk: str = ""


COUNTRIES: Final[Mapping[str, Country]] = MappingProxyType(
    {
        "AO": Country("244", "UNITEL"),
        "PT": Country("351", "MEO"),
        "BR": Country("55", "VIVO", trunk="0"),
        "US": Country("1", "VERIZON", trunk="1"),
        "GB": Country("44", "VODAFONE", trunk="0"),
        "ZA": Country("27", "VODACOM", trunk="0"),
        "MZ": Country("258", "VODACOM"),
        "NG": Country("234", "MTN", trunk="0"),
        "KE": Country("254", "SAFARICOM", trunk="0"),
        "CV": Country("238", "CVMOVEL"),
        "ST": Country("239", "CST"),
        "GW": Country("245", "ORANGE"),
    }
)
_CARRIERS: Final = sorted(
    ((f"+{country.dial}", country.carrier) for country in COUNTRIES.values()),
    key=lambda pair: -len(pair[0]),
)
SEPARATORS: Final = re.compile(r"[\s.\-]")
"""What a written number may hold between its digits (the docs' recipient pattern)."""
_E164: Final = re.compile(r"\+[1-9][0-9]{1,14}")


def to_e164(raw: str, country_alpha2: str | None) -> str:
    """``raw`` (E.164, 00-prefixed or local; spaces, dashes and dots allowed) in E.164.

    :param raw: the number as the request wrote it.
    :param country_alpha2: the country local numbers belong to (ISO 3166-1 alpha-2).
    :raises ValueError: when the number cannot be read.
    """
    number = SEPARATORS.sub("", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        number = _from_local(raw, number, country_alpha2)
    if not _E164.fullmatch(number):
        raise ValueError(f"{raw!r} is not a valid phone number.")
    return number


def _from_local(raw: str, digits: str, country_alpha2: str | None) -> str:
    if country_alpha2 is None:
        raise ValueError(f"{raw!r} is a local number: set country_alpha2 to parse it.")
    country = COUNTRIES.get(country_alpha2)
    if country is None:
        raise ValueError(
            f"The sandbox cannot parse local numbers of {country_alpha2}: send {raw!r} in E.164."
        )
    if country.trunk and digits.startswith(country.trunk):
        digits = digits[len(country.trunk) :]
    return f"+{country.dial}{digits}"


def carrier(e164: str) -> str | None:
    """The carrier the sandbox routes ``e164`` through (``channel_destination``), if known.

    :param e164: a number in E.164.
    """
    return next((name for prefix, name in _CARRIERS if e164.startswith(prefix)), None)


def fate_of(e164: str) -> str:
    """The final status a number's messages reach: the sandbox's deterministic failures.

    :param e164: a number in E.164.
    """
    if e164.endswith("13"):
        return "FAILED"
    if e164.endswith("14"):
        return "UNDELIVERED"
    return "DELIVERED"
