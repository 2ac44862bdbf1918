"""An office's roll-up: per school below it, activities done and overdue, targets met, home visits.

Every figure family is one GROUP BY query over the schools' ids (the activity index on
(unit, status, due_on) serves the first), so the page costs the same few queries for two schools
or two thousand; Python only joins the per-school rows and sorts them. The same function feeds
the page, its .xlsx export and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from phoihop.documents.models import Document, Target, TargetMeasurement
from phoihop.schedule.models import Activity, SchoolYear
from phoihop.tracking.models import Record
from phoihop.units.models import Unit

# The plans a school works by: drafts (cascaded ones included) do not count yet, superseded ones
# no longer do.
WORKING_STATUSES = (Document.Status.APPROVED, Document.Status.ISSUED, Document.Status.IN_FORCE)
SCHOOL_LEVELS = [level for level in Unit.Level.values if level not in Unit.OFFICE_LEVELS]


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = True


def columns() -> list[Column]:
    """The table's columns, in order; every one is sortable (``?sort=key`` or ``?sort=-key``)."""
    return [
        Column("name", _("Đơn vị"), numeric=False),
        Column("level", _("Cấp học"), numeric=False),
        Column("total", _("Hoạt động")),
        Column("done", _("Đã thực hiện")),
        Column("overdue", _("Quá hạn")),
        Column("completion", _("Hoàn thành (%)")),
        Column("targets_met", _("Chỉ tiêu đạt")),
        Column("targets", _("Chỉ tiêu")),
        Column("visits_done", _("Lượt thăm gia đình")),
        Column("visits_due", _("Lượt cần thăm")),
        Column("coverage", _("Thăm gia đình (%)")),
    ]


@dataclass
class Row:
    unit_id: int
    name: str
    level: str
    level_label: str
    total: int = 0
    done: int = 0
    overdue: int = 0
    targets: int = 0
    targets_met: int = 0
    visits_due: int = 0
    visits_done: int = 0

    @property
    def completion(self) -> float | None:
        return round(100 * self.done / self.total, 1) if self.total else None

    @property
    def coverage(self) -> float | None:
        return round(100 * self.visits_done / self.visits_due, 1) if self.visits_due else None

    def value(self, key: str):
        return self.level_label if key == "level" else getattr(self, key)


@dataclass
class Rollup:
    office: Unit
    today: dt.date
    year: SchoolYear | None
    rows: list[Row]
    sort: str
    totals: Row = field(init=False)

    def __post_init__(self) -> None:
        self.totals = Row(0, _("Toàn bộ"), "", "")
        for key in ("total", "done", "overdue", "targets", "targets_met", "visits_due"):
            setattr(self.totals, key, sum(getattr(r, key) for r in self.rows))
        self.totals.visits_done = sum(r.visits_done for r in self.rows)


def default_year(office: Unit, today: dt.date) -> SchoolYear | None:
    """The latest school year that has begun (the office's own frame first): the one under way, or
    the one just ended during the summer."""
    return (
        SchoolYear.objects.filter(Q(unit=office) | Q(unit__isnull=True), starts_on__lte=today)
        .order_by("-starts_on", "unit_id")
        .first()
    )


def schools_of(office: Unit, *, level: str = "", name: str = ""):
    """The schools below ``office`` (offices in between are left out), filtered as asked."""
    units = Unit.objects.filter(path__startswith=office.path).exclude(level__in=Unit.OFFICE_LEVELS)
    if level:
        units = units.filter(level=level)
    if name:
        units = units.filter(name__icontains=name.strip())
    return units


def activity_figures(school_ids, today: dt.date, year: SchoolYear | None):
    """One row per school: activities (without cancelled ones), done, overdue, visits due."""
    activities = Activity.objects.filter(unit_id__in=school_ids).exclude(
        status=Activity.Status.CANCELLED
    )
    if year is not None:
        activities = activities.filter(due_on__range=(year.starts_on, year.ends_on))
    return (
        activities.values("unit_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Activity.Status.DONE)),
            overdue=Count("pk", filter=Q(status=Activity.Status.PLANNED, due_on__lt=today)),
            visits_due=Coalesce(Sum("obligations"), 0),
        )
        .order_by()
    )


