"""The leadership's dashboard: charts with their numbers, and each chart's .xlsx export.

Leaders and clerks of the unit (or of an office above it) only; anyone who cannot see the unit
gets 404, staff who see it without managing it get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from phoihop.core.calendar import CalendarError, parse_school_year_label, school_year_label_for
from phoihop.schedule.services import effective_school_year
from phoihop.tracking import dashboard
from phoihop.units.scoping import scope_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed_unit(request, unit_pk: int):
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.can_manage(unit):
        raise PermissionDenied
    return unit


def dashboard_home(request):
    """The nav link's target: the user's own unit's dashboard, or a choice of units."""
    scope = scope_for(request)
    units = [u for u in scope.units().order_by("path")[:200] if scope.can_manage(u)]
    if len(units) == 1:
        return redirect("tracking:dashboard", unit_pk=units[0].pk)
    return render(request, "tracking/dashboard_home.html", {"units": units[:50]})


def _chosen_year(request, unit, today):
    """The school year asked for (``?year=2025-2026``), or None for the current one (the year
    holding today, or every activity between two years); the choices are this year, the two
    before it and the next one."""
    current = school_year_label_for(today)
    first = int(current[:4])
    labels = [f"{y}-{y + 1}" for y in range(first + 1, first - 3, -1)]
    try:
        start, end = parse_school_year_label(request.GET.get("year") or "")
    except CalendarError:
        return None, labels
    label = f"{start}-{end}"
    if label not in labels:
        labels.append(label)
    return effective_school_year(unit, label), labels


def dashboard_page(request, unit_pk: int):
    unit = _managed_unit(request, unit_pk)
    today = timezone.localdate()
    year, labels = _chosen_year(request, unit, today)
    board = dashboard.build(unit, today, year)
    context = {"unit": unit, "board": board, "year_labels": labels}
    return render(request, "tracking/dashboard.html", context)


def dashboard_export(request, unit_pk: int, chart: str):
    unit = _managed_unit(request, unit_pk)
    if chart not in dashboard.CHART_KEYS:
        raise Http404
    today = timezone.localdate()
    year, _labels = _chosen_year(request, unit, today)
    data = dashboard.to_xlsx(dashboard.chart(unit, chart, today, year), unit, today)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="bang-dieu-khien-{chart}-{today:%Y%m%d}.xlsx"'
    )
    return response
