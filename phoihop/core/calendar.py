"""The school calendar: the Vietnamese lunar calendar, public holidays and school years.

Everything the scheduler needs to know about dates lives here, so that the cadence engine
(``phoihop.core.cadence``) only asks one question: "is this a school day?".

The lunar calendar is the Vietnamese one, computed for UTC+7 (it differs from the Chinese
calendar in some years, e.g. Tết 1985 and 2007). ``vnlunar`` does the astronomy; it is used only
through the four functions below, so that it can be replaced by our own implementation of the same
published algorithm (Hồ Ngọc Đức's) without touching the rest of the code.

School years default to the Ministry's yearly frame (Quyết định ban hành khung kế hoạch thời gian
năm học of Bộ GD&ĐT), kept as data in ``data/school_years.json`` with the source of each entry;
provinces and units adjust them through :func:`apply_overrides` (stored by the Django layer).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import vnlunar

from phoihop.core.i18n import _, current_language

__all__ = [
    "CalendarError",
    "DayOff",
    "LunarDate",
    "SchoolYear",
    "apply_overrides",
    "derive_school_year",
    "education_days",
    "format_school_year",
    "get_school_year",
    "known_school_year_labels",
    "lunar_to_solar",
    "lunar_year_name",
    "national_holidays",
    "parse_school_year_label",
    "school_year_as_dict",
    "school_year_label_for",
    "solar_to_lunar",
    "tet",
    "tet_break",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "school_years.json"

# The lunar tables of vnlunar cover 1800-2199 exactly; outside them it would fall back to
# astronomy, which we have not checked. A school year needs the Tết of its second year.
MIN_YEAR = 1800
MAX_YEAR = 2199
MIN_SCHOOL_YEAR = 1900
MAX_SCHOOL_YEAR = MAX_YEAR - 1

ONE_DAY = dt.timedelta(days=1)


class CalendarError(ValueError):
    """A date, year or school year that the calendar cannot give; the message is for users."""


# --------------------------------------------------------------------------------------------
# Lunar calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class LunarDate:
    """A date of the Vietnamese lunar calendar; ``leap`` marks a leap (nhuận) month."""

    year: int
    month: int
    day: int
    leap: bool = False


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(
            _("Năm %(year)s nằm ngoài phạm vi lịch âm được hỗ trợ (%(min)s–%(max)s).")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )


def solar_to_lunar(day: dt.date) -> LunarDate:
    """The Vietnamese (UTC+7) lunar date of a solar date."""
    _check_year(day.year)
    lunar = vnlunar.get_lunar_date(day.day, day.month, day.year)
    return LunarDate(lunar["year"], lunar["month"], lunar["day"], bool(lunar["leap"]))


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar date of a Vietnamese lunar date; raises ``CalendarError`` if it does not exist
    (a 30th in a 29-day month, a leap month the year does not have)."""
    _check_year(year)
    solar = vnlunar.convert_lunar_to_solar(day, month, year, 1 if leap else 0)
    if solar is None:
        raise CalendarError(
            _("Ngày %(day)s tháng %(month)s%(leap)s năm %(year)s âm lịch không tồn tại.")
            % {"day": day, "month": month, "year": year, "leap": _(" nhuận") if leap else ""}
        )
    d, m, y = solar
    return dt.date(y, m, d)


@cache
def tet(year: int) -> dt.date:
    """Mùng 1 Tết Nguyên đán of the lunar year that starts in solar ``year``."""
    return lunar_to_solar(year, 1, 1)


def lunar_year_name(year: int) -> str:
    """The can-chi name of the lunar year starting in solar ``year`` (2025 → "Ất Tỵ")."""
    _check_year(year)
    # NFC: the names are compared with and printed next to NFC text everywhere else.
    return unicodedata.normalize("NFC", vnlunar.get_year_can_chi(year))


