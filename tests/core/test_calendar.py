"""The school calendar: lunar dates for UTC+7, holidays, school years and their overrides."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phoihop.core.calendar import (
    CalendarError,
    LunarDate,
    SchoolYear,
    apply_overrides,
    derive_school_year,
    education_days,
    format_school_year,
    get_school_year,
    known_school_year_labels,
    lunar_to_solar,
    lunar_year_name,
    national_holidays,
    parse_school_year_label,
    school_year_as_dict,
    school_year_label_for,
    solar_to_lunar,
    tet,
    tet_break,
)

D = dt.date


# -- lunar calendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 1985 and 2007 differ from the Chinese calendar: the UTC+7 computation matters.
        (1985, D(1985, 1, 21)),
        (2007, D(2007, 2, 17)),
        (2024, D(2024, 2, 10)),
        (2025, D(2025, 1, 29)),
        (2026, D(2026, 2, 17)),
        (2027, D(2027, 2, 6)),
    ],
)
def test_tet_falls_on_the_vietnamese_date(year, expected):
    assert tet(year) == expected


@pytest.mark.parametrize(
    ("year", "name"), [(2025, "Ất Tỵ"), (2026, "Bính Ngọ"), (2024, "Giáp Thìn")]
)
def test_lunar_year_name_has_diacritics_in_nfc(year, name):
    assert lunar_year_name(year) == name
    assert unicodedata.is_normalized("NFC", lunar_year_name(year))


def test_tet_is_the_first_day_of_the_lunar_year():
    assert solar_to_lunar(D(2025, 1, 29)) == LunarDate(2025, 1, 1, False)
    assert solar_to_lunar(D(2025, 1, 28)) == LunarDate(2024, 12, 29, False)


def test_lunar_to_solar_knows_leap_months():
    # 2025 (Ất Tỵ) has a leap sixth month; 2026 has none.
    leap = lunar_to_solar(2025, 6, 1, leap=True)
    assert solar_to_lunar(leap) == LunarDate(2025, 6, 1, True)
    with pytest.raises(CalendarError, match="nhuận"):
        lunar_to_solar(2026, 6, 1, leap=True)


def test_lunar_date_out_of_range_is_a_calendar_error():
    with pytest.raises(CalendarError, match="phạm vi"):
        tet(1700)


@settings(max_examples=200)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31)))
def test_solar_lunar_round_trip(day):
    lunar = solar_to_lunar(day)
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day


# -- holidays -----------------------------------------------------------------------------------


def _codes(year):
    return {d.day: d.code for d in national_holidays(year)}


def test_gio_to_hung_vuong_is_the_tenth_of_the_third_lunar_month():
    assert _codes(2025)[D(2025, 4, 7)] == "gio_to"


@pytest.mark.parametrize(
    ("year", "adjacent"),
    [(2021, D(2021, 9, 3)), (2022, D(2022, 9, 1)), (2024, D(2024, 9, 3)), (2025, D(2025, 9, 1))],
)
def test_national_day_has_the_adjacent_day_the_government_chose(year, adjacent):
    assert _codes(year)[adjacent] == "quoc_khanh_2"


def test_national_day_was_one_day_before_the_labour_code_2019():
    assert "quoc_khanh_2" not in _codes(2020).values()


def test_holiday_on_a_weekend_is_compensated_on_the_next_working_day():
    codes = _codes(2023)
    assert codes[D(2023, 9, 4)] == "nghi_bu_quoc_khanh"  # 2/9/2023 was a Saturday
    assert codes[D(2023, 1, 2)] == "nghi_bu_tet_duong_lich"  # 1/1/2023 was a Sunday
    # 29/4 (Giỗ Tổ), 30/4 on the weekend: compensated on 2/5 and 3/5, after 1/5.
    assert codes[D(2023, 5, 2)].startswith("nghi_bu_")
    assert codes[D(2023, 5, 3)].startswith("nghi_bu_")


# The Government's Tết holidays for civil servants, as announced each year.
ANNOUNCED_TET_BREAKS = {
    2016: (D(2016, 2, 6), D(2016, 2, 14)),
    2017: (D(2017, 1, 26), D(2017, 2, 1)),
    2018: (D(2018, 2, 14), D(2018, 2, 20)),
    2019: (D(2019, 2, 2), D(2019, 2, 10)),
    2020: (D(2020, 1, 23), D(2020, 1, 29)),
    2021: (D(2021, 2, 10), D(2021, 2, 16)),
    2022: (D(2022, 1, 29), D(2022, 2, 6)),
    2023: (D(2023, 1, 20), D(2023, 1, 26)),
    2024: (D(2024, 2, 8), D(2024, 2, 14)),
    2025: (D(2025, 1, 25), D(2025, 2, 2)),
    2026: (D(2026, 2, 14), D(2026, 2, 22)),
}


@pytest.mark.parametrize(("year", "expected"), sorted(ANNOUNCED_TET_BREAKS.items()))
def test_usual_tet_break_pattern_reproduces_the_announced_breaks(year, expected):
    assert tet_break(year) == expected


@pytest.mark.parametrize(("year", "expected"), sorted(ANNOUNCED_TET_BREAKS.items()))
def test_school_year_data_has_the_announced_tet_break(year, expected):
    sy = get_school_year(f"{year - 1}-{year}")
    assert (sy.tet_break_start, sy.tet_break_end) == expected


# -- school years -------------------------------------------------------------------------------


def test_school_year_2025_2026_follows_the_ministry_frame():
    sy = get_school_year("2025-2026")
    assert not sy.derived
    assert sy.start >= D(2025, 9, 1)
    assert sy.opening == D(2025, 9, 5)
    assert sy.semester1_end < D(2026, 1, 18)
    assert sy.end <= D(2026, 5, 31)
    assert (sy.tet_break_start, sy.tet_break_end) == (D(2026, 2, 14), D(2026, 2, 22))
    assert sy.tet == D(2026, 2, 17)
    assert "Bộ GD&ĐT" in sy.source


def test_every_year_from_2015_2016_to_2027_2028_has_data_with_a_source():
    labels = known_school_year_labels()
    assert labels == tuple(f"{y}-{y + 1}" for y in range(2015, 2028))
    for label in labels:
        sy = get_school_year(label)
        assert not sy.derived
        assert sy.source
        assert sy.opening == D(sy.first_year, 9, 5)


def test_other_years_are_derived_from_the_usual_pattern():
    sy = get_school_year("2040-2041")
    assert sy.derived
    assert sy.opening == D(2040, 9, 5)
    assert sy.tet_break_start <= tet(2041) <= sy.tet_break_end
    assert "Suy ra" in sy.source


def test_data_years_differ_from_derivation_only_where_the_frame_says_so():
    # 2019-2020 ended on 15/7/2020 (COVID-19); a derived year would end on 31/5.
    assert get_school_year("2019-2020").end == D(2020, 7, 15)
    assert derive_school_year(2019).end == D(2020, 5, 31)


@pytest.mark.parametrize("label", ["2025 - 2026", "2025–2026", " 2025/2026 "])
def test_school_year_label_variants_are_accepted(label):
    assert get_school_year(label).label == "2025-2026"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2025", "2025-2026"),
        ("năm nay", "2025-2026"),
        ("2025-2027", "liền"),
        ("2026-2025", "liền"),
        ("1800-1801", "phạm vi"),
        ("2199-2200", "phạm vi"),
    ],
)
def test_bad_school_year_label_is_a_clear_vietnamese_error(label, message):
    with pytest.raises(CalendarError, match=message) as info:
        get_school_year(label)
    assert isinstance(info.value, ValueError)
    assert label.strip() in str(info.value)


def test_school_year_label_for_a_date_cuts_on_august():
    assert school_year_label_for(D(2025, 8, 1)) == "2025-2026"
    assert school_year_label_for(D(2026, 7, 31)) == "2025-2026"
    assert parse_school_year_label("2025-2026") == (2025, 2026)


def test_school_days_exclude_weekends_holidays_and_the_tet_break():
    sy = get_school_year("2025-2026")
    assert not sy.is_school_day(D(2025, 9, 2))  # Quốc khánh
    assert not sy.is_school_day(D(2025, 9, 6))  # Saturday
    assert not sy.is_school_day(D(2026, 2, 18))  # Tết
    assert not sy.is_school_day(D(2026, 6, 1))  # after the year
    assert sy.is_school_day(D(2025, 11, 20))  # Ngày Nhà giáo is marked, not a day off
    assert sy.school_days[0] == D(2025, 9, 3)
    assert sy.school_days[-1] == D(2026, 5, 29)


def test_education_days_are_named_and_inside_the_year():
    sy = get_school_year("2025-2026")
    days = {d.code: d for d in education_days(sy)}
    assert days["nha_giao"].day == D(2025, 11, 20)
    assert days["nha_giao"].name == "Ngày Nhà giáo Việt Nam"
    assert days["khai_giang"].day == D(2025, 9, 5)
    assert days["trung_thu"].day == D(2025, 10, 6)
    assert "quoc_te_thieu_nhi" not in days  # 1/6 is after the school year


# -- overrides ----------------------------------------------------------------------------------


def test_overrides_return_a_new_validated_school_year():
    base = get_school_year("2025-2026")
    changed = apply_overrides(
        base,
        {
            "tet_break_end": "2026-02-25",
            "days_off_add": [{"date": "2025-11-20", "name": "Nghỉ theo quyết định của UBND tỉnh"}],
            "days_off_remove": ["2026-05-01"],
            "source": "Quyết định số 1/QĐ-UBND",
        },
    )
    assert changed.tet_break_end == D(2026, 2, 25)
    assert not changed.is_school_day(D(2025, 11, 20))
    assert D(2026, 5, 1) not in {d.day for d in changed.days_off}
    assert changed.source.endswith("Quyết định số 1/QĐ-UBND")
    assert base.tet_break_end == D(2026, 2, 22)  # the base is untouched
    assert base.is_school_day(D(2025, 11, 20))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"semester1_end": "2026-02-01"}, "học kỳ"),
        ({"tet_break_start": "2026-06-10", "tet_break_end": "2026-06-12"}, "Tết"),
        ({"end": "2026-13-01"}, "không phải là ngày"),
        ({"holidays": []}, "holidays"),
        ({"days_off_add": [{"date": "2026-07-01", "name": "Hè"}]}, "ngoài năm học"),
        ({"days_off_add": [{"date": "2026-03-02"}]}, "tên"),
        ({"days_off_remove": ["2025-11-20"]}, "không phải là ngày nghỉ"),
    ],
)
def test_bad_overrides_are_rejected_with_a_vietnamese_message(overrides, message):
    with pytest.raises(CalendarError, match=message):
        apply_overrides(get_school_year("2025-2026"), overrides)


def test_school_year_cannot_be_built_out_of_order():
    with pytest.raises(CalendarError, match="2025-2026"):
        SchoolYear(
            label="2025-2026",
            start=D(2025, 9, 1),
            opening=D(2025, 9, 5),
            semester1_end=D(2026, 1, 17),
            semester2_start=D(2026, 1, 10),
            end=D(2026, 5, 31),
            tet_break_start=D(2026, 2, 14),
            tet_break_end=D(2026, 2, 22),
        )


# -- output for the CLI -------------------------------------------------------------------------


def test_school_year_as_dict_is_json_ready():
    data = school_year_as_dict(get_school_year("2025-2026"))
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["tet"] == {
        "date": "2026-02-17",
        "lunar_year": "Bính Ngọ",
        "break_start": "2026-02-14",
        "break_end": "2026-02-22",
    }
    assert {"date": "2025-09-02", "name": "Quốc khánh (2/9)", "code": "quoc_khanh"} in data[
        "days_off"
    ]


def test_format_school_year_lists_every_day_off_the_tet_and_the_lunar_year():
    sy = get_school_year("2025-2026")
    text = format_school_year(sy)
    assert "Năm học 2025-2026" in text
    assert "Bính Ngọ" in text and "17/02/2026" in text
    assert "05/09/2025" in text
    for day_off in sy.days_off:
        assert day_off.name in text
        assert day_off.day.strftime("%d/%m/%Y") in text


def test_format_school_year_says_when_the_year_is_derived():
    assert "suy ra" in format_school_year(get_school_year("2035-2036"))


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1900, max_value=2198))
def test_every_supported_school_year_is_consistent(first_year):
    sy = get_school_year(f"{first_year}-{first_year + 1}")
    assert sy.start <= sy.opening < sy.semester1_end < sy.semester2_start <= sy.end
    assert sy.tet_break_start <= sy.tet <= sy.tet_break_end
    off = {d.day for d in sy.days_off}
    assert sy.school_days, "a school year has school days"
    for day in sy.school_days:
        assert day.weekday() < 5
        assert day not in off
        assert not sy.tet_break_start <= day <= sy.tet_break_end
