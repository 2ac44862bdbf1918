"""Numbers and days as users read them (issue 18: "103.610000000000", "1E+2", 2025-09-30)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from phoihop.core.numerals import plain_number
from phoihop.web.templatetags.phoihop import measure, vn_date


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        (Decimal("103.610000000000"), 103.61),
        (Decimal("100.00"), 100),
        (Decimal("90.0"), 90),
        (Decimal("92.50"), 92.5),
        (Decimal("0.005"), 0.01),
        (None, None),
    ],
)
def test_plain_number(value, plain):
    assert plain_number(value) == plain


def test_measure_writes_the_languages_decimal_comma_and_no_exponent():
    with translation.override("vi"):
        assert measure(Decimal("103.610000000000")) == "103,61"
        assert measure(Decimal("100.00")) == "100"
        assert measure(Decimal("12500.5")) == "12.500,5"
    with translation.override("en"):
        assert measure(Decimal("90.0")) == "90"
        assert measure(Decimal("92.50")) == "92.5"


def test_vn_date_reads_dates_and_stored_iso_text():
    assert vn_date(dt.date(2025, 9, 30)) == "30/09/2025"
    assert vn_date("2025-09-30") == "30/09/2025"
    assert vn_date("") == "" and vn_date(None) == ""
    assert vn_date("không rõ") == "không rõ"


@pytest.mark.parametrize(
    ("label", "heading", "shown"),
    [
        ("III", "TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"),
        ("III", "III. TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"),
        ("2", "2) Với Công đoàn", "2) Với Công đoàn"),
        ("1", "Với Công đoàn", "1. Với Công đoàn"),
        ("", "MỤC ĐÍCH", "MỤC ĐÍCH"),
        ("I", "Ích lợi", "I. Ích lợi"),
        ("II.1", "1. Với Công đoàn cơ sở", "1. Với Công đoàn cơ sở"),
        ("II.1", "Với Công đoàn cơ sở", "II.1. Với Công đoàn cơ sở"),
    ],
)
def test_a_sections_label_is_written_once(label, heading, shown):
    from phoihop.web.templatetags.phoihop import section_title

    assert section_title({"label": label, "heading": heading}) == shown