# --------------------------------------------------------------------------------------------
# Holidays and named days
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class DayOff:
    """A named day: a day off when it is in ``SchoolYear.days_off``, else a day to mark.

    ``code`` is stable (for storage and tests); ``name`` is for people.
    """

    day: dt.date
    name: str = field(compare=False)
    code: str = field(default="", compare=False)


def tet_break(year: int) -> tuple[dt.date, dt.date]:
    """The usual Tết break around the Tết of solar ``year``: from 28 tháng Chạp to mùng 5,
    stretched to the adjoining weekends.

    This pattern reproduces every Government Tết holiday for civil servants from 2016 to 2026
    (see ``data/school_years.json``); provinces often give pupils a longer break, which they enter
    as an override.
    """
    day = tet(year)
    start, end = day - 2 * ONE_DAY, day + 4 * ONE_DAY
    while (start - ONE_DAY).weekday() >= 5:
        start -= ONE_DAY
    while (end + ONE_DAY).weekday() >= 5:
        end += ONE_DAY
    return start, end


def _fixed_holidays(year: int) -> list[DayOff]:
    """Public holidays other than Tết, by the Labour Code in force that year."""
    days = [DayOff(dt.date(year, 1, 1), _("Tết Dương lịch"), "tet_duong_lich")]
    # Giỗ Tổ Hùng Vương (10/3 âm lịch) is a day off since 2007 (Bộ luật Lao động 1994 sửa đổi 2007).
    if year >= 2007:
        days.append(
            DayOff(lunar_to_solar(year, 3, 10), _("Giỗ Tổ Hùng Vương (10/3 âm lịch)"), "gio_to")
        )
    days.append(DayOff(dt.date(year, 4, 30), _("Ngày Chiến thắng (30/4)"), "chien_thang"))
    days.append(DayOff(dt.date(year, 5, 1), _("Ngày Quốc tế Lao động (1/5)"), "quoc_te_lao_dong"))
    national_day = dt.date(year, 9, 2)
    days.append(DayOff(national_day, _("Quốc khánh (2/9)"), "quoc_khanh"))
    # Bộ luật Lao động 2019, Điều 112 khoản 1 điểm đ (in force from 2021): 2/9 and one adjacent
    # day, chosen each year by the Prime Minister. The known choices (2021-2025) make the longest
    # run with the weekend; a Wednesday goes back to 1/9 (an assumption until it is announced).
    if year >= 2021:
        before = national_day.weekday() in (1, 2, 4, 5)  # Tue, Wed, Fri, Sat
        adjacent = national_day - ONE_DAY if before else national_day + ONE_DAY
        days.append(DayOff(adjacent, _("Nghỉ Quốc khánh (ngày liền kề 2/9)"), "quoc_khanh_2"))
    return days


def national_holidays(year: int) -> tuple[DayOff, ...]:
    """The days off of solar ``year`` for public schools: public holidays, Tết break, and the
    compensating day for a holiday that falls on a Saturday or Sunday.

    Rules: Bộ luật Lao động 2019, Điều 112 (holidays) and Điều 111 khoản 3 (compensating days);
    Bộ luật Lao động 2012, Điều 115 before 2021. One-off swaps decided by the Government each year
    are data (``extra_days_off`` in ``data/school_years.json``), not rules.
    """
    _check_year(year)
    tet_start, tet_end = tet_break(year)
    tet_name = _("Nghỉ Tết Nguyên đán %(name)s") % {"name": lunar_year_name(year)}
    days: list[DayOff] = []
    cursor = tet_start
    while cursor <= tet_end:
        days.append(DayOff(cursor, tet_name, "tet_nguyen_dan"))
        cursor += ONE_DAY
    fixed = sorted(_fixed_holidays(year))
    taken = {d.day for d in days} | {d.day for d in fixed}
    for holiday in fixed:
        if tet_start <= holiday.day <= tet_end:
            continue
        days.append(holiday)
        if holiday.day.weekday() >= 5:
            # Bộ luật Lao động 2019, Điều 111 khoản 3: a holiday on the weekly rest day is
            # compensated on the next working day.
            comp = holiday.day + ONE_DAY
            while comp.weekday() >= 5 or comp in taken:
                comp += ONE_DAY
            taken.add(comp)
            days.append(
                DayOff(
                    comp, _("Nghỉ bù %(name)s") % {"name": holiday.name}, "nghi_bu_" + holiday.code
                )
            )
    return tuple(sorted(days))


