"""“Lên lớp cho năm học mới”: the leadership moves every class up in one step."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phoihop.core.calendar import school_year_label_for
from phoihop.params import id_list
from phoihop.schedule.models import SchoolYear
from phoihop.schedule.services import effective_school_year
from phoihop.tracking.models import SchoolClass
from phoihop.tracking.promotion import PromotionError, promote_classes, promotion_rows
from phoihop.tracking.students_views import school_leader


def _years(unit):
    """(last year with classes, the year to move into): this school year, as the calendar cuts
    it on 1 August, and the latest earlier year that has classes."""
    to_year = effective_school_year(unit, school_year_label_for(timezone.localdate()))
    from_year = (
        SchoolYear.objects.filter(
            pk__in=SchoolClass.objects.filter(unit=unit).values("school_year_id"),
            starts_on__lt=to_year.starts_on,
        )
        .order_by("-starts_on")
        .first()
    )
    return from_year, to_year


@require_http_methods(["GET", "POST"])
def promote(request, unit_pk: int):
    _scope, unit = school_leader(request, unit_pk)
    from_year, to_year = _years(unit)
    rows, error = [], None
    if from_year is not None:
        try:
            rows = promotion_rows(unit, from_year)
        except PromotionError as exc:
            error = str(exc)
    if request.method == "POST" and from_year is not None and error is None:
        if request.POST.get("confirm") != "1":
            error = _("Hãy đánh dấu ô xác nhận trước khi cho lên lớp.")
        else:
            keep = set(id_list(request.POST, "keep"))
            try:
                result = promote_classes(
                    unit, from_year, to_year, keep_teachers=keep, user=request.user
                )
            except PromotionError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã lên lớp cho năm học %(year)s: %(moved)s học sinh sang %(classes)s lớp, "
                        "%(left)s học sinh ra trường, %(kept)s giáo viên chủ nhiệm theo lớp."
                    )
                    % {
                        "year": to_year.label,
                        "moved": result.moved,
                        "classes": len(result.classes),
                        "left": result.left,
                        "kept": result.teachers_kept,
                    },
                )
                return redirect("units:unit-detail", pk=unit.pk)
    context = {
        "unit": unit,
        "from_year": from_year,
        "to_year": to_year,
        "rows": rows,
        "error": error,
    }
    return render(request, "tracking/promote.html", context, status=400 if error else 200)
