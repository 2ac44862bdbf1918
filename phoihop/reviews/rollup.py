"""An office's roll-up: per school below it, activities done and overdue, targets met, home visits.

Every figure family is a GROUP BY query over the schools' ids: activities and home visits from the
tally that triggers keep (``reviews.tally``: a dozen month rows and a few dozen day rows per school
instead of thousands of activities and records), targets from the plans. The page costs the same
four queries for two schools or two thousand; Python only joins the per-school rows and sorts them.
The same function feeds the page, its .xlsx export and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, In
from django.utils.translation import gettext as _

from phoihop.core.collation import natural_key
from phoihop.documents.models import Document, Target, TargetMeasurement
from phoihop.reviews import tally
from phoihop.reviews.models import ActivityTally
from phoihop.schedule.models import SchoolYear
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
        Column("parent", _("Trực thuộc"), numeric=False),
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
    # The office between the school and the one whose roll-up this is (a Phòng under a Sở).
    parent_id: int | None = None
    parent: str = ""
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
        if key == "level":
            return self.level_label
        if key == "parent":
            return self.parent or None  # schools directly under the office sort last
        return getattr(self, key)


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


def _spans_q(spans: list[tally.Span]) -> Q | None:
    combined = None
    for span in spans:
        combined = span.q() if combined is None else combined | span.q()
    return combined


def _sum_when(column: str, when: Q | None):
    return Value(0) if when is None else Coalesce(Sum(column, filter=when), 0)


def activity_figures(school_ids, today: dt.date, year: SchoolYear | None) -> dict[int, list[int]]:
    """Per school: [activities (without cancelled ones), done, overdue, visits due, visits
    recorded], summed from the tally rather than from the activities and records themselves
    (``reviews.tally`` keeps the two equal): the year's whole months and cut days, and for
    "overdue" the same up to yesterday.

    Month rows and day rows are read by two queries, each one range of the (month, day) index,
    rather than by one query whose OR of ranges would scan the whole table."""
    start, end = (year.starts_on, year.ends_on) if year is not None else (None, None)
    yesterday = today - dt.timedelta(days=1)
    in_year = tally.spans(start, end)
    overdue = tally.spans(start, yesterday if end is None else min(end, yesterday))
    found: dict[int, list[int]] = {}
    for month in (True, False):
        year_q = _spans_q([s for s in in_year if s.month == month])
        overdue_q = _spans_q([s for s in overdue if s.month == month])
        if year_q is None and overdue_q is None:
            continue
        rows = (
            ActivityTally.objects.filter(unit_id__in=school_ids, month=month)
            .filter(year_q | overdue_q if year_q and overdue_q else year_q or overdue_q)
            .values("unit_id")
            .annotate(
                a=_sum_when("total", year_q),
                b=_sum_when("done", year_q),
                c=_sum_when("planned", overdue_q),
                d=_sum_when("obligations", year_q),
                e=_sum_when("visits", year_q),
            )
            .values_list("unit_id", "a", "b", "c", "d", "e")
            .order_by()
        )
        for unit_id, *figures in rows:
            sums = found.setdefault(unit_id, [0, 0, 0, 0, 0])
            for n, value in enumerate(figures):
                sums[n] += value
    return found


def _met_condition() -> Q:
    """The latest measurement against the (outer) target's comparator, in SQL ("=" counts as
    reached, as in ``tracking.targets.is_met``). The target's value and comparator are read from
    the outer row, so the subquery needs no join back to the target."""
    goal, comparator = OuterRef("value"), OuterRef("comparator")
    return (
        Q(In(comparator, ["", "=", ">="]), value__gte=goal)
        | Q(Exact(comparator, ">"), value__gt=goal)
        | Q(Exact(comparator, "<="), value__lte=goal)
        | Q(Exact(comparator, "<"), value__lt=goal)
    )


def target_figures(school_ids, year: SchoolYear | None):
    """One row per school: targets of the plans it works by, and how many are met by their latest
    entered measurement (computed targets are shown on the school's own dashboard).

    The latest measurement is judged inside one correlated subquery per target, one backward
    step of the (target, measured_on, id) index.
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
    """The roll-up of ``office``: four queries (schools, the tally's month rows and day rows,
    targets)."""
    schools = schools_of(office, level=level, name=name).values_list(
        "pk", "name", "level", "parent_id", "parent__name"
    )
    labels = {value: str(label) for value, label in Unit.Level.choices}  # translated once
    rows = {}
    for pk, unit_name, lvl, parent_id, parent_name in schools:
        row = Row(pk, unit_name, lvl, labels.get(lvl, lvl))
        if parent_id != office.pk:
            row.parent_id, row.parent = parent_id, parent_name
        rows[pk] = row
    ids = schools_of(office, level=level, name=name).values("pk")
    if rows:
        for unit_id, figures in activity_figures(ids, today, year).items():
            row = rows[unit_id]
            row.total, row.done, row.overdue, row.visits_due, visits = figures
            # A visit logged twice does not raise the coverage above what was due.
            row.visits_done = min(visits, row.visits_due)
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
        return (natural_key(v) if isinstance(v, str) else v, natural_key(r.name))

    present.sort(key=order, reverse=descending)
    return present + sorted(missing, key=lambda r: natural_key(r.name))


def to_xlsx(data: Rollup) -> bytes:
    """The table as a workbook: a title line, the headers, one row per school, the totals."""
    import openpyxl
    from openpyxl.styles import Font

    from phoihop.xlsx import append_row

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "tong-hop"
    title = _("Tổng hợp tiến độ — %(office)s — %(day)s") % {
        "office": data.office.name,
        "day": data.today.strftime("%d/%m/%Y"),
    }
    if data.year is not None:
        title += " — " + _("năm học %(label)s") % {"label": data.year.label}
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True)
    cols = columns()
    append_row(sheet, [str(c.label) for c in cols])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in [*data.rows, data.totals]:
        append_row(sheet, [_cell(row.value(c.key)) for c in cols])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value