_EDUCATION_DAYS: tuple[tuple[int, int, str], ...] = (
    # (month, day, code); names are in _education_day_name so that gettext sees literals.
    (10, 20, "phu_nu_viet_nam"),
    (11, 9, "phap_luat"),
    (11, 20, "nha_giao"),
    (12, 22, "quan_doi"),
    (1, 9, "hoc_sinh_sinh_vien"),
    (2, 3, "thanh_lap_dang"),
    (3, 8, "quoc_te_phu_nu"),
    (3, 26, "thanh_lap_doan"),
    (4, 21, "sach_van_hoa_doc"),
    (5, 15, "thanh_lap_doi"),
    (5, 19, "sinh_nhat_bac"),
    (6, 1, "quoc_te_thieu_nhi"),
)


def _education_day_name(code: str) -> str:
    return {
        "khai_giang": _("Khai giảng năm học mới"),
        "trung_thu": _("Tết Trung thu (15/8 âm lịch)"),
        "phu_nu_viet_nam": _("Ngày Phụ nữ Việt Nam"),
        "phap_luat": _("Ngày Pháp luật Việt Nam"),
        "nha_giao": _("Ngày Nhà giáo Việt Nam"),
        "quan_doi": _("Ngày thành lập Quân đội nhân dân Việt Nam"),
        "hoc_sinh_sinh_vien": _("Ngày truyền thống học sinh, sinh viên Việt Nam"),
        "thanh_lap_dang": _("Ngày thành lập Đảng Cộng sản Việt Nam"),
        "quoc_te_phu_nu": _("Ngày Quốc tế Phụ nữ"),
        "thanh_lap_doan": _("Ngày thành lập Đoàn TNCS Hồ Chí Minh"),
        "sach_van_hoa_doc": _("Ngày Sách và Văn hóa đọc Việt Nam"),
        "thanh_lap_doi": _("Ngày thành lập Đội TNTP Hồ Chí Minh"),
        "sinh_nhat_bac": _("Ngày sinh Chủ tịch Hồ Chí Minh"),
        "quoc_te_thieu_nhi": _("Ngày Quốc tế Thiếu nhi"),
    }[code]


def education_days(sy: SchoolYear) -> tuple[DayOff, ...]:
    """Days that schools mark during ``sy`` (not days off): the opening, Ngày Nhà giáo Việt Nam
    20/11, Tết Trung thu, the founding days of the Đoàn and the Đội, …"""
    days = [DayOff(sy.opening, _education_day_name("khai_giang"), "khai_giang")]
    mid_autumn = lunar_to_solar(sy.first_year, 8, 15)
    days.append(DayOff(mid_autumn, _education_day_name("trung_thu"), "trung_thu"))
    for month, day, code in _EDUCATION_DAYS:
        year = sy.first_year if month >= 8 else sy.first_year + 1
        days.append(DayOff(dt.date(year, month, day), _education_day_name(code), code))
    return tuple(sorted(d for d in days if sy.start <= d.day <= sy.end))


# --------------------------------------------------------------------------------------------
# School years
# --------------------------------------------------------------------------------------------

_LABEL_RE = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")


