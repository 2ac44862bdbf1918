from django.shortcuts import get_object_or_404, render

from phoihop.tracking.access_log import Kind, log_student_access
from phoihop.tracking.consent import consent_of
from phoihop.tracking.privacy_views import PhotoConsentForm
from phoihop.units.scoping import scope_for


def class_detail(request, pk: int):
    """A class and its students, flagged students first (homeroom teacher and leadership only)."""
    scope = scope_for(request)
    school_class = get_object_or_404(scope.classes().select_related("unit", "school_year"), pk=pk)
    students = (
        scope.students()
        .filter(school_class=school_class)
        .order_by("-weak_results", "-frequent_absence", "-hardship", "full_name")
    )
    log_student_access(request, Kind.PAGE, school_class=school_class)
    return render(
        request, "tracking/class_detail.html", {"school_class": school_class, "students": students}
    )


def student_detail(request, pk: int):
    scope = scope_for(request)
    student = get_object_or_404(scope.students().select_related("school_class", "unit"), pk=pk)
    return student_page(request, scope, student)


def student_page(request, scope, student, *, consent_form=None, status: int = 200):
    """The student page; the consent form comes back here with its errors."""
    records = (
        student.records.select_related("activity")
        .prefetch_related("attachments")
        .order_by("-done_on")[:50]
    )
    consent = consent_of(student)
    if consent_form is None:
        consent_form = PhotoConsentForm.for_consent(consent)
    log_student_access(request, Kind.PAGE, student=student)
    context = {
        "student": student,
        "records": records,
        "consent": consent,
        "consent_form": consent_form,
        "leads": scope.leads(student.unit_id),
    }
    return render(request, "tracking/student_detail.html", context, status=status)
