"""A new school year's classes in one step: every class moves up (6A → 7A), the last grade leaves,
homeroom teachers follow their class where the leadership keeps them.

The students are the same people from one year to the next (their code is unique in the school),
so they move to their new class instead of being copied; a leaver keeps their row with the day
they left. The new first grade comes in through the student import. Last year's classes stay, with
last year's activities and records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from phoihop.core.classes import NextClass, next_class
from phoihop.schedule.models import SchoolYear
from phoihop.tracking.models import SchoolClass, Student
from phoihop.tracking.students_import import class_key
from phoihop.units.models import Membership, Unit


class PromotionError(ValueError):
    """The classes cannot be moved up as asked; the message says why."""


@dataclass
class PromotionRow:
    school_class: SchoolClass
    next: NextClass
    students: int
    teachers: list = field(default_factory=list)


def promotion_rows(unit: Unit, from_year: SchoolYear) -> list[PromotionRow]:
    """What each class of ``from_year`` becomes, with its current students and homeroom teachers."""
    classes = list(
        SchoolClass.objects.filter(unit=unit, school_year=from_year).order_by("grade", "name")
    )
    counts: dict[int, int] = {}
    for class_id in Student.objects.filter(
        school_class__in=classes, left_on__isnull=True, erased_at__isnull=True
    ).values_list("school_class_id", flat=True):
        counts[class_id] = counts.get(class_id, 0) + 1
    teachers: dict[int, list] = {}
    for membership in (
        Membership.objects.current()
        .filter(school_class__in=classes, role=Membership.Role.HOMEROOM)
        .select_related("user")
    ):
        teachers.setdefault(membership.school_class_id, []).append(membership.user)
    rows = []
    for school_class in classes:
        try:
            moved = next_class(school_class.name, unit.level, school_class.grade)
        except ValueError as exc:
            raise PromotionError(
                _(
                    "Không biết lớp “%(name)s” thuộc khối nào: hãy đặt tên lớp bắt đầu bằng khối, ví dụ 6A."
                )
                % {"name": school_class.name}
            ) from exc
        rows.append(
            PromotionRow(
                school_class,
                moved,
                counts.get(school_class.pk, 0),
                teachers.get(school_class.pk, []),
            )
        )
    return rows


@dataclass
class PromotionResult:
    moved: int = 0
    left: int = 0
    classes: list[SchoolClass] = field(default_factory=list)
    teachers_kept: int = 0


@transaction.atomic
def promote_classes(
    unit: Unit,
    from_year: SchoolYear,
    to_year: SchoolYear,
    *,
    keep_teachers: set[int],
    user,
    today: dt.date | None = None,
) -> PromotionResult:
    """Move every class of ``from_year`` up into ``to_year``. ``keep_teachers`` holds the ids of
    the old classes whose homeroom teachers follow them; the others' teachers keep last year's
    class only, for the leadership to give new classes."""
    if from_year.pk == to_year.pk or to_year.starts_on <= from_year.starts_on:
        raise PromotionError(_("Năm học mới phải sau năm học cũ."))
    rows = promotion_rows(unit, from_year)
    if not any(row.students for row in rows):
        raise PromotionError(
            _("Các lớp năm học %(year)s không còn học sinh nào: có thể đã lên lớp rồi.")
            % {"year": from_year.label}
        )
    existing = {
        class_key(c.name): c for c in SchoolClass.objects.filter(unit=unit, school_year=to_year)
    }
    result = PromotionResult()
    now = timezone.now()
    left_on = min(from_year.ends_on, today or timezone.localdate())
    for row in rows:
        active = Student.objects.filter(
            school_class=row.school_class, left_on__isnull=True, erased_at__isnull=True
        )
        students = list(active)
        if row.next.leaves:
            for student in students:
                student.left_on = left_on
            # One UPDATE and one batch of history rows per class, not two queries per student.
            bulk_update_with_history(
                students,
                Student,
                ["left_on"],
                default_user=user,
                default_change_reason=_("Hoàn thành chương trình, ra trường (lên lớp %(year)s)")
                % {"year": to_year.label},
            )
            result.left += len(students)
            continue
        target = existing.get(class_key(row.next.name))
        if target is None:
            target = SchoolClass.objects.create(
                unit=unit, school_year=to_year, name=row.next.name, grade=row.next.grade
            )
            existing[class_key(target.name)] = target
        result.classes.append(target)
        for student in students:
            student.school_class = target
        bulk_update_with_history(
            students,
            Student,
            ["school_class"],
            default_user=user,
            default_change_reason=_("Lên lớp %(name)s, năm học %(year)s")
            % {"name": target.name, "year": to_year.label},
        )
        result.moved += len(students)
        if row.school_class.pk in keep_teachers:
            for membership in Membership.objects.current().filter(
                school_class=row.school_class, role=Membership.Role.HOMEROOM
            ):
                Membership.objects.filter(pk=membership.pk).update(ended_at=now)
                Membership.objects.create(
                    user=membership.user,
                    unit=unit,
                    role=Membership.Role.HOMEROOM,
                    party=membership.party,
                    school_class=target,
                    title=membership.title,
                )
                result.teachers_kept += 1
    return result