def parse_school_year_label(label: str) -> tuple[int, int]:
    """``"2025-2026"`` (also with spaces, an en dash or a slash) → ``(2025, 2026)``."""
    match = _LABEL_RE.match(label) if isinstance(label, str) else None
    if match is None:
        raise CalendarError(
            _("Năm học “%(label)s” không hợp lệ: hãy ghi theo dạng 2025-2026.") % {"label": label}
        )
    first, second = int(match[1]), int(match[2])
    if second != first + 1:
        raise CalendarError(
            _("Năm học “%(label)s” không hợp lệ: năm sau phải liền năm trước, ví dụ 2025-2026.")
            % {"label": label}
        )
    if not MIN_SCHOOL_YEAR <= first <= MAX_SCHOOL_YEAR:
        raise CalendarError(
            _("Năm học %(label)s nằm ngoài phạm vi hỗ trợ (%(min)s-%(min1)s đến %(max)s-%(max1)s).")
            % {
                "label": label.strip(),
                "min": MIN_SCHOOL_YEAR,
                "min1": MIN_SCHOOL_YEAR + 1,
                "max": MAX_SCHOOL_YEAR,
                "max1": MAX_SCHOOL_YEAR + 1,
            }
        )
    return first, second


def school_year_label_for(day: dt.date) -> str:
    """The label of the school year a date belongs to, by the usual cut on 1 August."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


@dataclass(frozen=True)
class SchoolYear:
    """One school year's dates, as the Ministry's frame sets them or as a unit adjusted them.

    ``start`` is tựu trường (pupils report), ``opening`` khai giảng; semester 1 runs from ``start``
    to ``semester1_end``, semester 2 from ``semester2_start`` to ``end``. ``days_off`` holds every
    named day off inside the year except the Tết break, which is its own range. ``derived`` is true
    when the dates come from the usual pattern rather than a published frame.
    Constructing one validates it, so every ``SchoolYear`` in the program is consistent.
    """

    label: str
    start: dt.date
    opening: dt.date
    semester1_end: dt.date
    semester2_start: dt.date
    end: dt.date
    tet_break_start: dt.date
    tet_break_end: dt.date
    days_off: tuple[DayOff, ...] = ()
    derived: bool = False
    source: str = ""

    def __post_init__(self) -> None:
        first, _second = parse_school_year_label(self.label)
        object.__setattr__(self, "label", f"{first}-{first + 1}")
        object.__setattr__(self, "days_off", tuple(sorted(self.days_off)))
        self._validate(first)

    def _validate(self, first: int) -> None:
        def fail(message: str) -> None:
            raise CalendarError(
                _("Năm học %(label)s không hợp lệ: %(reason)s")
                % {"label": self.label, "reason": message}
            )

        names = {
            "start": _("ngày tựu trường"),
            "opening": _("ngày khai giảng"),
            "semester1_end": _("ngày kết thúc học kỳ I"),
            "semester2_start": _("ngày bắt đầu học kỳ II"),
            "end": _("ngày kết thúc năm học"),
            "tet_break_start": _("ngày bắt đầu nghỉ Tết"),
            "tet_break_end": _("ngày kết thúc nghỉ Tết"),
        }
        for attr in names:
            if not isinstance(getattr(self, attr), dt.date):
                fail(_("thiếu %(what)s.") % {"what": names[attr]})
        order = ("start", "opening", "semester1_end", "semester2_start", "end")
        for earlier, later in zip(order, order[1:], strict=False):
            a, b = getattr(self, earlier), getattr(self, later)
            if a > b or (earlier == "semester1_end" and a == b):
                fail(
                    _("%(a)s (%(a_date)s) phải trước %(b)s (%(b_date)s).")
                    % {
                        "a": names[earlier],
                        "a_date": _fmt(a),
                        "b": names[later],
                        "b_date": _fmt(b),
                    }
                )
        if self.start.year != first or self.end.year != first + 1:
            fail(
                _("năm học phải bắt đầu trong năm %(first)s và kết thúc trong năm %(second)s.")
                % {"first": first, "second": first + 1}
            )
        if not self.start <= self.tet_break_start <= self.tet_break_end <= self.end:
            fail(
                _("kỳ nghỉ Tết (%(start)s – %(end)s) phải nằm trong năm học.")
                % {"start": _fmt(self.tet_break_start), "end": _fmt(self.tet_break_end)}
            )
        seen: set[dt.date] = set()
        for day_off in self.days_off:
            if not self.start <= day_off.day <= self.end:
                fail(
                    _("ngày nghỉ %(date)s (%(name)s) nằm ngoài năm học.")
                    % {"date": _fmt(day_off.day), "name": day_off.name}
                )
            if day_off.day in seen:
                fail(_("ngày nghỉ %(date)s bị ghi hai lần.") % {"date": _fmt(day_off.day)})
            seen.add(day_off.day)

    # -- derived views (cached: a SchoolYear is immutable) ------------------------------------

    @property
    def first_year(self) -> int:
        return self.start.year

    @cached_property
    def tet(self) -> dt.date:
        """Tết Nguyên đán inside this school year."""
        return tet(self.first_year + 1)

    @cached_property
    def _off_dates(self) -> frozenset[dt.date]:
        return frozenset(d.day for d in self.days_off)

    def is_school_day(self, day: dt.date) -> bool:
        """A weekday inside the school year that is neither a day off nor in the Tết break."""
        return (
            self.start <= day <= self.end
            and day.weekday() < 5
            and not self.tet_break_start <= day <= self.tet_break_end
            and day not in self._off_dates
        )

    @cached_property
    def school_days(self) -> tuple[dt.date, ...]:
        """Every school day, in order."""
        days = []
        cursor = self.start
        while cursor <= self.end:
            if self.is_school_day(cursor):
                days.append(cursor)
            cursor += ONE_DAY
        return tuple(days)

    def school_days_between(self, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
        """The school days in ``[first, last]``, in order."""
        days = self.school_days
        return days[bisect.bisect_left(days, first) : bisect.bisect_right(days, last)]


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _parse_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CalendarError(
            _("%(what)s “%(value)s” không phải là ngày hợp lệ (YYYY-MM-DD).")
            % {"what": what, "value": value}
        ) from None


def _days_off_between(start: dt.date, end: dt.date, tet_start: dt.date, tet_end: dt.date):
    days: dict[dt.date, DayOff] = {}
    for year in range(start.year, end.year + 1):
        for day_off in national_holidays(year):
            if start <= day_off.day <= end and not tet_start <= day_off.day <= tet_end:
                days.setdefault(day_off.day, day_off)
    return days


def _build(
    label: str,
    start: dt.date,
    opening: dt.date,
    semester1_end: dt.date,
    semester2_start: dt.date,
    end: dt.date,
    tet_range: tuple[dt.date, dt.date],
    extra_days_off: Iterable[DayOff],
    derived: bool,
    source: str,
) -> SchoolYear:
    days = _days_off_between(start, end, *tet_range)
    for extra in extra_days_off:
        days[extra.day] = extra
    return SchoolYear(
        label=label,
        start=start,
        opening=opening,
        semester1_end=semester1_end,
        semester2_start=semester2_start,
        end=end,
        tet_break_start=tet_range[0],
        tet_break_end=tet_range[1],
        days_off=tuple(days.values()),
        derived=derived,
        source=source,
    )


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


def derive_school_year(first_year: int) -> SchoolYear:
    """The usual pattern of the Ministry's frames, for a year with no published data.

    Pattern (frames of 2021-2022 to 2025-2026): tựu trường one week before khai giảng on 5/9;
    semester 1 ends before 18/1; semester 2 starts the next Monday; the year ends by 31/5.
    """
    # Cached per language: the names of the days off are translated when the year is built.
    return _derive_school_year(first_year, current_language())


@cache
def _derive_school_year(first_year: int, language: str) -> SchoolYear:
    label = f"{first_year}-{first_year + 1}"
    parse_school_year_label(label)
    opening = dt.date(first_year, 9, 5)
    semester1_end = dt.date(first_year + 1, 1, 17)
    return _build(
        label,
        start=opening - 7 * ONE_DAY,
        opening=opening,
        semester1_end=semester1_end,
        semester2_start=_next_monday(semester1_end),
        end=dt.date(first_year + 1, 5, 31),
        tet_range=tet_break(first_year + 1),
        extra_days_off=(),
        derived=True,
        source=_(
            "Suy ra theo mẫu thường lệ của khung kế hoạch thời gian năm học (Bộ GD&ĐT): "
            "khai giảng 05/9, kết thúc học kỳ I trước 18/01, kết thúc năm học trước 01/6; "
            "nghỉ Tết từ 28 tháng Chạp đến mùng 5 Tết và các ngày cuối tuần liền kề. "
            "Hãy đối chiếu với quyết định của Bộ và của tỉnh."
        ),
    )


def _data() -> dict[str, SchoolYear]:
    return _load_data(current_language())


@cache
def _load_data(language: str) -> dict[str, SchoolYear]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    years: dict[str, SchoolYear] = {}
    for entry in raw["years"]:
        label = entry["label"]
        extra = [
            DayOff(_parse_date(e["date"], label), e["name"], e.get("code", "nghi_theo_thong_bao"))
            for e in entry.get("extra_days_off", [])
        ]
        tet_start, tet_end = (_parse_date(v, label) for v in entry["tet_break"])
        years[label] = _build(
            label,
            start=_parse_date(entry["start"], label),
            opening=_parse_date(entry["opening"], label),
            semester1_end=_parse_date(entry["semester1_end"], label),
            semester2_start=_parse_date(entry["semester2_start"], label),
            end=_parse_date(entry["end"], label),
            tet_range=(tet_start, tet_end),
            extra_days_off=extra,
            derived=False,
            source=entry["source"],
        )
    return years


def known_school_year_labels() -> tuple[str, ...]:
    """The school years that have published (non-derived) defaults."""
    return tuple(sorted(_data()))


def get_school_year(label: str) -> SchoolYear:
    """The default school year for a label: the data when we have it, else the derived pattern.

    Raises ``CalendarError`` with a message for users on a malformed or unsupported label.
    """
    first, _second = parse_school_year_label(label)
    canonical = f"{first}-{first + 1}"
    return _data().get(canonical) or derive_school_year(first)


_OVERRIDE_DATES = (
    "start",
    "opening",
    "semester1_end",
    "semester2_start",
    "end",
    "tet_break_start",
    "tet_break_end",
)
_OVERRIDE_KEYS = (*_OVERRIDE_DATES, "days_off_add", "days_off_remove", "source")


def apply_overrides(base: SchoolYear, overrides: Mapping[str, Any]) -> SchoolYear:
    """A province's or unit's version of ``base``: validated, ``base`` left untouched.

    ``overrides`` holds any of the date fields (ISO strings or dates), ``days_off_add`` (a list of
    ``{"date": "2025-11-20", "name": "…"}``), ``days_off_remove`` (a list of dates) and ``source``
    (the decision that made the change, appended to the base's source).
    """
    unknown = sorted(set(overrides) - set(_OVERRIDE_KEYS))
    if unknown:
        raise CalendarError(
            _("Không hiểu mục điều chỉnh năm học: %(keys)s. Các mục được phép: %(allowed)s.")
            % {"keys": ", ".join(unknown), "allowed": ", ".join(_OVERRIDE_KEYS)}
        )
    changes: dict[str, Any] = {}
    for key in _OVERRIDE_DATES:
        if overrides.get(key) is not None:
            changes[key] = _parse_date(overrides[key], key)
    days = {d.day: d for d in base.days_off}
    for value in overrides.get("days_off_remove") or ():
        day = _parse_date(value, "days_off_remove")
        if day not in days:
            raise CalendarError(
                _("Ngày %(date)s không phải là ngày nghỉ của năm học %(label)s.")
                % {"date": _fmt(day), "label": base.label}
            )
        del days[day]
    for entry in overrides.get("days_off_add") or ():
        if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip():
            raise CalendarError(
                _(
                    'Mỗi ngày nghỉ thêm cần có ngày và tên, ví dụ {"date": "2025-11-20", '
                    '"name": "Nghỉ theo quyết định của UBND tỉnh"}.'
                )
            )
        day = _parse_date(entry.get("date"), "days_off_add")
        days[day] = DayOff(day, str(entry["name"]).strip(), str(entry.get("code") or "dia_phuong"))
    changes["days_off"] = tuple(days.values())
    note = str(overrides.get("source") or "").strip() or _("điều chỉnh của địa phương/đơn vị")
    changes["source"] = (
        _("%(base)s; điều chỉnh: %(note)s") % {"base": base.source, "note": note}
        if base.source
        else note
    )
    return replace(base, **changes)


# --------------------------------------------------------------------------------------------
# Output for the CLI and the web pages
# --------------------------------------------------------------------------------------------


def weekday_name(day: dt.date) -> str:
    """ "Thứ Hai" … "Chủ nhật", in the current language."""
    return (
        _("Thứ Hai"),
        _("Thứ Ba"),
        _("Thứ Tư"),
        _("Thứ Năm"),
        _("Thứ Sáu"),
        _("Thứ Bảy"),
        _("Chủ nhật"),
    )[day.weekday()]


def school_year_as_dict(sy: SchoolYear) -> dict[str, Any]:
    """A JSON-ready view of a school year (ISO dates), for ``phoihop calendar --json``."""
    tet_day = sy.tet
    return {
        "label": sy.label,
        "start": sy.start.isoformat(),
        "opening": sy.opening.isoformat(),
        "semester1": {"start": sy.start.isoformat(), "end": sy.semester1_end.isoformat()},
        "semester2": {"start": sy.semester2_start.isoformat(), "end": sy.end.isoformat()},
        "end": sy.end.isoformat(),
        "tet": {
            "date": tet_day.isoformat(),
            "lunar_year": lunar_year_name(tet_day.year),
            "break_start": sy.tet_break_start.isoformat(),
            "break_end": sy.tet_break_end.isoformat(),
        },
        "days_off": [
            {"date": d.day.isoformat(), "name": d.name, "code": d.code} for d in sy.days_off
        ],
        "education_days": [
            {"date": d.day.isoformat(), "name": d.name, "code": d.code} for d in education_days(sy)
        ],
        "school_days": len(sy.school_days),
        "derived": sy.derived,
        "source": sy.source,
    }


def format_school_year(sy: SchoolYear) -> str:
    """The school year as Vietnamese text, for ``phoihop calendar``."""

    def line(day: dt.date) -> str:
        return f"{_fmt(day)} ({weekday_name(day)})"

    out = [
        _("Năm học %(label)s") % {"label": sy.label}
        + (_(" (suy ra theo mẫu thường lệ)") if sy.derived else ""),
        _("Tựu trường: %(date)s") % {"date": line(sy.start)},
        _("Khai giảng: %(date)s") % {"date": line(sy.opening)},
        _("Học kỳ I: %(start)s – %(end)s")
        % {"start": line(sy.start), "end": line(sy.semester1_end)},
        _("Học kỳ II: %(start)s – %(end)s")
        % {"start": line(sy.semester2_start), "end": line(sy.end)},
        _("Kết thúc năm học: %(date)s") % {"date": line(sy.end)},
        _("Tết Nguyên đán %(name)s: %(date)s; nghỉ Tết từ %(start)s đến %(end)s")
        % {
            "name": lunar_year_name(sy.tet.year),
            "date": line(sy.tet),
            "start": line(sy.tet_break_start),
            "end": line(sy.tet_break_end),
        },
        _("Ngày nghỉ:"),
    ]
    out += [f"  {line(d.day)}  {d.name}" for d in sy.days_off] or ["  " + _("(không có)")]
    out.append(_("Ngày kỷ niệm:"))
    out += [f"  {line(d.day)}  {d.name}" for d in education_days(sy)]
    out.append(_("Số ngày học: %(count)s") % {"count": len(sy.school_days)})
    out.append(_("Nguồn: %(source)s") % {"source": sy.source})
    return "\n".join(out)
