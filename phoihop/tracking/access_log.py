"""The log of who read or exported students' personal data (Decree 13/2023/NĐ-CP, Điều 27).

Every view that shows a student's data, or a list of a class's students, calls
``log_student_access`` once, after it has decided the user may see it: one small insert per page,
whatever the number of students on it. The views know what they show; a middleware reading URLs
would not. The school's leadership reads the log through ``entries``.
"""

from __future__ import annotations

from django.db.models import Q

from phoihop.tracking.models import SchoolClass, Student, StudentDataAccess

Kind = StudentDataAccess.Kind
PATH_MAX = StudentDataAccess._meta.get_field("path").max_length


def log_student_access(
    request,
    kind: str,
    *,
    student: Student | None = None,
    school_class: SchoolClass | None = None,
    unit=None,
) -> StudentDataAccess:
    """Record that the signed-in user read (or exported) ``student``'s data, a list of
    ``school_class``'s students, or, with neither, students' data of the whole ``unit``."""
    if student is not None:
        unit_id, class_id = student.unit_id, student.school_class_id
    elif school_class is not None:
        unit_id, class_id = school_class.unit_id, school_class.pk
    elif unit is not None:
        unit_id, class_id = unit.pk, None
    else:
        raise ValueError("log_student_access needs a student, a class or a unit")
    user = request.user if request.user.is_authenticated else None
    return StudentDataAccess.objects.create(
        user=user,
        unit_id=unit_id,
        kind=kind,
        school_class_id=class_id,
        student=student,
        path=request.get_full_path()[:PATH_MAX],
    )


def entries(unit, *, user_id: int | None = None, student: Student | None = None):
    """The unit's log, newest first; for one student, the entries naming them and the lists of
    their (current) class."""
    log = StudentDataAccess.objects.filter(unit=unit)
    if user_id is not None:
        log = log.filter(user_id=user_id)
    if student is not None:
        log = log.filter(
            Q(student=student) | Q(student__isnull=True, school_class_id=student.school_class_id)
        )
    return log.select_related("user", "student", "school_class").order_by("-at", "-pk")


def people(unit):
    """Who appears in the unit's log (for the filter), by name."""
    from django.contrib.auth import get_user_model

    user_ids = StudentDataAccess.objects.filter(unit=unit).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("last_name", "username")
