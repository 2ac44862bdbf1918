"""The leadership's dashboard: charts with their numbers, and each chart's .xlsx export.

Leaders and clerks of the unit (or of an office above it) only; anyone who cannot see the unit
gets 404, staff who see it without managing it get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

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


def dashboard_page(request, unit_pk: int):
    unit = _managed_unit(request, unit_pk)
    board = dashboard.build(unit, timezone.localdate())
    return render(request, "tracking/dashboard.html", {"unit": unit, "board": board})


def dashboard_export(request, unit_pk: int, chart: str):
    unit = _managed_unit(request, unit_pk)
    if chart not in dashboard.CHART_KEYS:
        raise Http404
    today = timezone.localdate()
    data = dashboard.to_xlsx(dashboard.chart(unit, chart, today), unit, today)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="bang-dieu-khien-{chart}-{today:%Y%m%d}.xlsx"'
    )
    return response
