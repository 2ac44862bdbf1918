"""Cadences expanded over a school year: counts, windows, due days, subjects and errors."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from phoihop.core.cadence import (
    ANCHORS,
    Occurrence,
    ScheduleError,
    Subject,
    anchor_window,
    describe,
    expand,
    parse_cadence,
)
from phoihop.core.calendar import (
    apply_overrides,
    derive_school_year,
    get_school_year,
    known_school_year_labels,
)
from tests.seeds import SEEDS_DIR

D = dt.date


def _gold(prefix: str) -> dict:
    paths = sorted(SEEDS_DIR.glob(f"{prefix}_*.gold.json"))
    if not paths:
        pytest.skip(f"seed {prefix} not found in {SEEDS_DIR} (set PHOIHOP_SEEDS_DIR)")
    return json.loads(paths[0].read_text(encoding="utf-8"))


def _commitment(gold: dict, predicate) -> dict:
    matches = [c for c in gold["commitments"] if c.get("cadence") and predicate(c)]
    assert len(matches) == 1, [c["text"] for c in matches]
    return matches[0]


def _classes(count: int, students: int) -> list[Subject]:
    return [
        Subject(f"6A{n}", f"Lớp 6A{n}", tuple(f"6A{n}-{i:02d}" for i in range(students)))
        for n in range(1, count + 1)
    ]


SY = get_school_year("2025-2026")


# -- the seed 000 bar ---------------------------------------------------------------------------


def test_seed_000_monthly_home_visits_give_9_months_of_80_obligations():
    item = _commitment(_gold("000"), lambda c: c["cadence"]["per_subject"] == "hoc_sinh")
    occurrences = expand(item["cadence"], SY, subjects=_classes(2, 40), item_label=item["text"])
    # "9 months" = September … May: the calendar months from khai giảng to the end of the year.
    months = sorted({o.key for o in occurrences})
    assert months == [f"2025-{m:02d}/m" for m in (9, 10, 11, 12)] + [
        f"2026-{m:02d}/m" for m in (1, 2, 3, 4, 5)
    ]
    assert len(occurrences) == 9 * 2  # one per month per class, for its homeroom teacher
    assert all(len(o.obligations) == 40 for o in occurrences)
    assert sum(len(o.obligations) for o in occurrences) == 9 * 80
    per_month = Counter(o.key for o in occurrences)
    assert set(per_month.values()) == {2}
    assert all(o.at_least for o in occurrences)


def test_seed_000_parent_meetings_fall_on_the_three_anchors():
    item = _commitment(_gold("000"), lambda c: "họp phụ huynh" in c["text"])
    occurrences = expand(item["cadence"], SY, item_label=item["text"])
    assert [o.key for o in occurrences] == ["dau_nam_hoc", "cuoi_hk1", "cuoi_nam_hoc"]
    for occurrence in occurrences:
        start, end = anchor_window(SY, occurrence.key)
        assert start <= occurrence.due_on <= end


def test_seed_000_parents_congress_happens_once():
    item = _commitment(_gold("000"), lambda c: "Đại hội" in c["text"])
    occurrences = expand(item["cadence"], SY, item_label=item["text"])
    assert len(occurrences) == 1
    assert (occurrences[0].window_start, occurrences[0].window_end) == (SY.start, SY.end)


def test_seed_001_explicit_anchors_and_twice_a_year_health_checks():
    gold = _gold("001")
    meetings = _commitment(gold, lambda c: c["cadence"]["anchors"])
    assert [o.key for o in expand(meetings["cadence"], SY)] == [
        "dau_nam_hoc",
        "cuoi_hk1",
        "cuoi_nam_hoc",
    ]
    checks = _commitment(gold, lambda c: c["cadence"]["count"] == 2)
    assert [o.key for o in expand(checks["cadence"], SY)] == ["hk1", "hk2"]


def test_seed_003_dated_windows_land_inside_them():
    gold = _gold("003")
    sy = get_school_year("2015-2016")
    for item in gold["commitments"]:
        window = (item.get("cadence") or {}).get("window")
        if not window:
            continue
        (occurrence,) = expand(item["cadence"], sy, item_label=item["text"])
        assert occurrence.window_start.strftime("%Y-%m") == window["start"]
        assert occurrence.window_end.strftime("%Y-%m") == window["end"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_gold_cadence_schedules_in_every_year_of_its_period(prefix):
    gold = _gold(prefix)
    period = gold["period"]
    years = range(period["start_year"], max(period["end_year"], period["start_year"] + 1))
    classes = _classes(3, 5)
    for first in years:
        sy = get_school_year(f"{first}-{first + 1}")
        for item in gold["commitments"]:
            occurrences = expand(item.get("cadence"), sy, subjects=classes, item_label=item["text"])
            assert occurrences
            assert describe(item.get("cadence"))


# -- the kinds of period ------------------------------------------------------------------------


def test_standing_duty_gets_a_self_assessment_at_the_end_of_each_semester():
    occurrences = expand(None, SY)
    assert [(o.key, o.kind) for o in occurrences] == [
        ("tu_danh_gia/hk1", "self_assessment"),
        ("tu_danh_gia/hk2", "self_assessment"),
    ]
    assert occurrences[0].due_on <= SY.semester1_end
    assert occurrences[1].due_on == SY.school_days[-1]


def test_cadence_with_nothing_to_schedule_is_a_standing_duty():
    cadence = {"text": "thường xuyên", "count": None, "per": None, "anchors": [], "window": None}
    assert [o.kind for o in expand(cadence, SY)] == ["self_assessment"] * 2


def test_quarters_are_calendar_quarters_cut_to_the_school_year():
    occurrences = expand({"count": 1, "per": "quarter"}, SY)
    assert [o.key for o in occurrences] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert occurrences[0].window_end == D(2025, 9, 30)
    assert occurrences[-1].window_end == SY.end


def test_weeks_in_the_tet_break_are_skipped():
    occurrences = expand({"count": 1, "per": "week"}, SY)
    tet_week = f"{SY.tet.isocalendar().year}-W{SY.tet.isocalendar().week:02d}"
    assert tet_week not in {o.key for o in occurrences}
    assert len(occurrences) == len({d.isocalendar()[:2] for d in SY.school_days})


def test_short_weeks_get_as_many_occurrences_as_school_days():
    # The first week of 2025-2026 has 3 school days (1/9 and 2/9 are off).
    occurrences = expand({"count": 5, "per": "week"}, SY)
    first_week = [o for o in occurrences if o.key.startswith("2025-W36")]
    assert [o.due_on for o in first_week] == [D(2025, 9, 3), D(2025, 9, 4), D(2025, 9, 5)]


def test_daily_duty_is_rolled_up_per_week():
    occurrences = expand({"count": 1, "per": "day"}, SY)
    assert sum(o.repeat for o in occurrences) == len(SY.school_days)
    assert all(o.key.endswith("/ngay") for o in occurrences)


def test_n_times_a_month_are_spread_over_the_month():
    occurrences = [
        o for o in expand({"count": 2, "per": "month"}, SY) if o.key.startswith("2025-10")
    ]
    assert [o.key for o in occurrences] == ["2025-10/m/1", "2025-10/m/2"]
    assert occurrences[0].window_start == D(2025, 10, 1)
    assert occurrences[0].window_end + dt.timedelta(days=1) == occurrences[1].window_start
    assert occurrences[1].window_end == D(2025, 10, 31)


def test_four_times_a_school_year_are_spread_over_it():
    occurrences = expand({"count": 4, "per": "school_year"}, SY)
    assert [o.key for o in occurrences] == ["nam_hoc/1", "nam_hoc/2", "nam_hoc/3", "nam_hoc/4"]
    assert occurrences[0].window_start == SY.start and occurrences[-1].window_end == SY.end


def test_due_day_moves_off_a_holiday_to_the_nearest_school_day_inside_the_window():
    # 30/4 and 1/5/2026 are off; April's last school day is Wednesday 29/4.
    april = next(o for o in expand({"count": 1, "per": "month"}, SY) if o.key == "2026-04/m")
    assert april.due_on == D(2026, 4, 29)
    assert april.window_end == D(2026, 4, 30)


def test_per_class_items_give_one_occurrence_per_class():
    occurrences = expand(
        {"count": 1, "per": "semester", "per_subject": "lop"}, SY, subjects=_classes(3, 0)
    )
    assert len(occurrences) == 6
    assert {o.subject.id for o in occurrences} == {"6A1", "6A2", "6A3"}
    assert all(o.obligations == () for o in occurrences)


def test_classes_without_students_have_no_home_visits():
    classes = [*_classes(1, 3), Subject("6B", "Lớp 6B")]
    occurrences = expand(
        {"count": 1, "per": "month", "per_subject": "hoc_sinh"}, SY, subjects=classes
    )
    assert {o.subject.id for o in occurrences} == {"6A1"}


def test_output_is_sorted_by_due_day_and_keys_are_unique_per_subject():
    occurrences = expand(
        {"count": 2, "per": "month", "per_subject": "lop"}, SY, subjects=_classes(4, 0)
    )
    assert occurrences == sorted(occurrences, key=Occurrence.sort_key)
    pairs = [(o.key, o.subject.id) for o in occurrences]
    assert len(pairs) == len(set(pairs))


def test_school_year_may_be_given_by_label():
    assert expand({"count": 1, "per": "month"}, "2025-2026") == expand(
        {"count": 1, "per": "month"}, SY
    )


# -- describe -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "text"),
    [
        (
            {"count": 1, "at_least": True, "per": "month", "per_subject": "hoc_sinh"},
            "Ít nhất 1 lần mỗi tháng cho mỗi học sinh",
        ),
        (
            {
                "count": 3,
                "per": "school_year",
                "anchors": ["dau_nam_hoc", "cuoi_hk1", "cuoi_nam_hoc"],
            },
            "3 lần mỗi năm học: đầu năm học, cuối học kỳ I, cuối năm học",
        ),
        ({"count": 3, "per": "year"}, "3 lần mỗi năm: đầu năm học, cuối học kỳ I, cuối năm học"),
        ({"count": 2, "per": "school_year"}, "2 lần mỗi năm học (mỗi học kỳ một lần)"),
        (
            {"count": None, "per": "once", "window": {"start": "2015-11", "end": "2016-02"}},
            "1 lần, từ tháng 11/2015 đến tháng 2/2016",
        ),
        ({"count": 1, "per": "quarter"}, "1 lần mỗi quý"),
        (None, "Thường xuyên; tự đánh giá vào cuối mỗi học kỳ"),
    ],
)
def test_describe_says_the_cadence_in_vietnamese(cadence, text):
    assert describe(cadence) == text


def test_describe_does_not_raise_on_an_invalid_cadence():
    assert describe({"count": 1, "per": "fortnight"}).startswith("Chu kỳ không hợp lệ")


# -- bad input ----------------------------------------------------------------------------------


def test_cadence_that_cannot_fit_names_the_item():
    # A province that closes schools for most of February (a long Tết break).
    sy = apply_overrides(SY, {"tet_break_start": "2026-02-02", "tet_break_end": "2026-02-25"})
    cadence = {"count": 5, "per": "once", "window": {"start": "2026-02", "end": "2026-02"}}
    with pytest.raises(ScheduleError, match="Hội thi giáo viên dạy giỏi") as info:
        expand(cadence, sy, item_label="Hội thi giáo viên dạy giỏi")
    assert "không đủ cho 5 lần" in str(info.value)
    assert info.value.item_label == "Hội thi giáo viên dạy giỏi"


def test_monthly_count_larger_than_a_month_can_hold_is_an_error():
    with pytest.raises(ScheduleError, match="không đủ"):
        expand({"count": 25, "per": "month"}, SY, item_label="Kiểm tra")


def test_window_outside_the_school_year_names_the_item():
    cadence = {"count": 1, "per": "once", "window": {"start": "2015-11", "end": "2016-01"}}
    with pytest.raises(ScheduleError, match="ngoài năm học 2025-2026") as info:
        expand(cadence, SY, item_label="Tuyên truyền nếp sống văn minh")
    assert "Tuyên truyền nếp sống văn minh" in str(info.value)


def test_window_partly_outside_the_school_year_is_cut_to_it():
    cadence = {"count": 1, "per": "month", "window": {"start": "2026-04", "end": "2026-08"}}
    assert [o.key for o in expand(cadence, SY)] == ["2026-04/m", "2026-05/m"]


def test_unknown_school_year_names_the_item():
    with pytest.raises(ScheduleError, match="Họp phụ huynh.*2025-2027"):
        expand({"count": 1, "per": "month"}, "2025-2027", item_label="Họp phụ huynh")


@pytest.mark.parametrize(
    ("cadence", "message"),
    [
        ({"count": 1, "per": "fortnight"}, "fortnight"),
        ({"count": 0, "per": "month"}, "số lần"),
        ({"count": "hai", "per": "month"}, "số lần"),
        ({"count": 1, "per": "month", "per_subject": "phu_huynh"}, "phu_huynh"),
        ({"count": 1, "anchors": ["giua_nam"]}, "giua_nam"),
        ({"count": 1, "per": "once", "window": {"start": "11/2015"}}, "11/2015"),
        ({"count": 1, "per": "once", "window": {"start": "2016-02", "end": "2015-11"}}, "trước"),
        ("hàng tháng", "JSON"),
    ],
)
def test_invalid_cadence_is_a_schedule_error_naming_the_item(cadence, message):
    with pytest.raises(ScheduleError, match=message) as info:
        expand(cadence, SY, item_label="Nội dung thử")
    assert "Nội dung thử" in str(info.value)


def test_per_student_item_without_classes_says_what_to_do():
    with pytest.raises(ScheduleError, match="danh sách lớp"):
        expand({"count": 1, "per": "month", "per_subject": "hoc_sinh"}, SY, item_label="Thăm hỏi")


def test_duplicate_subjects_are_rejected():
    classes = _classes(1, 2) * 2
    with pytest.raises(ScheduleError, match="hai lần"):
        expand({"count": 1, "per": "month", "per_subject": "lop"}, SY, subjects=classes)


def test_anchor_outside_the_window_is_an_error():
    cadence = {
        "count": 1,
        "anchors": ["cuoi_nam_hoc"],
        "window": {"start": "2025-10", "end": "2025-11"},
    }
    with pytest.raises(ScheduleError, match="Cuối năm học"):
        expand(cadence, SY, item_label="Tổng kết")


# -- properties ---------------------------------------------------------------------------------

PERIOD_CHOICES = (
    "day",
    "week",
    "month",
    "quarter",
    "semester",
    "school_year",
    "year",
    "once",
    None,
)


@st.composite
def school_years(draw):
    labels = known_school_year_labels()
    if draw(st.booleans()):
        sy = get_school_year(draw(st.sampled_from(labels)))
    else:
        sy = derive_school_year(draw(st.integers(min_value=1990, max_value=2150)))
    if draw(st.booleans()):
        # A local version: a longer Tết break and a few extra days off.
        extra = draw(
            st.lists(st.sampled_from(sy.school_days), max_size=15, unique=True).map(sorted)
        )
        sy = apply_overrides(
            sy,
            {
                "tet_break_end": min(
                    sy.tet_break_end + dt.timedelta(days=draw(st.integers(0, 10))), sy.end
                ),
                "days_off_add": [{"date": d.isoformat(), "name": "Nghỉ thử"} for d in extra],
            },
        )
    return sy


@st.composite
def cadences(draw, sy):
    per = draw(st.sampled_from(PERIOD_CHOICES))
    window = None
    if draw(st.booleans()):
        months = [D(sy.first_year, m, 1) for m in range(sy.start.month, 13)] + [
            D(sy.first_year + 1, m, 1) for m in range(1, sy.end.month + 1)
        ]
        first = draw(st.sampled_from(months))
        last = draw(st.sampled_from([m for m in months if m >= first]))
        window = {"start": first.strftime("%Y-%m"), "end": last.strftime("%Y-%m")}
    anchors = (
        draw(st.lists(st.sampled_from(ANCHORS), max_size=4, unique=True))
        if draw(st.booleans())
        else []
    )
    return {
        "text": None,
        "count": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=6))),
        "at_least": draw(st.booleans()),
        "per": per,
        "per_subject": draw(st.sampled_from([None, "lop", "hoc_sinh"])),
        "anchors": anchors,
        "window": window,
    }


def _expected_groups(cadence, sy):
    """An independent model: how many occurrences each period should get, from the school days
    alone. Returns (groups, strict) where groups maps a period to its number of school days."""
    parsed = parse_cadence(cadence)
    start, end = sy.start, sy.end
    if parsed.window:
        start, end = max(start, parsed.window[0]), min(end, parsed.window[1])
    days = [d for d in sy.school_days if start <= d <= end]
    per = parsed.per
    opening_month = (sy.opening.year, sy.opening.month)

    def month_of(d):
        return max((d.year, d.month), opening_month)

    if per == "month":
        return Counter(month_of(d) for d in days), True
    if per == "quarter":
        return Counter((d.year, (d.month - 1) // 3) for d in days), True
    if per == "semester":
        return Counter(
            d <= sy.semester1_end for d in days if not sy.semester1_end < d < sy.semester2_start
        ), True
    if per in ("week", "day"):
        return Counter(d.isocalendar()[:2] for d in days), False
    return None, True


def _check_occurrences(occurrences, cadence, sy, subjects):
    parsed = parse_cadence(cadence)
    if not parsed.schedulable:
        assert [o.kind for o in occurrences] == ["self_assessment"] * 2
        assert all(sy.is_school_day(o.due_on) for o in occurrences)
        return
    window = parsed.window
    off = {d.day for d in sy.days_off}
    for o in occurrences:
        assert sy.start <= o.window_start <= o.due_on <= o.window_end <= sy.end
        if window:
            assert window[0] <= o.window_start and o.window_end <= window[1]
        assert o.due_on.weekday() < 5
        assert o.due_on not in off
        assert not sy.tet_break_start <= o.due_on <= sy.tet_break_end
        assert sy.is_school_day(o.due_on)
    # Counts.
    per_subject = parsed.per_subject
    if per_subject == "lop":
        multiplier = len(subjects)
    elif per_subject == "hoc_sinh":
        multiplier = sum(1 for s in subjects if s.members)
        assert all(o.obligations == o.subject.members for o in occurrences)
    else:
        multiplier = 1
    count = parsed.count or 1
    if parsed.anchors:
        assert len(occurrences) == len(parsed.anchors) * multiplier
        return
    groups, _strict = _expected_groups(cadence, sy)
    if groups is None:
        assert len(occurrences) == count * multiplier
    elif parsed.per == "day":
        assert len(occurrences) == len(groups) * multiplier
        assert sum(o.repeat for o in occurrences) == count * sum(groups.values()) * multiplier
    elif parsed.per == "week":
        assert len(occurrences) == sum(min(count, n) for n in groups.values()) * multiplier
    else:
        assert len(occurrences) == count * len(groups) * multiplier


def _check_error_is_legitimate(cadence, sy):
    parsed = parse_cadence(cadence)
    count = parsed.count or 1
    start, end = sy.start, sy.end
    if parsed.window:
        start, end = max(start, parsed.window[0]), min(end, parsed.window[1])
    if parsed.anchors:
        windows = [anchor_window(sy, a) for a in parsed.anchors]
        assert any(not sy.school_days_between(max(a, start), min(b, end)) for a, b in windows), (
            "anchors that fit must not fail"
        )
        return
    groups, strict = _expected_groups(cadence, sy)
    if groups is None:
        days = sy.school_days_between(start, end)
        conventional = (
            parsed.per in ("school_year", "year") and not parsed.window and count in (2, 3)
        )
        assert conventional or len(days) < count
    else:
        assert not groups or (strict and min(groups.values()) < count)


CLASSES = (
    Subject("6A", "Lớp 6A", ("a1", "a2")),
    Subject("6B", "Lớp 6B"),
    Subject("7A", "Lớp 7A", ("c1",)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_occurrences_respect_the_school_year_the_window_and_the_count(data):
    sy = data.draw(school_years())
    cadence = data.draw(cadences(sy))
    try:
        occurrences = expand(cadence, sy, subjects=CLASSES, item_label="Thuộc tính")
    except ScheduleError as error:
        event("cannot fit")
        assert "Thuộc tính" in str(error)
        _check_error_is_legitimate(cadence, sy)
        return
    event("scheduled")
    _check_occurrences(occurrences, cadence, sy, CLASSES)
    # Deterministic, sorted, keys unique per subject.
    assert occurrences == expand(cadence, sy, subjects=CLASSES, item_label="Thuộc tính")
    assert occurrences == sorted(occurrences, key=Occurrence.sort_key)
    pairs = [(o.key, o.subject.id if o.subject else None) for o in occurrences]
    assert len(pairs) == len(set(pairs))


@settings(max_examples=50, deadline=None)
@given(school_years())
def test_standing_duties_always_get_two_check_ins_on_school_days(sy):
    occurrences = expand(None, sy)
    assert len(occurrences) == 2
    assert all(sy.is_school_day(o.due_on) for o in occurrences)


def test_a_stored_occurrence_label_is_said_again_in_the_active_language():
    from phoihop.core.cadence import translate_title
    from phoihop.core.i18n import language

    with language("en"):
        assert translate_title("Học kỳ I · Công đoàn họp") == "Semester I · Công đoàn họp"
        moved = translate_title("Lần 2/3 – Học kỳ II · Họp cha mẹ học sinh")
        assert moved.endswith("· Họp cha mẹ học sinh") and "Học kỳ" not in moved and "2/3" in moved
        assert translate_title("Khác thường · x") == "Khác thường · x"
    with language("vi"):
        assert translate_title("Học kỳ I · Công đoàn họp") == "Học kỳ I · Công đoàn họp"
