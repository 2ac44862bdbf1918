from django.shortcuts import get_object_or_404, render

from phoihop.tracking.access_log import Kind, log_student_access
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
    records = student.records.select_related("activity").order_by("-done_on")[:50]
    log_student_access(request, Kind.PAGE, student=student)
    return render(request, "tracking/student_detail.html", {"student": student, "records": records})
