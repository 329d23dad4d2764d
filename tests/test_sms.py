"""ziett.sms: encoding, parts and units by 3GPP TS 23.038, checked against the standard's tables.

Table tests use their own copy of the standard's default alphabet and extension table (by code
point, from the Unicode mapping of TS 23.038), so a typo in the module's table fails here. The
boundary tests pin 160/161, 153·k, 70/71, 67·k, an escape pair or surrogate pair straddling a
part boundary, and the empty text. Property tests (hypothesis) check that appending text never
lowers the count, that ``analyze`` and ``segments`` agree and that the parts are a greedy packing,
and that ``to_gsm`` output is GSM-7 whenever every replaced character has an equivalent.
"""

# The look-alike characters (curly quotes, dashes) are what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import dataclasses
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ziett import InvalidRequestError, sms

# --- The standard, copied independently -----------------------------------------------------

# 3GPP TS 23.038 §6.2.1 default alphabet, septet -> Unicode code point (0x1B: escape, no char).
_STANDARD_BASIC: dict[int, int] = {
    0x00: 0x0040, 0x01: 0x00A3, 0x02: 0x0024, 0x03: 0x00A5, 0x04: 0x00E8, 0x05: 0x00E9,
    0x06: 0x00F9, 0x07: 0x00EC, 0x08: 0x00F2, 0x09: 0x00C7, 0x0A: 0x000A, 0x0B: 0x00D8,
    0x0C: 0x00F8, 0x0D: 0x000D, 0x0E: 0x00C5, 0x0F: 0x00E5, 0x10: 0x0394, 0x11: 0x005F,
    0x12: 0x03A6, 0x13: 0x0393, 0x14: 0x039B, 0x15: 0x03A9, 0x16: 0x03A0, 0x17: 0x03A8,
    0x18: 0x03A3, 0x19: 0x0398, 0x1A: 0x039E, 0x1C: 0x00C6, 0x1D: 0x00E6, 0x1E: 0x00DF,
    0x1F: 0x00C9, 0x24: 0x00A4, 0x40: 0x00A1, 0x5B: 0x00C4, 0x5C: 0x00D6, 0x5D: 0x00D1,
    0x5E: 0x00DC, 0x5F: 0x00A7, 0x60: 0x00BF, 0x7B: 0x00E4, 0x7C: 0x00F6, 0x7D: 0x00F1,
    0x7E: 0x00FC, 0x7F: 0x00E0,
}  # fmt: skip
# The rest of 0x20..0x7A is ASCII at the same position.
for _septet in range(0x20, 0x7B):
    if _septet not in (0x24, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60):
        _STANDARD_BASIC[_septet] = _septet
# §6.2.1.1 default extension table: septet after the escape -> code point.
_STANDARD_EXTENSION: dict[int, int] = {
    0x0A: 0x000C, 0x14: 0x005E, 0x28: 0x007B, 0x29: 0x007D, 0x2F: 0x005C,
    0x3C: 0x005B, 0x3D: 0x007E, 0x3E: 0x005D, 0x40: 0x007C, 0x65: 0x20AC,
}  # fmt: skip
BASIC = sorted(chr(code) for code in _STANDARD_BASIC.values())
EXTENSION = sorted(chr(code) for code in _STANDARD_EXTENSION.values())

# Characters people expect to be GSM-7 and are not.
NOT_GSM = ["ç", "á", "ã", "õ", "ê", "Ã", "`", "\t", "\u00a0", "\x1b", "’", "“", "–", "…", "😀"]


def test_the_tables_are_the_standard() -> None:
    assert len(_STANDARD_BASIC) == 127  # 128 positions, one is the escape
    assert set(BASIC) == sms.GSM7_BASIC
    assert set(EXTENSION) == sms.GSM7_EXTENSION
    assert not sms.GSM7_BASIC & sms.GSM7_EXTENSION


@pytest.mark.parametrize("char", BASIC)
def test_every_basic_character_is_one_septet(char: str) -> None:
    info = sms.analyze(char * 160)
    assert (info.encoding, info.units, info.segments, info.remaining) == ("GSM-7", 160, 1, 0)
    assert sms.analyze(char * 161).segments == 2
    assert sms.is_gsm(char)


@pytest.mark.parametrize("char", EXTENSION)
def test_every_extension_character_is_two_septets(char: str) -> None:
    info = sms.analyze(char * 80)
    assert (info.encoding, info.units, info.segments, info.remaining) == ("GSM-7", 160, 1, 0)
    longer = sms.analyze(char * 81)
    # 76 pairs fill 152 of a part's 153 septets; a pair is never split.
    assert (longer.segments, longer.units, [len(p) for p in longer.parts]) == (2, 162, [76, 5])
    assert sms.is_gsm(char)


