"""ziett.phone: E.164 normalisation of the docs' recipients and of what CSV exports contain.

The docs' own examples (seeds 001-003: ``+244990000001``, ``+244990000002``, ``990000003`` with
``AO``, ``+244990090990``) must come out as E.164; the spellings of one phone must give one
string; every refusal is a ``ziett.InvalidRequestError`` whose ``fields`` name the input (or
``country_alpha2``); a local number without a country is never guessed; and importing the
module does not import phonenumbers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ziett import InvalidRequestError, phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # /work/shared/seeds/003 (batch campaign, country_alpha2 "AO")
        ("+244990000001", "+244990000001"),
        ("+244990000002", "+244990000002"),
        ("990000003", "+244990000003"),
        # seeds 001/002 (target_e164 example)
        ("+244990090990", "+244990090990"),
    ],
)
def test_the_docs_recipients_with_ao(raw: str, expected: str) -> None:
    assert phone.normalize(raw, country_alpha2="AO") == expected


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("+244 990-000-001", None),
        ("+244990000001", None),
        ("  +244 990 000 001  ", None),
        ("00244990000001", None),
        ("00 244 990 000 001", "AO"),
        ("244990000001", "AO"),
        ("244 990.000.001", "AO"),
        ("990 000 001", "AO"),
        ("990-000-001", "ao"),
        ("(990) 000/001", "AO"),
        ("+244990000001", "PT"),  # "+": the country is only a default for local numbers
        ("00244990000001", "US"),  # US dials 011 abroad; "00" still reads as "+"
    ],
)
def test_one_phone_written_many_ways_is_one_string(raw: str, country: str | None) -> None:
    assert phone.normalize(raw, country_alpha2=country) == "+244990000001"
    assert phone.try_normalize(raw, country_alpha2=country) == "+244990000001"


def test_other_countries() -> None:
    assert phone.normalize("+351 912 345 678", country_alpha2="AO") == "+351912345678"
    assert phone.normalize("912345678", country_alpha2="PT") == "+351912345678"
    assert phone.normalize("07911 123456", country_alpha2="GB") == "+447911123456"
    assert phone.normalize("011 244 990 000 001", country_alpha2="US") == "+244990000001"


@pytest.mark.parametrize(
    ("raw", "country", "says"),
    [
        ("12", None, "country_alpha2"),  # local, and no country given: never guessed
        ("990000001", None, "country_alpha2"),
        ("244990000001", None, "country_alpha2"),  # a bare calling code is not a "+"
        ("12", "AO", "too short"),
        ("+2449900000011", None, "too long"),
        ("+244190000001", None, "no such range"),  # right length, no such Angolan range
        ("980000001", "AO", "no such range"),
        ("+999123456", None, "country code"),
        ("", "AO", "empty"),
        ("   ", "AO", "empty"),
        ("N/A", "AO", "only digits"),
        ("1-800-FLOWERS", "US", "only digits"),
        ("+244 990 000 001 ext. 5", None, "only digits"),
        ("244+990000001", "AO", "only digits"),
        ("+", None, "only digits"),
        ("+-", None, "not a phone number"),
    ],
)
def test_refusals_name_the_input(raw: str, country: str | None, says: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        phone.normalize(raw, country_alpha2=country)
    assert list(caught.value.fields) == ["phone"]
    assert says in caught.value.fields["phone"]
    assert caught.value.may_have_been_sent is False  # raised before any request
    assert phone.try_normalize(raw, country_alpha2=country) is None


def test_the_field_name_is_the_callers() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        phone.normalize("12", country_alpha2="AO", field="recipients[2]")
    assert list(caught.value.fields) == ["recipients[2]"]
    assert "'12'" in caught.value.fields["recipients[2]"]


def test_a_long_input_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        phone.normalize("9" * 300, country_alpha2="AO")
    assert len(caught.value.fields["phone"]) < 120


@pytest.mark.parametrize("raw", [244990000001, None, b"+244990000001", ["+244990000001"]])
def test_only_strings_are_numbers(raw: object) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        phone.normalize(raw, country_alpha2="AO")  # type: ignore[arg-type]
    assert "string" in caught.value.fields["phone"]
    assert phone.try_normalize(raw, country_alpha2="AO") is None  # type: ignore[arg-type]


@pytest.mark.parametrize("country", ["XX", "AQ", "A", "AOO", "A1", "", 244, "ZZ"])
def test_an_unknown_country_names_country_alpha2(country: object) -> None:
    for call in (phone.normalize, phone.try_normalize):
        with pytest.raises(InvalidRequestError) as caught:
            call("990000001", country_alpha2=country)  # type: ignore[arg-type]
        assert list(caught.value.fields) == ["country_alpha2"]


def test_strict_false_accepts_a_possible_number_outside_the_known_ranges() -> None:
    assert phone.normalize("+244190000001", strict=False) == "+244190000001"
    assert phone.try_normalize("+244190000001", strict=False) == "+244190000001"
    with pytest.raises(InvalidRequestError):
        phone.normalize("+24419000000", strict=False)  # one digit short


def test_numbers_of_the_docs_range_are_valid() -> None:
    # The docs and the sandbox use +2449900000xx (the sandbox's outcome is chosen by "xx").
    for last in range(100):
        number = f"+2449900000{last:02d}"
        assert phone.normalize(number) == number


def test_import_does_not_load_phonenumbers() -> None:
    code = (
        "import sys, ziett, ziett.phone, ziett.sms\n"
        "assert 'phonenumbers' not in sys.modules, 'imported too early'\n"
        "ziett.phone.normalize('+244990000001')\n"
        "assert 'phonenumbers' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


_SEPARATORS = st.sampled_from(["", "", "", " ", "-", "."])


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"9[1-79][0-9]{7}", fullmatch=True), st.lists(_SEPARATORS, min_size=9))
def test_every_spelling_of_an_angolan_mobile_agrees(national: str, seps: list[str]) -> None:
    spaced = "".join(d + s for d, s in zip(national, seps, strict=False)).strip(" -.")
    expected = "+244" + national
    assert phone.normalize(national, country_alpha2="AO") == expected
    assert phone.normalize(spaced, country_alpha2="AO") == expected
    assert phone.normalize("244" + spaced, country_alpha2="AO") == expected
    assert phone.normalize("+244 " + spaced) == expected
    assert phone.normalize("00244" + national) == expected