def visit_figures(school_ids, year: SchoolYear | None):
    """One row per school: home-visit records (records naming a student)."""
    records = Record.objects.filter(
        activity__unit_id__in=school_ids, student__isnull=False, activity__obligations__gt=0
    ).exclude(activity__status=Activity.Status.CANCELLED)
    if year is not None:
        records = records.filter(activity__due_on__range=(year.starts_on, year.ends_on))
    return records.values("activity__unit_id").annotate(visits=Count("pk")).order_by()


def _met_condition() -> Q:
    """A measurement against its target's comparator, in SQL ("=" counts as reached, as in
    ``tracking.targets.is_met``)."""
    goal = F("target__value")
    return (
        Q(target__comparator__in=["", "=", ">="], value__gte=goal)
        | Q(target__comparator=">", value__gt=goal)
        | Q(target__comparator="<=", value__lte=goal)
        | Q(target__comparator="<", value__lt=goal)
    )


def target_figures(school_ids, year: SchoolYear | None):
    """One row per school: targets of the plans it works by, and how many are met by their latest
    entered measurement (computed targets are shown on the school's own dashboard).

    The latest measurement is judged inside one correlated subquery per target, read once.
    """
    latest = TargetMeasurement.objects.filter(target=OuterRef("pk")).order_by("-measured_on", "-pk")
    if year is not None:
        latest = latest.filter(measured_on__lte=year.ends_on)
    latest_met = latest.annotate(
        met=Case(When(_met_condition(), then=Value(1)), default=Value(0))
    ).values("met")[:1]
    targets = Target.objects.filter(
        document__unit_id__in=school_ids,
        document__status__in=WORKING_STATUSES,
        value__isnull=False,
    )
    if year is not None:
        targets = targets.filter(Q(document__school_year=year) | Q(document__school_year=None))
    return (
        targets.annotate(met=Coalesce(Subquery(latest_met, output_field=IntegerField()), 0))
        .values("document__unit_id")
        .annotate(targets=Count("pk"), targets_met=Sum("met"))
        .order_by()
    )


def rollup(
    office: Unit,
    today: dt.date,
    *,
    year: SchoolYear | None = None,
    level: str = "",
    name: str = "",
    sort: str = "name",
) -> Rollup:
    """The roll-up of ``office``: four queries (schools, activities, visits, targets)."""
    schools = list(schools_of(office, level=level, name=name).values_list("pk", "name", "level"))
    labels = dict(Unit.Level.choices)
    rows = {
        pk: Row(pk, unit_name, lvl, str(labels.get(lvl, lvl))) for pk, unit_name, lvl in schools
    }
    ids = schools_of(office, level=level, name=name).values("pk")
    if rows:
        for r in activity_figures(ids, today, year):
            row = rows[r["unit_id"]]
            row.total, row.done, row.overdue = r["total"], r["done"], r["overdue"]
            row.visits_due = r["visits_due"]
        for r in visit_figures(ids, year):
            row = rows[r["activity__unit_id"]]
            # A visit logged twice does not raise the coverage above what was due.
            row.visits_done = min(r["visits"], row.visits_due)
        for r in target_figures(ids, year):
            row = rows[r["document__unit_id"]]
            row.targets, row.targets_met = r["targets"], r["targets_met"] or 0
    ordered = sort_rows(list(rows.values()), sort)
    return Rollup(office=office, today=today, year=year, rows=ordered, sort=sort)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Sort by a column key, descending with a leading "-"; empty values last either way."""
    key = sort.lstrip("-") or "name"
    if key not in {c.key for c in columns()}:
        key, sort = "name", "name"
    descending = sort.startswith("-")
    present = [r for r in rows if r.value(key) is not None]
    missing = [r for r in rows if r.value(key) is None]

    def order(r: Row):
        v = r.value(key)
        return (v.casefold() if isinstance(v, str) else v, r.name.casefold())

    present.sort(key=order, reverse=descending)
    return present + sorted(missing, key=lambda r: r.name.casefold())


def to_xlsx(data: Rollup) -> bytes:
    """The table as a workbook: a title line, the headers, one row per school, the totals."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "tong-hop"
    title = _("Tổng hợp tiến độ — %(office)s — %(day)s") % {
        "office": data.office.name,
        "day": data.today.strftime("%d/%m/%Y"),
    }
    if data.year is not None:
        title += " — " + _("năm học %(label)s") % {"label": data.year.label}
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    cols = columns()
    sheet.append([c.label for c in cols])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in [*data.rows, data.totals]:
        sheet.append([_cell(row.value(c.key)) for c in cols])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value
