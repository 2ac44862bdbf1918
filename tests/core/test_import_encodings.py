"""Legacy Vietnamese encodings are detected and converted; the encoders round-trip."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from phoihop.core.importing.encodings import (
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    repair_text,
)
from phoihop.core.importing.extract import decode_text_bytes

LOWER_VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
ALPHABET = LOWER_VIETNAMESE + "0123456789 .,;:/()-\n"
SAMPLE = (
    "Kế hoạch phối hợp giữa nhà trường và Công đoàn năm học 2025-2026: họp phụ huynh 3 lần/năm."
)


@given(st.text(alphabet=ALPHABET, max_size=200))
def test_tcvn3_round_trip_restores_lower_case_text(text):
    assert decode_tcvn3(encode_tcvn3(text)) == text


@given(st.text(alphabet=ALPHABET + LOWER_VIETNAMESE.upper(), max_size=200))
def test_vni_round_trip_restores_text(text):
    assert unicodedata.normalize("NFC", decode_vni(encode_vni(text))) == text


def test_tcvn3_capitals_are_restored_in_upper_case_headings():
    assert decode_tcvn3(encode_tcvn3("KẾ HOẠCH PHỐI HỢP")) == "KẾ HOẠCH PHỐI HỢP"


def test_tcvn3_bytes_are_detected_and_converted():
    text, notes = decode_text_bytes(encode_tcvn3(SAMPLE))
    assert text == SAMPLE
    assert "TCVN3" in notes[0]


def test_vni_bytes_are_detected_and_converted():
    text, notes = decode_text_bytes(encode_vni(SAMPLE))
    assert text == SAMPLE
    assert "VNI" in notes[0]


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ă ơ ư precomposed and writes tone marks as combining bytes."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")
        tone = "".join(m for m in marks if m not in shape)
        out.append((unicodedata.normalize("NFC", base + shape) + tone).encode("cp1258"))
    return b"".join(out)


def test_windows_1258_bytes_are_decoded_and_composed():
    data = _to_cp1258(SAMPLE)
    text, _ = decode_text_bytes(data)
    assert unicodedata.normalize("NFC", text) == SAMPLE


def test_utf16_with_and_without_bom_is_decoded():
    assert decode_text_bytes(SAMPLE.encode("utf-16"))[0] == SAMPLE
    assert decode_text_bytes(SAMPLE.encode("utf-16-le"))[0] == SAMPLE


def test_utf8_bom_is_dropped():
    assert decode_text_bytes(b"\xef\xbb\xbf" + SAMPLE.encode())[0] == SAMPLE


def test_unicode_text_is_not_mistaken_for_a_legacy_encoding():
    assert detect_legacy(SAMPLE) is None
    assert repair_text(SAMPLE) == (SAMPLE, None)


def test_tcvn3_text_inside_unicode_is_repaired():
    legacy = encode_tcvn3(SAMPLE).decode("latin-1")
    repaired, note = repair_text(legacy)
    assert repaired == SAMPLE and note