@pytest.mark.parametrize("char", NOT_GSM)
def test_characters_outside_the_alphabet_force_ucs2(char: str) -> None:
    info = sms.analyze("Hello " + char)
    assert info.encoding == "UCS-2"
    assert info.non_gsm == ((6, char),)
    assert info.per_segment == 70
    assert not sms.is_gsm(char)


# --- Boundaries -------------------------------------------------------------------------------


def test_empty_text_is_one_part() -> None:
    info = sms.analyze("")
    assert info == sms.Analysis("GSM-7", 1, 0, 160, 160, (), ("",))
    assert sms.segments("") == 1


@pytest.mark.parametrize(
    ("units", "segments"),
    [(1, 1), (159, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4), (1530, 10)],
)
def test_gsm7_boundaries(units: int, segments: int) -> None:
    info = sms.analyze("a" * units)
    assert (info.encoding, info.units, info.segments) == ("GSM-7", units, segments)
    assert info.per_segment == (160 if segments == 1 else 153)
    assert info.remaining == (153 * segments - units if segments > 1 else 160 - units)
    assert sms.segments("a" * units) == segments


@pytest.mark.parametrize("k", range(2, 12))
def test_gsm7_multipart_is_153_per_part(k: int) -> None:
    assert sms.segments("x" * 153 * k) == k
    assert sms.segments("x" * (153 * k + 1)) == k + 1


@pytest.mark.parametrize(
    ("units", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4), (670, 10)],
)
def test_ucs2_boundaries(units: int, segments: int) -> None:
    info = sms.analyze("á" * units)
    assert (info.encoding, info.units, info.segments) == ("UCS-2", units, segments)
    assert info.per_segment == (70 if segments == 1 else 67)
    assert sms.segments("á" * units) == segments


@pytest.mark.parametrize("k", range(2, 12))
def test_ucs2_multipart_is_67_per_part(k: int) -> None:
    assert sms.segments("ж" * 67 * k) == k
    assert sms.segments("ж" * (67 * k + 1)) == k + 1


def test_an_escape_pair_straddling_a_boundary_moves_whole() -> None:
    # 306 septets would be exactly 2 x 153, but the euro cannot start at septet 153.
    text = "a" * 152 + "€" + "a" * 152
    info = sms.analyze(text)
    assert info.units == 306
    assert info.segments == 3
    assert info.parts == ("a" * 152, "€" + "a" * 151, "a")
    assert info.remaining == 152
    assert sms.segments(text) == 3
    # One septet earlier the pair fits: 151 + 2 = 153.
    assert sms.analyze("a" * 151 + "€" + "a" * 153).segments == 2


def test_a_surrogate_pair_straddling_a_boundary_moves_whole() -> None:
    # 134 code units would be exactly 2 x 67, but the emoji (2 units) cannot start at unit 67.
    text = "á" * 66 + "😀" + "á" * 66
    info = sms.analyze(text)
    assert (info.encoding, info.units, info.segments) == ("UCS-2", 134, 3)
    assert info.parts == ("á" * 66, "😀" + "á" * 65, "á")
    assert sms.segments(text) == 3
    for part in info.parts:  # every part is valid UTF-16 on its own
        assert len(part.encode("utf-16-le")) // 2 <= 67


def test_emoji_count_two_units() -> None:
    assert sms.analyze("😀" * 35).segments == 1
    assert sms.analyze("😀" * 36).segments == 2
    assert sms.analyze("😀" * 36).parts == ("😀" * 33, "😀" * 3)


def test_one_character_switches_the_whole_text_to_ucs2() -> None:
    assert sms.segments("a" * 160) == 1
    assert sms.segments("a" * 159 + "’") == 3  # 160 UCS-2 units: 67 + 67 + 26


def test_the_issue_example() -> None:
    info = sms.analyze("Olá! Your code is 482910 😀")
    assert info.encoding == "UCS-2"
    assert (info.segments, info.units, info.per_segment, info.remaining) == (1, 27, 70, 43)
    assert info.non_gsm == ((2, "á"), (25, "😀"))


