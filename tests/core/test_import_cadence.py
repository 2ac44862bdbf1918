"""Cadence phrases become counts, periods, subjects, anchors and windows."""

from __future__ import annotations

import pytest

from phoihop.core.importing.cadence import parse_cadence


def _key(c):
    return (c["count"], c["at_least"], c["per"], c["per_subject"], c["anchors"], c["window"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "thăm gia đình ít nhất một lần/tháng/01 học sinh",
            (1, True, "month", "hoc_sinh", [], None),
        ),
        ("họp phụ huynh theo định kỳ 3 lần/năm", (3, False, "year", None, [], None)),
        ("tổ chức Đại hội mỗi năm 01 lần", (1, False, "year", None, [], None)),
        ("khám sức khỏe hai kỳ/năm học", (2, False, "school_year", None, [], None)),
        ("báo cáo hàng tháng, học kỳ", (1, False, "month", None, [], None)),
        ("có báo cáo từng quý, năm", (1, False, "quarter", None, [], None)),
        ("mỗi lớp 2 lần trong học kỳ", (2, False, "semester", None, [], None)),
    ],
)
def test_counted_cadences_are_read(text, expected):
    assert _key(parse_cadence(text)) == expected


def test_named_points_of_the_school_year_become_anchors():
    c = parse_cadence("họp phụ huynh theo định kỳ: đầu năm học, cuối học kì 1, cuối năm học")
    assert c["anchors"] == ["dau_nam_hoc", "cuoi_hk1", "cuoi_nam_hoc"]
    assert (c["count"], c["per"]) == (3, "school_year")


def test_dated_window_extends_to_the_last_month_named():
    c = parse_cadence("cấp trường từ tháng 11/2015 đến tháng 1/2016, cấp Ngành tháng 2/2016")
    assert c["window"] == {"start": "2015-11", "end": "2016-02"} and c["per"] == "once"


@pytest.mark.parametrize(
    "text",
    [
        "Nhà trường thường xuyên kiểm tra",
        "dự họp theo định kỳ của BCH Công đoàn",
        "Hội nghị CBVC năm học 2015 - 2016",
        "mỗi CBGV có một sáng kiến trong năm học",
        "bầu Ban TTND (hết nhiệm kỳ 2 năm)",
    ],
)
def test_standing_duties_have_no_cadence(text):
    assert parse_cadence(text) is None
