"""Phone numbers: one canonical E.164 form for what CSV exports and forms contain.

``+244 990-000-001``, ``244990000001`` and (in Angola) ``990000001`` are the same phone:
:func:`normalize` turns each into ``+244990000001`` or raises, before anything is sent or
paid; :func:`try_normalize` returns None instead. A local number needs ``country_alpha2``
(never guessed). libphonenumber's metadata (``phonenumberslite``, the parser of
``phonenumbers`` at a ninth of the footprint) decides validity, imported on first use so
``import ziett`` never pays its ~15 ms. May import only the error tree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from ziett._errors import InvalidRequestError

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

__all__ = ["normalize", "try_normalize"]

# Digits (any script: libphonenumber folds them to ASCII), common separators, a leading "+".
_SHAPE: Final = re.compile(r"\+?[\d\s\-./()]+")
_ALPHA2: Final = re.compile(r"[A-Za-z]{2}")
_MAX_SHOWN = 40
_SEE = "see ziett.phone.normalize"


class _Invalid(Exception):
    """A number that is not a usable phone number; the message says why."""


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= _MAX_SHOWN else raw[:_MAX_SHOWN] + "...")


def _region(country_alpha2: object) -> str | None:
    """``country_alpha2`` upper-cased, or an InvalidRequestError naming ``country_alpha2``."""
    if country_alpha2 is None:
        return None
    if not isinstance(country_alpha2, str) or not _ALPHA2.fullmatch(country_alpha2):
        message = "Must be an ISO 3166-1 alpha-2 country code such as 'AO' or 'PT'."
        raise InvalidRequestError(
            f"country_alpha2 {country_alpha2!r} is not a country code",
            fields={"country_alpha2": message},
        )
    import phonenumbers

    region = country_alpha2.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        message = f"Unknown country code {region!r}, or a country without phone numbers."
        raise InvalidRequestError(message, fields={"country_alpha2": message})
    return region


def _parse(text: str, region: str | None) -> PhoneNumber:
    import phonenumbers

    try:
        return phonenumbers.parse(text, region, keep_raw_input=False)
    except phonenumbers.NumberParseException as exc:
        kind = phonenumbers.NumberParseException
        reason = {
            kind.INVALID_COUNTRY_CODE: "has no known country code",
            kind.NOT_A_NUMBER: "is not a phone number",
            kind.TOO_SHORT_AFTER_IDD: "is too short after the international prefix",
            kind.TOO_SHORT_NSN: "is too short",
            kind.TOO_LONG: "is too long",
        }.get(exc.error_type, "is not a phone number")
        raise _Invalid(reason) from None


def _problem(number: PhoneNumber, strict: bool) -> str | None:
    """Why ``number`` cannot receive an SMS, or None when it can."""
    import phonenumbers

    if number.extension:
        return "has an extension, which an SMS cannot reach"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if strict and phonenumbers.is_valid_number(number):
        return None
    if not strict and reason == phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    where = phonenumbers.region_code_for_number(number) or f"+{number.country_code}"
    return {
        phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "has no known country code",
        phonenumbers.ValidationResult.TOO_SHORT: f"is too short for {where}",
        phonenumbers.ValidationResult.TOO_LONG: f"is too long for {where}",
        phonenumbers.ValidationResult.INVALID_LENGTH: f"has a length no number of {where} has",
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: (
            f"is too short for {where} (an area code may be missing)"
        ),
    }.get(reason, f"is not a valid number of {where} (no such range)")


def _e164(text: str, region: str | None, strict: bool) -> str:
    """The E.164 form of ``text`` (already stripped), or ``_Invalid`` saying why not."""
    import phonenumbers

    if not text:
        raise _Invalid("is empty")
    if not _SHAPE.fullmatch(text):
        raise _Invalid("may contain only digits, spaces, '-', '.', '/', '(', ')' and a leading '+'")
    candidates: list[tuple[str, str | None]]
    if text.startswith("+"):
        candidates = [(text, None)]
    elif region is None:
        if not text.startswith("00"):
            raise _Invalid(
                "is a local number: pass country_alpha2 (for example 'AO'), "
                "or write it with '+' and the country code"
            )
        candidates = [("+" + text[2:], None)]
    else:
        candidates = [(text, region)]
        if text.startswith("00"):
            candidates.append(("+" + text[2:], None))
    problem = "is not a phone number"
    for index, (candidate, candidate_region) in enumerate(candidates):
        try:
            number = _parse(candidate, candidate_region)
        except _Invalid as exc:
            if index == 0:
                problem = str(exc)
            continue
        found = _problem(number, strict)
        if found is None:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if index == 0:
            problem = found
    raise _Invalid(problem)


def normalize(
    raw: str, *, country_alpha2: str | None = None, field: str = "phone", strict: bool = True
) -> str:
    """The E.164 form of ``raw`` (``"+244990000001"``), or :class:`ziett.InvalidRequestError`.

    Args:
        raw: The number as written, a ``str`` (``"+244 990-000-001"``, ``"990 000 001"``);
            spaces around it are ignored.
        country_alpha2: ISO 3166-1 alpha-2 code of the country that local numbers belong
            to (``"AO"``, case-insensitive); without it only international numbers (``+``
            or ``00`` and a country code) are accepted, a country is never guessed.
        field: The name the error gives ``raw`` in ``fields`` (``"recipients[3]"`` for the
            4th of a list, say).
        strict: True (default) requires a valid number of its country; False only a
            possible length.

    Raises:
        ziett.InvalidRequestError: ``fields[field]`` says what is wrong with the number
            (not a string, empty, letters, local without a country, too short, no such
            range...); ``fields["country_alpha2"]`` when the country code is not a known one.
    """
    region = _region(country_alpha2)
    if not isinstance(raw, str):
        message = f"Must be a string, not {type(raw).__name__}."
        raise InvalidRequestError(f"{field}: {message}", fields={field: message})
    try:
        return _e164(raw.strip(), region, strict)
    except _Invalid as exc:
        message = f"{_shown(raw)} {exc} ({_SEE})."
        raise InvalidRequestError(f"{field}: {message}", fields={field: message}) from None


def try_normalize(
    raw: str, *, country_alpha2: str | None = None, strict: bool = True
) -> str | None:
    """Like :func:`normalize`, but None for a number that is not usable (or not a string).

    Args:
        raw: The number as written (as in :func:`normalize`); not a string gives None.
        country_alpha2: ISO 3166-1 alpha-2 code of the country that local numbers belong
            to (as in :func:`normalize`).
        strict: True (default) requires a valid number of its country; False only a
            possible length.

    Raises:
        ziett.InvalidRequestError: ``country_alpha2`` is not a known country code (the
            caller's mistake, not the number's), named ``country_alpha2``.
    """
    region = _region(country_alpha2)
    if not isinstance(raw, str):
        return None
    try:
        return _e164(raw.strip(), region, strict)
    except _Invalid:
        return None
