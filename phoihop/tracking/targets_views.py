"""Targets of a unit against their measurements; entering a value with its evidence.

Open to the unit's leaders and clerks (they answer for the targets in the review reports).
Retention is computed from the student list as aggregate counts only; no student's data is shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from phoihop.documents.models import Target
from phoihop.tracking import targets as metrics
from phoihop.units.scoping import scope_for


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label=gettext_lazy("Kết quả"), max_digits=12, decimal_places=2)
    measured_on = forms.DateField(
        label=gettext_lazy("Ngày đo"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú, cách tính"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Liên kết minh chứng"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Địa chỉ tệp minh chứng (biên bản, báo cáo) trong hệ thống hoặc trên mạng nội bộ."
        ),
    )


def _managed_unit(request, unit_pk: int):
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.can_manage(unit):
        raise PermissionDenied
    return scope, unit


def target_list(request, unit_pk: int):
    scope, unit = _managed_unit(request, unit_pk)
    targets = (
        Target.objects.filter(document__in=scope.documents(), document__unit=unit)
        .exclude(document__status="superseded")
        .order_by("document_id", "position", "pk")
    )
    rows = metrics.target_rows(targets, timezone.localdate())
    return render(request, "tracking/targets_list.html", {"unit": unit, "rows": rows})


@require_http_methods(["GET", "POST"])
def target_detail(request, pk: int):
    scope = scope_for(request)
    target = get_object_or_404(
        Target.objects.filter(document__in=scope.documents()).select_related(
            "document__unit", "document__school_year"
        ),
        pk=pk,
    )
    if not scope.can_manage(target.document.unit):
        raise PermissionDenied
    today = timezone.localdate()
    form = MeasurementForm(initial={"measured_on": today})
    if request.method == "POST" and not scope.runs(target.document.unit_id):
        raise PermissionDenied  # an office reads a school's targets; the school records them
    if request.method == "POST":
        if request.POST.get("action") == "snapshot":
            if metrics.record_computed(target, today, user=request.user):
                messages.success(request, _("Đã lưu kết quả tính hôm nay vào lịch sử chỉ tiêu."))
            else:
                messages.error(request, _("Chưa tính được chỉ tiêu này từ dữ liệu."))
            return redirect("tracking:target-detail", pk=target.pk)
        form = MeasurementForm(request.POST)
        if form.is_valid():
            metrics.record_measurement(target, user=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi kết quả đo chỉ tiêu."))
            return redirect("tracking:target-detail", pk=target.pk)
    row = metrics.target_detail(target, today)
    return render(
        request,
        "tracking/targets_detail.html",
        {
            "target": target,
            "row": row,
            "form": form,
            "computable": metrics.computed_metric(target) is not None,
            "can_record": scope.runs(target.document.unit_id),
        },
        status=400 if request.method == "POST" else 200,
    )
