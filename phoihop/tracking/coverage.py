"""Home-visit coverage: which student's family was visited in which period.

Plans say "GVCN visits each student's family at least once a month / a semester, the students in
difficulty first"; the homeroom teacher needs to see who is left, the leadership how far each class
is. The periods are the columns the scheduler made from the item's cadence (months or semesters),
so the matrix follows whatever the plan says. Both pages run a fixed number of aggregate queries,
never one per student or per cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When

from phoihop.tracking.models import Record
from phoihop.tracking.services import PER_STUDENT, home_visit_activities

FLAGGED = Q(weak_results=True) | Q(frequent_absence=True) | Q(hardship=True)


def flagged_first(students):
    """Students in difficulty first (the plans single them out), then by name."""
    return students.annotate(
        flag_rank=Case(When(FLAGGED, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("flag_rank", "full_name", "pk")


@dataclass
class Period:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    activity_ids: list[int] = field(default_factory=list)

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass
class Cell:
    record_id: int
    done_on: dt.date


@dataclass
class CoverageRow:
    student: object
    cells: list[Cell | None]

    @property
    def visited(self) -> int:
        return sum(1 for c in self.cells if c)


@dataclass
class ClassCoverage:
    school_class: object
    items: list
    item: object | None
    per: str
    periods: list[Period]
    rows: list[CoverageRow]

    @property
    def totals(self) -> list[int]:
        return [sum(1 for r in self.rows if r.cells[i]) for i in range(len(self.periods))]


def period_label(activity) -> str:
    """The period part of the title the scheduler wrote ("Tháng 10/2025 · …", "Học kỳ I · …")."""
    return activity.title.split(" · ", 1)[0]


def class_coverage(scope, school_class, *, item_id: int | None = None) -> ClassCoverage:
    """Students × periods of one per-student item of ``school_class`` (the first one by default).

    Three queries: the class's per-student activities, its students, the (student, activity)
    pairs that have a record.
    """
    activities = list(home_visit_activities(school_class).select_related("item"))
    items = list({a.item_id: a.item for a in activities}.values())
    items.sort(key=lambda i: (i.position, i.pk))
    item = next((i for i in items if i.pk == item_id), items[0] if items else None)
    periods: list[Period] = []
    column_of_activity: dict[int, int] = {}
    for activity in activities:
        if item is None or activity.item_id != item.pk:
            continue
        label = period_label(activity)
        if not periods or periods[-1].label != label:
            periods.append(Period(label, activity.window_starts_on, activity.window_ends_on))
        period = periods[-1]
        period.starts_on = min(period.starts_on, activity.window_starts_on)
        period.ends_on = max(period.ends_on, activity.window_ends_on)
        period.activity_ids.append(activity.pk)
        column_of_activity[activity.pk] = len(periods) - 1
    students = list(
        flagged_first(scope.students().filter(school_class=school_class, left_on__isnull=True))
    )
    visits: dict[tuple[int, int], Cell] = {}
    if column_of_activity:
        pairs = (
            Record.objects.filter(activity_id__in=column_of_activity, student__isnull=False)
            .order_by("done_on", "pk")
            .values_list("student_id", "activity_id", "pk", "done_on")
        )
        for student_id, activity_id, record_id, done_on in pairs:
            visits.setdefault(
                (student_id, column_of_activity[activity_id]), Cell(record_id, done_on)
            )
    rows = [
        CoverageRow(s, [visits.get((s.pk, col)) for col in range(len(periods))]) for s in students
    ]
    per = (item.cadence or {}).get("per", "") if item is not None else ""
    return ClassCoverage(school_class, items, item, per or "", periods, rows)


@dataclass
class ClassSummary:
    school_class_id: int
    name: str
    grade: int | None
    required: int = 0
    visited: int = 0
    year_required: int = 0

    @property
    def percent(self) -> int | None:
        if not self.required:
            return None
        return round(100 * self.visited / self.required)


@dataclass
class SchoolCoverage:
    unit: object
    today: dt.date
    classes: list[ClassSummary]

    @property
    def required(self) -> int:
        return sum(c.required for c in self.classes)

    @property
    def visited(self) -> int:
        return sum(c.visited for c in self.classes)

    @property
    def percent(self) -> int | None:
        return round(100 * self.visited / self.required) if self.required else None


def school_coverage(scope, unit, today: dt.date, year=None) -> SchoolCoverage:
    """Per class (of ``year``'s classes when given): student-periods visited / required, counting
    periods that have begun.

    Two queries: the classes, and one row per per-student activity with its distinct visited
    students counted in SQL (classes × periods rows, not students).
    """
    classes = scope.classes().filter(unit=unit).order_by("grade", "name")
    if year is not None:
        classes = classes.filter(school_year=year)
    summaries = {c.pk: ClassSummary(c.pk, c.name, c.grade) for c in classes}
    rows = (
        scope.activities()
        .filter(
            unit=unit,
            school_class__isnull=False,
            item__cadence__per_subject=PER_STUDENT,
        )
        .exclude(status="cancelled")
        .values("pk", "school_class_id", "obligations", "window_starts_on")
        .annotate(visited=Count("records__student", distinct=True))
        .order_by()
    )
    for row in rows:
        summary = summaries.get(row["school_class_id"])
        if summary is None:
            continue
        summary.year_required += row["obligations"]
        if row["window_starts_on"] <= today:
            summary.required += row["obligations"]
            summary.visited += min(row["visited"], row["obligations"])
    return SchoolCoverage(unit, today, list(summaries.values()))
