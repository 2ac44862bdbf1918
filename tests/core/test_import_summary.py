"""The CLI summary is readable Vietnamese and shows the warnings."""

from __future__ import annotations

from phoihop.core.importing import format_summary, parse_text


def test_summary_shows_type_items_and_warnings():
    plan = parse_text("KẾ HOẠCH\nI. NỘI DUNG\n1. Nhà trường họp phụ huynh 3 lần/năm.")
    text = format_summary(plan)
    assert "Loại văn bản: Kế hoạch" in text
    assert "3 lần/năm" in text
    assert "Cảnh báo:" in text and "chưa có số" in text
