"""Cadences → dated occurrences: where a plan item becomes work on the school calendar.

An item's cadence (the dict of ``IMPORT_FORMAT.md``: text, count, at_least, per, per_subject,
anchors, window) is expanded over a :class:`~phoihop.core.calendar.SchoolYear` into
:class:`Occurrence` values, each with a due window and a due day. The Django layer turns them into
activities; ``key`` lets a re-scheduling match the activities it made before.

Rules (each one is tested in ``tests/core/test_cadence.py``):

* The horizon is the school year, from tựu trường (``start``) to ``end``; ``year`` and
  ``school_year`` mean the same (IMPORT_FORMAT counts them as one). A dated ``window`` narrows the
  horizon; a window wholly outside the school year is an error.
* ``month``: the calendar months from the month of khai giảng to the month of ``end``; days of
  tựu trường before the opening month belong to the first month. For the usual Sept–May year
  that is **9 months** (September … May), e.g. 2025–2026: 01/9/2025 – 31/5/2026.
* ``quarter``: calendar quarters (reports to the commune/ward follow them), cut to the school year:
  Q3 is September only, Q2 is April–May.
* ``semester``: HK1 = ``start`` … ``semester1_end``; HK2 = ``semester2_start`` … ``end``.
* ``week``: ISO weeks; a week with no school day (the Tết break) is skipped, and a week shortened
  by holidays gets as many occurrences as it has school days, up to ``count``.
* ``day``: a daily duty is not 170 activities: it becomes one occurrence per school week whose
  ``repeat`` is ``count`` × the week's school days.
* ``school_year`` / ``year`` without anchors: 1 → the whole year; 2 → one per semester; 3 → the
  conventional points đầu năm học, cuối HK1, cuối năm học (the three parent meetings of the
  Điều lệ Ban đại diện CMHS, Thông tư 55/2011/TT-BGDĐT); more → spread evenly over the school days.
* ``once`` (or no ``per`` with a window): ``count`` (default 1) spread over the horizon.
* ``anchors``: one occurrence per named point, each with the window of :func:`anchor_window`.
* N times per period: the period's school days are cut into N equal runs, one occurrence each.
  Outside weeks, a period with fewer school days than N is an error ("cannot fit").
* The due day is the school day nearest to the end of the window, inside the window: never a
  weekend, a day off or the Tết break.
* ``per_subject``: ``lop``/``can_bo``/``don_vi`` → one occurrence per subject; ``hoc_sinh`` →
  one occurrence per class for its homeroom teacher, carrying the class's students as
  ``obligations`` (classes with no students are skipped).
* No cadence (``None``, or a dict with nothing to schedule): a standing duty, checked by a
  self-assessment at the end of each semester (``kind="self_assessment"``).

Output is sorted and deterministic; ``(key, subject.id)`` is unique within one item's expansion.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from phoihop.core.calendar import CalendarError, SchoolYear, get_school_year
from phoihop.core.i18n import _, current_language, gettext_noop

__all__ = [
    "ANCHORS",
    "PERIODS",
    "SUBJECT_KINDS",
    "Cadence",
    "Occurrence",
    "ScheduleError",
    "Subject",
    "anchor_window",
    "describe",
    "expand",
    "parse_cadence",
]

ONE_DAY = dt.timedelta(days=1)

PERIODS = ("day", "week", "month", "quarter", "semester", "school_year", "year", "once")
ANCHORS = ("dau_nam_hoc", "giua_hk1", "cuoi_hk1", "dau_hk2", "giua_hk2", "cuoi_nam_hoc")
SUBJECT_KINDS = ("hoc_sinh", "lop", "can_bo", "don_vi")

# School-year counts that have a conventional placement when the plan names no points.
_CONVENTIONAL_ANCHORS = {3: ("dau_nam_hoc", "cuoi_hk1", "cuoi_nam_hoc")}

# Length of the anchor windows: four weeks at a start, two weeks each side of a middle,
# three weeks before an end.
_START_SPAN = dt.timedelta(days=27)
_MIDDLE_HALF_SPAN = dt.timedelta(days=14)
_END_SPAN = dt.timedelta(days=20)


class ScheduleError(ValueError):
    """An item that cannot be scheduled; the message names the item and says why."""

    def __init__(self, reason: str, item_label: str | None = None) -> None:
        self.reason = reason
        self.item_label = item_label
        if item_label:
            message = _("Không lập được lịch cho nội dung “%(item)s”: %(reason)s") % {
                "item": _shorten(item_label),
                "reason": reason,
            }
        else:
            message = _("Không lập được lịch: %(reason)s") % {"reason": reason}
        super().__init__(message)


def _shorten(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Subject:
    """Who an item is done for, one by one: a class (``members`` = its students' ids), a staff
    member, a unit."""

    id: str
    name: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated occurrence of an item: do it between ``window_start`` and ``window_end``, by
    ``due_on`` (a school day).

    ``key`` names the slot in the school year ("2025-09/m", "cuoi_hk1", "hk2", "2025-W37") so that
    re-scheduling finds the activity made for it before. ``subject`` is the class/person/unit it
    is for; ``obligations`` the students the homeroom teacher must cover in it. ``repeat`` is how
    many times the item is due inside the window (more than 1 for a daily duty rolled up per week).
    ``kind`` is ``"activity"`` or ``"self_assessment"`` (the check-in of a standing duty).
    """

    key: str
    label: str
    window_start: dt.date
    window_end: dt.date
    due_on: dt.date
    subject: Subject | None = None
    obligations: tuple[str, ...] = ()
    kind: str = "activity"
    repeat: int = 1
    at_least: bool = False

    def sort_key(self) -> tuple[dt.date, dt.date, str, str]:
        return (self.due_on, self.window_start, self.key, self.subject.id if self.subject else "")


@dataclass(frozen=True, slots=True)
class Cadence:
    """A validated cadence. ``window`` is the first day of its start month to the last day of its
    end month (or the exact days when the window gives days)."""

    count: int | None = 1
    at_least: bool = False
    per: str | None = None
    per_subject: str | None = None
    anchors: tuple[str, ...] = ()
    window: tuple[dt.date, dt.date] | None = None
    text: str | None = None

    @property
    def schedulable(self) -> bool:
        """False for a cadence that says nothing about when (a standing duty)."""
        return bool(self.per or self.anchors or self.window)


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def _window_bound(value: Any, *, is_end: bool, item_label: str | None) -> dt.date:
    text = str(value or "").strip()
    try:
        if len(text) == 7:  # YYYY-MM
            year, month = int(text[:4]), int(text[5:7])
            if text[4] != "-":
                raise ValueError(text)
            first = dt.date(year, month, 1)
            if not is_end:
                return first
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - ONE_DAY
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScheduleError(
            _("khoảng thời gian “%(value)s” không hợp lệ (cần dạng YYYY-MM hoặc YYYY-MM-DD).")
            % {"value": value},
            item_label,
        ) from None


def parse_cadence(
    value: Mapping[str, Any] | Cadence | None, *, item_label: str | None = None
) -> Cadence | None:
    """Validate a cadence dict of the import format; ``None`` stays ``None`` (standing duty).

    Raises ``ScheduleError`` naming the item on an unknown period, anchor or subject kind, a bad
    count or a malformed window.
    """
    if value is None or isinstance(value, Cadence):
        return value
    if not isinstance(value, Mapping):
        raise ScheduleError(_("chu kỳ phải là một đối tượng JSON."), item_label)
    per = value.get("per") or None
    if per is not None and per not in PERIODS:
        raise ScheduleError(
            _("chu kỳ “%(per)s” không được hỗ trợ (dùng một trong: %(allowed)s).")
            % {"per": per, "allowed": ", ".join(PERIODS)},
            item_label,
        )
    count = value.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ScheduleError(
            _("số lần “%(count)s” không hợp lệ (cần một số nguyên dương).") % {"count": count},
            item_label,
        )
    per_subject = value.get("per_subject") or None
    if per_subject is not None and per_subject not in SUBJECT_KINDS:
        raise ScheduleError(
            _("đối tượng “%(kind)s” không được hỗ trợ (dùng một trong: %(allowed)s).")
            % {"kind": per_subject, "allowed": ", ".join(SUBJECT_KINDS)},
            item_label,
        )
    anchors_in = value.get("anchors") or ()
    if isinstance(anchors_in, str):
        anchors_in = (anchors_in,)
    for anchor in anchors_in:
        if anchor not in ANCHORS:
            raise ScheduleError(
                _("mốc “%(anchor)s” không được hỗ trợ (dùng một trong: %(allowed)s).")
                % {"anchor": anchor, "allowed": ", ".join(ANCHORS)},
                item_label,
            )
    # Canonical order, no repeats: the school year's order is the only sensible one.
    anchors = tuple(a for a in ANCHORS if a in set(anchors_in))
    window = None
    raw_window = value.get("window")
    if raw_window:
        if not isinstance(raw_window, Mapping) or not raw_window.get("start"):
            raise ScheduleError(
                _("khoảng thời gian cần có “start” (và “end”), ví dụ 2015-11 đến 2016-01."),
                item_label,
            )
        start = _window_bound(raw_window["start"], is_end=False, item_label=item_label)
        end = _window_bound(
            raw_window.get("end") or raw_window["start"], is_end=True, item_label=item_label
        )
        if end < start:
            raise ScheduleError(
                _("khoảng thời gian kết thúc (%(end)s) trước khi bắt đầu (%(start)s).")
                % {"start": _fmt(start), "end": _fmt(end)},
                item_label,
            )
        window = (start, end)
    return Cadence(
        count=count,
        at_least=bool(value.get("at_least")),
        per=per,
        per_subject=per_subject,
        anchors=anchors,
        window=window,
        text=value.get("text"),
    )


# --------------------------------------------------------------------------------------------
# Slots: the time part of an occurrence, computed once per item
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    key: str
    label: str
    window_start: dt.date
    window_end: dt.date
    due_on: dt.date
    repeat: int = 1


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _anchor_label(name: str) -> str:
    return {
        "dau_nam_hoc": _("Đầu năm học"),
        "giua_hk1": _("Giữa học kỳ I"),
        "cuoi_hk1": _("Cuối học kỳ I"),
        "dau_hk2": _("Đầu học kỳ II"),
        "giua_hk2": _("Giữa học kỳ II"),
        "cuoi_nam_hoc": _("Cuối năm học"),
    }[name]


def anchor_window(sy: SchoolYear, name: str) -> tuple[dt.date, dt.date]:
    """The days a named point of the school year covers.

    Đầu năm học: tựu trường to four weeks after khai giảng; giữa HK: two weeks either side of the
    semester's middle; cuối HK1 / cuối năm học: the last three weeks; đầu HK2: its first four weeks.
    """
    if name == "dau_nam_hoc":
        start, end = sy.start, sy.opening + _START_SPAN
    elif name == "giua_hk1":
        middle = sy.opening + (sy.semester1_end - sy.opening) / 2
        start, end = middle - _MIDDLE_HALF_SPAN, middle + _MIDDLE_HALF_SPAN
    elif name == "cuoi_hk1":
        start, end = sy.semester1_end - _END_SPAN, sy.semester1_end
    elif name == "dau_hk2":
        start, end = sy.semester2_start, sy.semester2_start + _START_SPAN
    elif name == "giua_hk2":
        middle = sy.semester2_start + (sy.end - sy.semester2_start) / 2
        start, end = middle - _MIDDLE_HALF_SPAN, middle + _MIDDLE_HALF_SPAN
    elif name == "cuoi_nam_hoc":
        start, end = sy.end - _END_SPAN, sy.end
    else:
        raise ValueError(name)
    return max(start, sy.start), min(end, sy.end)


class _Planner:
    """Cuts the horizon of one item into slots."""

    def __init__(self, cadence: Cadence, sy: SchoolYear, item_label: str | None) -> None:
        self.cadence = cadence
        self.sy = sy
        self.item_label = item_label
        self.start, self.end = sy.start, sy.end
        if cadence.window:
            w_start, w_end = cadence.window
            if w_end < sy.start or w_start > sy.end:
                raise ScheduleError(
                    _(
                        "khoảng thời gian %(start)s – %(end)s nằm ngoài năm học %(year)s "
                        "(%(sy_start)s – %(sy_end)s)."
                    )
                    % {
                        "start": _fmt(w_start),
                        "end": _fmt(w_end),
                        "year": sy.label,
                        "sy_start": _fmt(sy.start),
                        "sy_end": _fmt(sy.end),
                    },
                    item_label,
                )
            self.start, self.end = max(w_start, sy.start), min(w_end, sy.end)

    def fail(self, reason: str) -> ScheduleError:
        return ScheduleError(reason, self.item_label)

    def clip(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
        start, end = max(start, self.start), min(end, self.end)
        return (start, end) if start <= end else None

    def split(
        self,
        key: str,
        label: str,
        start: dt.date,
        end: dt.date,
        count: int,
        *,
        strict: bool,
        repeat_per_day: int = 0,
    ) -> list[_Slot]:
        """``count`` slots over ``[start, end]``: its school days cut into equal runs.

        Too few school days is an error when ``strict``, else the count shrinks to fit.
        """
        days = self.sy.school_days_between(start, end)
        if len(days) < count:
            if strict or not days:
                raise self.fail(
                    _(
                        "%(period)s (%(start)s – %(end)s) chỉ có %(days)s ngày học, "
                        "không đủ cho %(count)s lần."
                    )
                    % {
                        "period": label,
                        "start": _fmt(start),
                        "end": _fmt(end),
                        "days": len(days),
                        "count": count,
                    }
                )
            count = len(days)
        if repeat_per_day:
            return [_Slot(key, label, start, end, days[-1], repeat_per_day * len(days))]
        if count == 1:
            return [_Slot(key, label, start, end, days[-1])]
        slots = []
        window_start = start
        for i in range(count):
            last = days[(i + 1) * len(days) // count - 1]
            window_end = end if i == count - 1 else last
            slots.append(
                _Slot(
                    f"{key}/{i + 1}",
                    _("Lần %(n)s/%(total)s – %(period)s")
                    % {"n": i + 1, "total": count, "period": label},
                    window_start,
                    window_end,
                    last,
                )
            )
            window_start = last + ONE_DAY
        return slots

    def periodic(
        self,
        periods: Iterable[tuple[str, str, dt.date, dt.date]],
        *,
        strict: bool,
        count: int | None = None,
    ) -> list[_Slot]:
        count = count or self.cadence.count or 1
        repeat = count if self.cadence.per == "day" else 0
        slots: list[_Slot] = []
        for key, label, start, end in periods:
            clipped = self.clip(start, end)
            if clipped is None or not self.sy.school_days_between(*clipped):
                continue  # no school in this period (outside the window, or all holidays)
            slots += self.split(
                key, label, *clipped, 1 if repeat else count, strict=strict, repeat_per_day=repeat
            )
        return slots

    # -- the periods of a school year ---------------------------------------------------------

    def months(self) -> list[tuple[str, str, dt.date, dt.date]]:
        sy = self.sy
        first = dt.date(sy.opening.year, sy.opening.month, 1)
        periods = []
        cursor = first
        while cursor <= sy.end:
            following = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
            periods.append(
                (
                    f"{cursor.year:04d}-{cursor.month:02d}/m",
                    _("Tháng %(month)s/%(year)s") % {"month": cursor.month, "year": cursor.year},
                    sy.start if cursor == first else cursor,
                    min(following - ONE_DAY, sy.end),
                )
            )
            cursor = following
        return periods

    def quarters(self) -> list[tuple[str, str, dt.date, dt.date]]:
        sy = self.sy
        periods = []
        year, quarter = sy.start.year, (sy.start.month - 1) // 3 + 1
        while True:
            q_start = dt.date(year, 3 * quarter - 2, 1)
            if q_start > sy.end:
                return periods
            q_end = dt.date(year + quarter // 4, (3 * quarter) % 12 + 1, 1) - ONE_DAY
            periods.append(
                (
                    f"{year:04d}-Q{quarter}",
                    _("Quý %(quarter)s/%(year)s")
                    % {"quarter": ("I", "II", "III", "IV")[quarter - 1], "year": year},
                    max(q_start, sy.start),
                    min(q_end, sy.end),
                )
            )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)

    def semesters(self) -> list[tuple[str, str, dt.date, dt.date]]:
        sy = self.sy
        return [
            ("hk1", _("Học kỳ I"), sy.start, sy.semester1_end),
            ("hk2", _("Học kỳ II"), sy.semester2_start, sy.end),
        ]

    def weeks(self, suffix: str) -> list[tuple[str, str, dt.date, dt.date]]:
        periods = []
        monday = self.start - dt.timedelta(days=self.start.weekday())
        while monday <= self.end:
            iso = monday.isocalendar()
            sunday = monday + dt.timedelta(days=6)
            periods.append(
                (
                    f"{iso.year:04d}-W{iso.week:02d}{suffix}",
                    _("Tuần %(start)s – %(end)s")
                    % {"start": monday.strftime("%d/%m"), "end": _fmt(sunday)},
                    monday,
                    sunday,
                )
            )
            monday += dt.timedelta(days=7)
        return periods

    def anchor_slots(self, anchors: Sequence[str]) -> list[_Slot]:
        slots = []
        for name in anchors:
            clipped = self.clip(*anchor_window(self.sy, name))
            label = _anchor_label(name)
            if clipped is None:
                raise self.fail(
                    _("mốc “%(anchor)s” nằm ngoài khoảng thời gian của nội dung.")
                    % {"anchor": label}
                )
            slots += self.split(name, label, *clipped, 1, strict=True)
        return slots

    def whole(self, key: str, label: str) -> list[_Slot]:
        return self.split(key, label, self.start, self.end, self.cadence.count or 1, strict=True)

    def slots(self) -> list[_Slot]:
        cadence = self.cadence
        count = cadence.count or 1
        per = cadence.per
        if cadence.anchors:
            return self.anchor_slots(cadence.anchors)
        if per in ("school_year", "year"):
            if cadence.window is None and count == 2:
                return self.periodic(self.semesters(), strict=True, count=1)
            if cadence.window is None and count in _CONVENTIONAL_ANCHORS:
                return self.anchor_slots(_CONVENTIONAL_ANCHORS[count])
            return self.whole("nam_hoc", _("Năm học %(label)s") % {"label": self.sy.label})
        if per == "once" or per is None:
            label = _("Từ %(start)s đến %(end)s") % {
                "start": _fmt(self.start),
                "end": _fmt(self.end),
            }
            return self.whole("mot_lan", label)
        if per == "semester":
            periods = self.semesters()
        elif per == "quarter":
            periods = self.quarters()
        elif per == "month":
            periods = self.months()
        elif per == "week":
            periods = self.weeks("")
        else:  # day
            periods = self.weeks("/ngay")
        slots = self.periodic(periods, strict=per not in ("week", "day"))
        if not slots:
            raise self.fail(
                _("không có ngày học nào trong khoảng %(start)s – %(end)s.")
                % {"start": _fmt(self.start), "end": _fmt(self.end)}
            )
        return slots


def _standing_slots(sy: SchoolYear) -> list[_Slot]:
    """The two self-assessment check-ins of a standing duty."""
    slots = []
    for key, anchor, label in (
        ("tu_danh_gia/hk1", "cuoi_hk1", _("Tự đánh giá cuối học kỳ I")),
        ("tu_danh_gia/hk2", "cuoi_nam_hoc", _("Tự đánh giá cuối năm học")),
    ):
        start, end = anchor_window(sy, anchor)
        days = sy.school_days_between(start, end)
        if not days:  # only a heavily overridden year; fall back to the semester itself
            start = sy.start if anchor == "cuoi_hk1" else sy.semester2_start
            days = sy.school_days_between(start, end)
        if days:
            slots.append(_Slot(key, label, start, end, days[-1]))
    return slots


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def expand(
    cadence: Mapping[str, Any] | Cadence | None,
    school_year: SchoolYear | str,
    *,
    subjects: Sequence[Subject] = (),
    item_label: str | None = None,
) -> list[Occurrence]:
    """Every dated occurrence of one item in ``school_year``, sorted.

    ``subjects`` are the classes (with their students as ``members``), staff or units the item is
    done for when its cadence has ``per_subject``; they are ignored otherwise. Raises
    ``ScheduleError`` (naming ``item_label``) when the cadence is invalid, cannot fit, lies outside
    the school year, or needs subjects that were not given. ``school_year`` may be a label
    ("2025-2026"), resolved to its default; a bad label is then a ``ScheduleError`` too.
    """
    if not isinstance(school_year, SchoolYear):
        try:
            school_year = get_school_year(school_year)
        except CalendarError as error:
            raise ScheduleError(str(error), item_label) from None
    parsed = parse_cadence(cadence, item_label=item_label)
    if parsed is None or not parsed.schedulable:
        return [
            Occurrence(
                s.key, s.label, s.window_start, s.window_end, s.due_on, kind="self_assessment"
            )
            for s in _standing_slots(school_year)
        ]
    slots = _Planner(parsed, school_year, item_label).slots()
    at_least = parsed.at_least
    kind = parsed.per_subject
    if kind is None:
        occurrences = [
            Occurrence(
                s.key,
                s.label,
                s.window_start,
                s.window_end,
                s.due_on,
                repeat=s.repeat,
                at_least=at_least,
            )
            for s in slots
        ]
    else:
        _check_subjects(kind, subjects, item_label)
        if kind == "hoc_sinh":
            pairs = [(subject, subject.members) for subject in subjects if subject.members]
        else:
            pairs = [(subject, ()) for subject in subjects]
        occurrences = [
            Occurrence(
                s.key,
                s.label,
                s.window_start,
                s.window_end,
                s.due_on,
                subject,
                obligations,
                repeat=s.repeat,
                at_least=at_least,
            )
            for s in slots
            for subject, obligations in pairs
        ]
    occurrences.sort(key=Occurrence.sort_key)
    return occurrences


def _check_subjects(kind: str, subjects: Sequence[Subject], item_label: str | None) -> None:
    if not subjects:
        reason = {
            "hoc_sinh": _(
                "nội dung làm cho từng học sinh nhưng chưa có danh sách lớp và học sinh; "
                "hãy nhập danh sách rồi lập lịch lại."
            ),
            "lop": _(
                "nội dung làm cho từng lớp nhưng chưa có danh sách lớp; hãy nhập danh sách lớp rồi lập lịch lại."
            ),
            "can_bo": _(
                "nội dung làm cho từng cán bộ nhưng chưa có danh sách cán bộ; "
                "hãy nhập danh sách rồi lập lịch lại."
            ),
            "don_vi": _(
                "nội dung làm cho từng đơn vị nhưng chưa có danh sách đơn vị; "
                "hãy nhập danh sách rồi lập lịch lại."
            ),
        }[kind]
        raise ScheduleError(reason, item_label)
    seen: set[str] = set()
    for subject in subjects:
        if subject.id in seen:
            raise ScheduleError(
                _("“%(name)s” (mã %(id)s) có mặt hai lần trong danh sách.")
                % {"name": subject.name, "id": subject.id},
                item_label,
            )
        seen.add(subject.id)


def describe(cadence: Mapping[str, Any] | Cadence | None) -> str:
    """The cadence in Vietnamese words for the plan editor, e.g. "Ít nhất 1 lần mỗi tháng cho
    mỗi học sinh"; it also says where the engine will place it when the plan did not.

    Never raises: an invalid cadence is described as such, so that a page can still show it.
    """
    try:
        parsed = parse_cadence(cadence)
    except ScheduleError as error:
        return _("Chu kỳ không hợp lệ: %(reason)s") % {"reason": error.reason}
    if parsed is None or not parsed.schedulable:
        return _("Thường xuyên; tự đánh giá vào cuối mỗi học kỳ")
    count = parsed.count or 1
    per_words = {
        "day": _("mỗi ngày học"),
        "week": _("mỗi tuần"),
        "month": _("mỗi tháng"),
        "quarter": _("mỗi quý"),
        "semester": _("mỗi học kỳ"),
        "school_year": _("mỗi năm học"),
        "year": _("mỗi năm"),
    }
    if parsed.per in per_words:
        text = _("%(count)s lần %(per)s") % {"count": count, "per": per_words[parsed.per]}
    else:
        text = _("%(count)s lần") % {"count": count}
    if parsed.at_least:
        text = _("ít nhất %(what)s") % {"what": text}
    subject_words = {
        "hoc_sinh": _("cho mỗi học sinh"),
        "lop": _("cho mỗi lớp"),
        "can_bo": _("cho mỗi cán bộ"),
        "don_vi": _("cho mỗi đơn vị"),
    }
    if parsed.per_subject:
        text = f"{text} {subject_words[parsed.per_subject]}"
    anchors = parsed.anchors
    if not anchors and parsed.window is None and parsed.per in ("school_year", "year"):
        if count == 2:
            text = _("%(text)s (mỗi học kỳ một lần)") % {"text": text}
        anchors = _CONVENTIONAL_ANCHORS.get(count, ())
    if anchors:
        text = _("%(text)s: %(anchors)s") % {
            "text": text,
            "anchors": ", ".join(_lower_first(_anchor_label(a)) for a in anchors),
        }
    if parsed.window:
        start, end = parsed.window
        if (
            (start.year, start.month) == (end.year, end.month)
            and start.day == 1
            and (end + ONE_DAY).day == 1
        ):
            text = _("%(text)s, trong tháng %(month)s/%(year)s") % {
                "text": text,
                "month": start.month,
                "year": start.year,
            }
            return text[:1].upper() + text[1:]
        text = _("%(text)s, từ %(start)s đến %(end)s") % {
            "text": text,
            "start": _month_or_day(start, is_end=False),
            "end": _month_or_day(end, is_end=True),
        }
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _month_or_day(day: dt.date, *, is_end: bool) -> str:
    whole_month = (day + ONE_DAY).day == 1 if is_end else day.day == 1
    if whole_month:
        return _("tháng %(month)s/%(year)s") % {"month": day.month, "year": day.year}
    return _fmt(day)


# -- saying a stored occurrence label again in another language ------------------------------------

# The message ids an occurrence's label is made of (see ``_Planner``); a label stored in the
# language of the day it was scheduled ("Học kỳ I · …") is read back through them.
_LABEL_MESSAGES = (
    gettext_noop("Lần %(n)s/%(total)s – %(period)s"),
    gettext_noop("Tháng %(month)s/%(year)s"),
    gettext_noop("Quý %(quarter)s/%(year)s"),
    gettext_noop("Tuần %(start)s – %(end)s"),
    gettext_noop("Năm học %(label)s"),
    gettext_noop("Từ %(start)s đến %(end)s"),
    gettext_noop("Học kỳ I"),
    gettext_noop("Học kỳ II"),
    gettext_noop("Đầu năm học"),
    gettext_noop("Giữa học kỳ I"),
    gettext_noop("Cuối học kỳ I"),
    gettext_noop("Đầu học kỳ II"),
    gettext_noop("Giữa học kỳ II"),
    gettext_noop("Cuối năm học"),
    gettext_noop("Tự đánh giá cuối học kỳ I"),
    gettext_noop("Tự đánh giá cuối năm học"),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _label_pattern(message: str) -> re.Pattern:
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(message):
        parts.append(re.escape(message[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        last = match.end()
    parts.append(re.escape(message[last:]))
    return re.compile("^" + "".join(parts) + "$")


_LABEL_PATTERNS = tuple((message, _label_pattern(message)) for message in _LABEL_MESSAGES)


def translate_label(label: str) -> str:
    """An occurrence label written in Vietnamese ("Lần 2/3 – Học kỳ I", "Tháng 10/2025") said
    in the active language; a label of another shape comes back unchanged."""
    for message, pattern in _LABEL_PATTERNS:
        match = pattern.match(label)
        if match:
            values = {
                key: translate_label(value) if key == "period" else value
                for key, value in match.groupdict().items()
            }
            return _(message) % values if values else _(message)
    return label


def translate_title(title: str) -> str:
    """An activity title "<label> · <item text>" with its label in the active language."""
    if current_language() == "vi":
        return title  # the labels are written in Vietnamese: nothing to do on most pages
    label, separator, rest = title.partition(" · ")
    return f"{translate_label(label)}{separator}{rest}" if separator else title
