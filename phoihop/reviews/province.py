"""A generated province: a Sở, optionally some Phòng, schools with classes and students, one plan
per school scheduled on the school year, and a year of records.

It exists so that the roll-up can be seen and measured at a meaningful size (the demo, the
benchmark). Everything is random but seeded, so two runs with the same options make the same
province; rows are written with ``bulk_create`` in batches.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from phoihop.documents.models import Document, Target, TargetMeasurement
from phoihop.documents.rollover import shift_plan, shift_text
from phoihop.documents.services import create_document_from_plan
from phoihop.reviews import tally
from phoihop.schedule.models import Activity
from phoihop.schedule.services import ensure_school_year, schedule_document
from phoihop.tracking.models import Record, SchoolClass, Student
from phoihop.units.models import Unit

DEMO_PLAN = Path(__file__).resolve().parents[1] / "web" / "data" / "demo_plan.json"
# The school year the demo plan is written for; ``demo_plan`` moves it to another one.
DEMO_PLAN_YEAR = 2025
SCHOOL_LEVELS = (Unit.Level.TIEU_HOC, Unit.Level.THCS, Unit.Level.THPT)
LEVEL_NAMES = {
    Unit.Level.TIEU_HOC: "Trường Tiểu học",
    Unit.Level.THCS: "Trường THCS",
    Unit.Level.THPT: "Trường THPT",
}
CLASS_SIZE = 35
# Shares of the activities already due: done, partly done, missed; the rest stay planned (overdue).
DONE, PARTLY, MISSED = 0.70, 0.10, 0.05
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh"]


@dataclass
class ProvinceStats:
    office: Unit
    units: int = 0
    schools: int = 0
    classes: int = 0
    students: int = 0
    documents: int = 0
    activities: int = 0
    records: int = 0
    measurements: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return round(sum(self.seconds.values()), 2)


def _paths(units: list[Unit], parent: Unit) -> None:
    for unit in units:
        unit.path = f"{parent.path}{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=500)


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def demo_plan(first_year: int) -> dict:
    """The demo plan moved to the school year starting in ``first_year``: title, items, windows,
    and (unlike a rollover, which keeps the basis as written) its date and its basis, which cite
    the school's own plan of the same year."""
    plan = json.loads(DEMO_PLAN.read_text(encoding="utf-8"))
    years = first_year - DEMO_PLAN_YEAR
    if not years:
        return plan
    plan = shift_plan(plan, DEMO_PLAN_YEAR, years)
    if plan.get("date"):
        day = dt.date.fromisoformat(plan["date"])
        plan["date"] = day.replace(year=day.year + years).isoformat()
    basis = []
    for entry in plan.get("legal_basis") or []:
        entry = {**entry, "text": shift_text(entry.get("text"), DEMO_PLAN_YEAR, years)}
        ref = entry.get("ref") or {}
        day = dt.date.fromisoformat(ref["date"]) if ref.get("date") else None
        if day and day.year in (DEMO_PLAN_YEAR, DEMO_PLAN_YEAR + 1):  # not the cited laws' dates
            entry["ref"] = {**ref, "date": day.replace(year=day.year + years).isoformat()}
        basis.append(entry)
    plan["legal_basis"] = basis
    return plan