def test_analysis_is_immutable() -> None:
    info = sms.analyze("hi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.segments = 0  # type: ignore[misc]


@pytest.mark.parametrize("call", [sms.analyze, sms.segments, sms.to_gsm, sms.is_gsm])
@pytest.mark.parametrize("value", [None, 12, b"hi", ["hi"]])
def test_non_strings_are_a_validation_error(call: object, value: object) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        call(value)  # type: ignore[operator]
    assert "content" in caught.value.fields


def test_analyze_names_the_field_given() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        sms.analyze(3, field="body")  # type: ignore[arg-type]
    assert list(caught.value.fields) == ["body"]


def test_a_lone_surrogate_counts_one_unit() -> None:
    assert sms.analyze("a\udc80").units == 2


# --- to_gsm -----------------------------------------------------------------------------------


def test_to_gsm_replaces_typographic_lookalikes() -> None:
    text = "“Hello” — it’s 5\u00a0km… ‘ok’ «sim» 3−1 a\u00adb\u200bc\tz"
    assert sms.to_gsm(text) == '"Hello" - it\'s 5 km... \'ok\' "sim" 3-1 abc z'
    assert sms.is_gsm(sms.to_gsm(text))


def test_to_gsm_leaves_other_characters_alone() -> None:
    assert sms.to_gsm("Olá 😀 ação") == "Olá 😀 ação"
    assert sms.to_gsm("plain [GSM] text €") == "plain [GSM] text €"


def test_to_gsm_strip_accents_is_opt_in() -> None:
    assert sms.to_gsm("Olá, ação! É È ñ", strip_accents=True) == "Ola, acao! É E ñ"
    assert sms.to_gsm("Olá 😀", strip_accents=True) == "Ola 😀"
    assert sms.segments(sms.to_gsm("Promoção válida até sábado", strip_accents=True)) == 1


@pytest.mark.parametrize("char", sorted(sms.LOOKALIKES))
def test_every_replacement_is_gsm7(char: str) -> None:
    assert char not in sms.GSM7_BASIC | sms.GSM7_EXTENSION
    assert sms.is_gsm(sms.LOOKALIKES[char])


# --- Properties -------------------------------------------------------------------------------

_GSM = sorted(sms.GSM7_BASIC | sms.GSM7_EXTENSION)
# Mostly GSM-7 (so long GSM texts occur), with extension characters, other BMP characters,
# characters beyond U+FFFF, and anything else Unicode has.
_CHARS = st.one_of(
    st.sampled_from(_GSM),
    st.sampled_from(EXTENSION),
    st.sampled_from(["á", "ç", "’", "ж", "😀", "👍", "\U0001f3fd", "\U00010348"]),
    st.characters(),
)
_TEXTS = st.text(alphabet=_CHARS, max_size=700)
_GSM_TEXTS = st.text(alphabet=st.one_of(st.sampled_from(_GSM), st.sampled_from(EXTENSION)))


def _units(text: str, encoding: str) -> int:
    if encoding == "GSM-7":
        return sum(2 if c in sms.GSM7_EXTENSION else 1 for c in text)
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXTS, _GSM_TEXTS), st.one_of(_TEXTS, _GSM_TEXTS))
def test_segments_never_drop_when_text_is_appended(head: str, tail: str) -> None:
    assert sms.segments(head) <= sms.segments(head + tail)
    for cut in range(0, len(tail), 37):
        assert sms.segments(head + tail[:cut]) <= sms.segments(head + tail)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXTS, _GSM_TEXTS, st.text(alphabet=st.sampled_from(["a", "€"]), max_size=400)))
def test_analysis_is_consistent_and_a_greedy_packing(text: str) -> None:
    info = sms.analyze(text)
    assert info.segments == sms.segments(text) == len(info.parts)
    assert "".join(info.parts) == text
    assert info.encoding == ("GSM-7" if sms.is_gsm(text) else "UCS-2")
    assert (info.encoding == "GSM-7") == (info.non_gsm == ())
    assert all(text[i] == c and not sms.is_gsm(c) for i, c in info.non_gsm)
    assert info.units == _units(text, info.encoding)
    single, multi = sms.PER_SEGMENT[info.encoding]
    assert info.per_segment == (single if info.segments == 1 else multi)
    sizes = [_units(part, info.encoding) for part in info.parts]
    assert all(size <= info.per_segment for size in sizes)
    assert info.remaining == info.per_segment - sizes[-1]
    for part, following in zip(info.parts, info.parts[1:], strict=False):
        # Greedy: a part ends only where the next character would not fit.
        assert _units(part + following[0], info.encoding) > info.per_segment


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_GSM + sorted(sms.LOOKALIKES))))
def test_to_gsm_output_is_gsm7_when_every_character_has_an_equivalent(text: str) -> None:
    out = sms.to_gsm(text)
    assert sms.is_gsm(out)
    assert sms.to_gsm(out) == out


_ACCENTED = "áàâãÁÀÂÃçÇêÊëíÍîóÓôõÕúÚûÈ"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_GSM + sorted(sms.LOOKALIKES) + list(_ACCENTED))))
def test_to_gsm_strip_accents_output_is_gsm7(text: str) -> None:
    assert sms.is_gsm(sms.to_gsm(text, strip_accents=True))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters().filter(lambda c: c not in sms.LOOKALIKES)))
def test_to_gsm_changes_nothing_without_a_lookalike(text: str) -> None:
    assert sms.to_gsm(text) == text


def test_ascii_printable_is_gsm7_except_the_backtick() -> None:
    outside = {c for c in string.printable if not sms.is_gsm(c)}
    assert outside == {"`", "\t", "\x0b"}
