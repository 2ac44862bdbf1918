"""Home visits: the homeroom teacher's few-tap form and the coverage pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from phoihop.params import id_param
from phoihop.schedule.models import SchoolYear
from phoihop.tracking import consent, services
from phoihop.tracking.access_log import Kind, log_student_access
from phoihop.tracking.coverage import class_coverage, flagged_first, school_coverage
from phoihop.tracking.models import SchoolClass
from phoihop.units.scoping import scope_for

MET_WITH_CHOICES = [
    gettext_noop("Bố"),
    gettext_noop("Mẹ"),
    gettext_noop("Bố và mẹ"),
    gettext_noop("Ông bà"),
    gettext_noop("Người giám hộ"),
]


@require_http_methods(["GET", "POST"])
def home_visit(request, pk: int):
    """Log a visit to a student's family on the class's current home-visit activity."""
    from phoihop.tracking.record_forms import HomeVisitForm

    scope = scope_for(request)
    school_class = get_object_or_404(scope.classes().select_related("unit"), pk=pk)
    students = flagged_first(
        scope.students().filter(
            school_class=school_class, left_on__isnull=True, erased_at__isnull=True
        )
    ).annotate(photo_consent_given=consent.given_subquery())
    form = HomeVisitForm(request.POST or None, request.FILES or None, students=students)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_home_visit(
                school_class,
                request.user,
                student=data["student"],
                done_on=data["done_on"],
                met_with=data["met_with"],
                notes=data["notes"],
                photo=data["photo"],
            )
        except services.RecordingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã ghi nhận thăm gia đình em %(name)s ngày %(date)s.")
                % {"name": record.student.full_name, "date": record.done_on.strftime("%d/%m/%Y")},
            )
            return redirect("tracking:class-coverage", pk=school_class.pk)
    current = services.current_home_visit_activity(school_class, timezone.localdate())
    context = {
        "school_class": school_class,
        "form": form,
        "current": current,
        "met_with_choices": [_(c) for c in MET_WITH_CHOICES],
    }
    log_student_access(request, Kind.PAGE, school_class=school_class)
    return render(request, "tracking/home_visit_form.html", context)


def class_coverage_view(request, pk: int):
    """Students × periods for one class, those in difficulty first."""
    scope = scope_for(request)
    school_class = get_object_or_404(scope.classes().select_related("unit"), pk=pk)
    coverage = class_coverage(scope, school_class, item_id=id_param(request.GET, "item"))
    log_student_access(request, Kind.PAGE, school_class=school_class)
    return render(
        request,
        "tracking/class_coverage.html",
        {"coverage": coverage, "school_class": school_class, "today": timezone.localdate()},
    )


def school_coverage_view(request):
    """Per class, how many of the student-visits due so far were made (the leadership's view)."""
    scope = scope_for(request)
    units = list(scope.led_units().filter(classes__isnull=False).distinct().order_by("name"))
    if not units:
        if len(scope.homeroom_class_ids) == 1:
            return redirect("tracking:class-coverage", pk=next(iter(scope.homeroom_class_ids)))
        raise Http404(_("Chỉ Ban giám hiệu xem được tiến độ thăm gia đình của cả trường."))
    wanted = request.GET.get("unit", "")
    if wanted:
        unit = next((u for u in units if str(u.pk) == wanted), None)
        if unit is None:
            raise Http404(_("Không tìm thấy đơn vị."))
    else:
        unit = units[0]
    today = timezone.localdate()
    years, year = _class_years(unit, request.GET.get("year", ""), today)
    coverage = school_coverage(scope, unit, today, year)
    log_student_access(request, Kind.PAGE, unit=unit)
    context = {"coverage": coverage, "units": units, "years": years, "year": year}
    return render(request, "tracking/school_coverage.html", context)


def _class_years(unit, wanted: str, today):
    """The school years the unit has classes in (newest first) and the one to show: the one
    asked for, else the year holding today, else the newest (after promotion, last year's classes
    stay with last year's visits)."""
    years = list(
        SchoolYear.objects.filter(
            pk__in=SchoolClass.objects.filter(unit=unit).values("school_year_id")
        ).order_by("-starts_on")
    )
    chosen = next((y for y in years if y.label == wanted), None)
    if chosen is None:
        chosen = next((y for y in years if y.starts_on <= today <= y.ends_on), None)
    if chosen is None and years:
        chosen = years[0]
    return years, chosen