def generate_province(
    schools: int = 20,
    students_per_school: int = 200,
    seed: int = 1,
    *,
    phong: int = 0,
    label: str = "2025-2026",
    as_of: dt.date | None = None,
    batch: int = 2000,
    office: Unit | None = None,
) -> ProvinceStats:
    """Create the province (under ``office`` if given, else under a new Sở); records are
    generated for the activities due before ``as_of`` (by default the school year's end, or
    today if earlier)."""
    rng = random.Random(seed)
    timer = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal timer
        now = time.perf_counter()
        seconds[name] = round(seconds.get(name, 0) + now - timer, 3)
        timer = now

    year = ensure_school_year(label)
    as_of = as_of or min(year.ends_on, dt.date.today())
    # The activity tally is recounted once at the end instead of by a trigger per row.
    with tally.paused():
        if office is None:
            office = Unit.objects.create(
                level=Unit.Level.SO, name=f"Sở GD&ĐT mô phỏng {seed}", code=f"SGD{seed}"
            )
        parents = [office]
        if phong:
            offices = Unit.objects.bulk_create(
                Unit(
                    parent=office,
                    level=Unit.Level.PHONG,
                    name=f"Phòng GD&ĐT khu vực {n + 1}",
                    code=f"PGD{seed}-{n + 1}",
                )
                for n in range(phong)
            )
            _paths(offices, office)
            parents = offices
        units = []
        for n in range(schools):
            level = SCHOOL_LEVELS[n % len(SCHOOL_LEVELS)]
            parent = parents[n % len(parents)]
            units.append(
                Unit(
                    parent=parent,
                    level=level,
                    name=f"{LEVEL_NAMES[level]} số {n + 1}",
                    code=f"S{seed}-{n + 1}",
                    locality=f"Phường {n % 40 + 1}",
                )
            )
        units = Unit.objects.bulk_create(units, batch_size=500)
        for parent in parents:
            _paths([u for u in units if u.parent_id == parent.pk], parent)
        lap("units")

        per_school = max(1, round(students_per_school / CLASS_SIZE))
        classes = SchoolClass.objects.bulk_create(
            (
                SchoolClass(
                    unit=unit, school_year=year, name=f"{6 + c % 4}A{c + 1}", grade=6 + c % 4
                )
                for unit in units
                for c in range(per_school)
            ),
            batch_size=batch,
        )
        by_school: dict[int, list[SchoolClass]] = {}
        for school_class in classes:
            by_school.setdefault(school_class.unit_id, []).append(school_class)
        students = []
        for unit in units:
            own = by_school[unit.pk]
            for n in range(students_per_school):
                students.append(
                    Student(
                        unit=unit,
                        school_class=own[n % len(own)],
                        code=f"HS{n:05d}",
                        full_name=f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
                        enrolled_on=year.starts_on,
                        hardship=rng.random() < 0.03,
                    )
                )
        Student.objects.bulk_create(students, batch_size=batch)
        lap("students")

        plan = demo_plan(int(year.label[:4]))
        documents = []
        for unit in units:
            document = create_document_from_plan(unit, {**plan, "issuer": unit.name})
            document.school_year = year
            document.status = Document.Status.IN_FORCE
            document.save(update_fields=["school_year", "status"])
            schedule_document(document)
            documents.append(document)
        lap("plans")

        records, activity_count = _generate_records(units, as_of, rng, batch)
        lap("records")
        measurements = [
            TargetMeasurement(
                target_id=target_id,
                measured_on=min(as_of, year.ends_on),
                value=round(float(value) * rng.uniform(0.9, 1.05), 2),
            )
            for target_id, value in Target.objects.filter(
                document__in=documents, value__isnull=False
            ).values_list("pk", "value")
        ]
        TargetMeasurement.objects.bulk_create(measurements, batch_size=batch)
        lap("measurements")
    lap("tally")

    return ProvinceStats(
        office=office,
        units=1 + (phong or 0) + schools,
        schools=schools,
        classes=len(classes),
        students=len(students),
        documents=len(documents),
        activities=activity_count,
        records=records,
        measurements=len(measurements),
        seconds=seconds,
    )


def _generate_records(units: list[Unit], as_of: dt.date, rng: random.Random, batch: int):
    """Records for the activities due before ``as_of``: ~70 % done (every student visited for the
    per-student ones), some partly done, a few missed; the others stay planned, hence overdue."""
    school_ids = [u.pk for u in units]
    members: dict[int, list[int]] = {}
    for class_id, student_id in (
        Student.objects.filter(unit_id__in=school_ids)
        .order_by("pk")
        .values_list("school_class_id", "pk")
    ):
        members.setdefault(class_id, []).append(student_id)
    activities = Activity.objects.filter(unit_id__in=school_ids)
    count = activities.count()
    due = activities.filter(due_on__lt=as_of).order_by("pk")
    statuses: dict[str, list[int]] = {"done": [], "partly": [], "missed": []}
    pending: list[Record] = []
    written = 0
    rows = due.values_list("pk", "window_starts_on", "due_on", "obligations", "school_class_id")
    for pk, starts_on, due_on, obligations, class_id in rows.iterator(chunk_size=batch):
        draw = rng.random()
        if draw < DONE:
            status = "done"
        elif draw < DONE + PARTLY:
            status = "partly"
        elif draw < DONE + PARTLY + MISSED:
            statuses["missed"].append(pk)
            continue
        else:
            continue
        statuses[status].append(pk)
        span = max(0, (due_on - starts_on).days)
        if obligations and class_id:
            students = members.get(class_id, [])[:obligations]
            if status == "partly":
                students = students[: max(1, len(students) // 2)]
            for student_id in students:
                day = starts_on + dt.timedelta(days=rng.randint(0, span))
                pending.append(
                    Record(activity_id=pk, done_on=day, student_id=student_id, participants="")
                )
        else:
            day = starts_on + dt.timedelta(days=rng.randint(0, span))
            pending.append(
                Record(activity_id=pk, done_on=day, outcome=status, participants="BGH, BCH CĐ")
            )
        if len(pending) >= batch:
            Record.objects.bulk_create(pending, batch_size=batch)
            written += len(pending)
            pending = []
    Record.objects.bulk_create(pending, batch_size=batch)
    written += len(pending)
    for status, ids in statuses.items():
        for chunk in _chunks(ids, 900):  # SQLite's limit on query parameters
            Activity.objects.filter(pk__in=chunk).update(status=status)
    return written, count
