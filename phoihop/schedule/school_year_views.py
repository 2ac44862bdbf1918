"""A unit's school-year frame: the Ministry's default, a province's or the school's own changes."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.calendar import (
    CalendarError,
    lunar_year_name,
    parse_school_year_label,
    school_year_label_for,
)
from phoihop.schedule.services import (
    DATE_FIELDS,
    SchedulingError,
    day_off_names,
    effective_school_year,
    save_unit_school_year,
)
from phoihop.units.scoping import scope_for


def _label(request) -> str:
    label = request.GET.get("year") or request.POST.get("year") or ""
    try:
        first, second = parse_school_year_label(label)
    except CalendarError:
        return school_year_label_for(timezone.localdate())
    return f"{first}-{second}"


def school_year_page(request, unit_pk: int):
    """Staff of a unit see the frame that applies; its managers may change it for their unit
    (an office's change applies to every school below that has none of its own)."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.is_staff_of(unit):
        raise PermissionDenied
    label = _label(request)
    can_edit = scope.can_manage(unit)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        return _save(request, unit, label)
    year = effective_school_year(unit, label)
    first = int(label[:4])
    context = {
        "unit": unit,
        "year": year,
        "label": label,
        "labels": [f"{y}-{y + 1}" for y in range(first - 1, first + 2)],
        "origin": year.unit,
        "can_edit": can_edit,
        "days_off": [
            {"date": day, "name": name}
            for day, name in day_off_names(year, year.days_off.order_by("date")).items()
        ],
        "tet_name": lunar_year_name(first + 1),
        "fields": [
            (f, year._meta.get_field(f).verbose_name, getattr(year, f)) for f in DATE_FIELDS
        ],
    }
    return render(request, "schedule/school_year.html", context)


def _date(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return "bad"


def _save(request, unit, label):
    dates = {f: _date(request.POST.get(f, "")) for f in DATE_FIELDS}
    add_date = _date(request.POST.get("add_date", ""))
    remove = _date(request.POST.get("remove_date", ""))
    if "bad" in (*dates.values(), add_date, remove):
        messages.error(request, _("Có ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm."))
        return redirect(f"{request.path}?year={label}")
    add_name = request.POST.get("add_name", "").strip()
    if add_date and not add_name:
        messages.error(
            request, _("Hãy ghi tên ngày nghỉ thêm (ví dụ: nghỉ theo quyết định của UBND tỉnh).")
        )
        return redirect(f"{request.path}?year={label}")
    try:
        save_unit_school_year(
            unit, label, dates,
            add_day=(add_date, add_name) if add_date else None,
            remove_day=remove,
            note=request.POST.get("note", "").strip(),
        )  # fmt: skip
    except SchedulingError as exc:
        messages.error(request, _("Không lưu: %(error)s") % {"error": exc})
    else:
        messages.success(
            request, _("Đã lưu khung năm học %(label)s của đơn vị.") % {"label": label}
        )
    return redirect(f"{request.path}?year={label}")
