"""The school's progress in numbers: by section, by party, by target; overdue; home visits.

Every figure is an aggregate computed by the database (GROUP BY with conditional counts), so the
number of queries depends on the page, never on the number of activities or students. Charts are
horizontal bars drawn as SVG by our own template from the geometry computed here; the same rows
feed the table under each chart and its .xlsx export, so the three never disagree.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from phoihop.core.numerals import plain_number
from phoihop.documents.models import Target
from phoihop.schedule.models import Activity
from phoihop.tracking import targets as target_metrics
from phoihop.tracking.models import Record
from phoihop.tracking.students_import import current_school_year

CHART_KEYS = ("sections", "parties", "targets", "coverage")

LABEL_WIDTH = 230
BAR_WIDTH = 420
ROW_HEIGHT = 26
TOP = 30


def activities_of(unit, today: dt.date, year=None):
    """The unit's activities (an office: its whole subtree) of ``year`` (the current school year
    by default), without the cancelled ones."""
    if unit.is_office:
        activities = Activity.objects.filter(unit__path__startswith=unit.path)
    else:
        activities = Activity.objects.filter(unit_id=unit.pk)
    year = year or current_school_year(unit, today)
    if year is not None:
        activities = activities.filter(due_on__range=(year.starts_on, year.ends_on))
    return activities.exclude(status=Activity.Status.CANCELLED)


def _status_counts(today: dt.date) -> dict:
    planned = Q(status=Activity.Status.PLANNED)
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(status=Activity.Status.DONE)),
        "partly": Count("pk", filter=Q(status=Activity.Status.PARTLY)),
        "missed": Count("pk", filter=Q(status=Activity.Status.MISSED)),
        "overdue": Count("pk", filter=planned & Q(due_on__lt=today)),
        "upcoming": Count("pk", filter=planned & Q(due_on__gte=today)),
    }


def progress_by_section(activities, today: dt.date) -> list[dict]:
    rows = (
        activities.values(
            "item__document_id",
            "item__document__title",
            "item__section_id",
            "item__section__label",
            "item__section__heading",
        )
        .annotate(**_status_counts(today))
        .order_by("item__document_id", "item__section__position", "item__section_id")
    )
    out = []
    for r in rows:
        heading = r["item__section__heading"] or _("(Không thuộc mục nào)")
        # Headings keep their numbering as written ("1. Với Công đoàn"); the path is only added
        # when the heading has none.
        path = r["item__section__label"] or ""
        last = path.rsplit(".", 1)[-1]
        label = heading if not path or heading.startswith(last) else f"{path}. {heading}"
        out.append({**r, "label": label, "document": r["item__document__title"]})
    return out


def progress_by_party(activities, today: dt.date) -> list[dict]:
    rows = (
        activities.values("assignee_party_id", "assignee_party__name", "assignee_party__short_name")
        .annotate(**_status_counts(today))
        .order_by("assignee_party__name")
    )
    return [
        {
            **r,
            "label": r["assignee_party__short_name"]
            or r["assignee_party__name"]
            or _("(Chưa giao tổ chức)"),
        }
        for r in rows
    ]


def overdue(activities, today: dt.date, limit: int = 100):
    """The oldest overdue activities first, with what each row shows fetched in the same query."""
    return (
        activities.filter(status=Activity.Status.PLANNED, due_on__lt=today)
        .select_related("item__document", "assignee_party", "assignee_user", "school_class")
        .order_by("due_on", "pk")[:limit]
    )


def home_visit_coverage(activities) -> list[dict]:
    """Per class: students to visit (the per-student activities' obligations) and visits logged.

    A student visited twice for the same occurrence counts once, and no occurrence counts for
    more than its obligation; both rules are applied in SQL.
    """
    covered = (
        Record.objects.filter(activity=OuterRef("pk"), student__isnull=False)
        .order_by()
        .values("activity")
        .annotate(n=Count("student", distinct=True))
        .values("n")
    )
    per_student = activities.filter(obligations__gt=0).annotate(
        covered=Coalesce(Subquery(covered, output_field=IntegerField()), Value(0))
    )
    rows = (
        per_student.values("school_class_id", "school_class__name")
        .annotate(
            due=Sum("obligations"),
            visited=Sum(Least("covered", "obligations", output_field=IntegerField())),
            occurrences=Count("pk"),
        )
        .order_by("school_class__grade", "school_class__name")
    )
    out = []
    for r in rows:
        rate = round(100 * r["visited"] / r["due"], 1) if r["due"] else None
        out.append({**r, "label": r["school_class__name"] or _("(Toàn trường)"), "rate": rate})
    return out


# -- charts ------------------------------------------------------------------------------------


@dataclass
class Segment:
    x: float
    width: float
    value: float
    css: str
    label: str


@dataclass
class Bar:
    label: str
    short_label: str
    y: float
    segments: list[Segment]
    marker_x: float | None = None
    text: str = ""
    text_x: float = 0


@dataclass
class Chart:
    key: str
    title: str
    legend: list[tuple[str, str]]  # (css class, label)
    headers: list[str]
    table: list[list]
    bars: list[Bar] = field(default_factory=list)
    width: int = LABEL_WIDTH + BAR_WIDTH + 70
    height: int = 0
    note: str = ""

    def svg_bars(self) -> str:
        """The bars as SVG elements. Built here rather than in the template: a school's
        dashboard has a few thousand of them and the template loops cost more than the queries."""
        out = []
        for bar in self.bars:
            label = escape(bar.label)
            parts = [
                f'<g class="bar"><title>{label}: {escape(bar.text)}</title>'
                f'<text class="label" x="4" y="{bar.y + 17}">{escape(bar.short_label)}</text>'
            ]
            parts += [
                f'<rect class="{seg.css}" x="{seg.x}" y="{bar.y + 4}" width="{seg.width}" '
                f'height="18"><title>{escape(seg.label)}: {seg.value}</title></rect>'
                for seg in bar.segments
            ]
            if bar.marker_x:
                parts.append(
                    f'<line class="goal" x1="{bar.marker_x}" x2="{bar.marker_x}" '
                    f'y1="{bar.y + 1}" y2="{bar.y + 25}"></line>'
                )
            parts.append(
                f'<text class="value" x="{bar.text_x}" y="{bar.y + 17}">{escape(bar.text)}</text></g>'
            )
            out.append("".join(parts))
        return mark_safe("\n".join(out))  # noqa: S308 - every text above is escaped

    def table_rows(self) -> str:
        """The numbers behind the chart as table rows (dates as dd/mm/yyyy, blanks as —)."""

        def cell(value, first: bool) -> str:
            if value is None:
                text = "—"
            elif isinstance(value, dt.date):
                text = value.strftime("%d/%m/%Y")
            else:
                text = escape(str(value))
            return f"<td>{text}</td>" if first else f'<td class="num">{text}</td>'

        rows = (
            "<tr>" + "".join(cell(v, n == 0) for n, v in enumerate(row)) + "</tr>"
            for row in self.table
        )
        return mark_safe("".join(rows))  # noqa: S308 - every cell above is escaped

    @property
    def empty(self) -> bool:
        return not self.table


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _stacked(key, title, rows, series, headers, table, note="") -> Chart:
    """Horizontal stacked bars, every bar on the scale of the longest."""
    chart = Chart(
        key=key,
        title=title,
        legend=[(css, label) for _k, css, label in series],
        headers=headers,
        table=table,
        note=note,
    )
    longest = max((sum(r[k] or 0 for k, _c, _l in series) for r in rows), default=0) or 1
    for index, r in enumerate(rows):
        x = LABEL_WIDTH
        segments = []
        for k, css, label in series:
            width = BAR_WIDTH * (r[k] or 0) / longest
            if width:
                segments.append(
                    Segment(x=round(x, 1), width=round(width, 1), value=r[k], css=css, label=label)
                )
            x += width
        total = sum(r[k] or 0 for k, _c, _l in series)
        chart.bars.append(
            Bar(
                label=r["label"],
                short_label=_short(r["label"]),
                y=TOP + index * ROW_HEIGHT,
                segments=segments,
                text=str(total),
                text_x=round(x + 6, 1),
            )
        )
    chart.height = TOP + len(rows) * ROW_HEIGHT + 10
    return chart


def _status_series():
    return [
        ("done", "done", _("Đã thực hiện")),
        ("partly", "partly", _("Một phần")),
        ("missed", "missed", _("Không thực hiện")),
        ("overdue", "overdue", _("Quá hạn")),
        ("upcoming", "upcoming", _("Chưa đến hạn")),
    ]


def _status_table(rows, first_header):
    headers = [first_header] + [label for _k, _c, label in _status_series()] + [_("Tổng")]
    table = [[r["label"]] + [r[k] for k, _c, _l in _status_series()] + [r["total"]] for r in rows]
    return headers, table


def section_chart(activities, today) -> Chart:
    rows = progress_by_section(activities, today)
    headers, table = _status_table(rows, _("Mục"))
    return _stacked(
        "sections", _("Tiến độ theo mục của kế hoạch"), rows, _status_series(), headers, table
    )


def party_chart(activities, today) -> Chart:
    rows = progress_by_party(activities, today)
    headers, table = _status_table(rows, _("Tổ chức chủ trì"))
    return _stacked(
        "parties", _("Tiến độ theo tổ chức phối hợp"), rows, _status_series(), headers, table
    )


def coverage_chart(activities) -> Chart:
    rows = home_visit_coverage(activities)
    for r in rows:
        r["remaining"] = max(0, (r["due"] or 0) - (r["visited"] or 0))
    series = [("visited", "done", _("Đã thăm")), ("remaining", "upcoming", _("Chưa thăm"))]
    headers = [_("Lớp"), _("Lượt cần thăm"), _("Đã thăm"), _("Tỷ lệ (%)")]
    table = [[r["label"], r["due"], r["visited"], r["rate"]] for r in rows]
    return _stacked(
        "coverage",
        _("Thăm hỏi gia đình học sinh"),
        rows,
        series,
        headers,
        table,
        note=_("Lượt cần thăm: số học sinh của các hoạt động theo từng học sinh."),
    )


def target_chart(unit, today) -> Chart:
    targets = (
        Target.objects.filter(document__unit=unit)
        .exclude(document__status="superseded")
        .order_by("document_id", "position", "pk")
    )
    rows = target_metrics.target_rows(targets, today)
    chart = Chart(
        key="targets",
        title=_("Chỉ tiêu"),
        legend=[("done", _("Đạt")), ("overdue", _("Chưa đạt")), ("goal", _("Mức chỉ tiêu"))],
        headers=[_("Chỉ tiêu"), _("Mức"), _("Kết quả"), _("Ngày đo"), _("Đánh giá")],
        table=[[r.target.text, r.goal, r.value, r.measured_on, r.status_label] for r in rows],
    )
    for index, r in enumerate(rows):
        goal = float(r.target.value) if r.target.value is not None else None
        value = float(r.value) if r.value is not None else None
        # Each bar on its own scale (percentages and head counts share the chart).
        scale = max(goal or 0, value or 0) * 1.1 or 1
        segments = []
        if value is not None:
            segments.append(
                Segment(
                    x=LABEL_WIDTH,
                    width=round(BAR_WIDTH * value / scale, 1),
                    value=value,
                    css="done" if r.met else "overdue",
                    label=r.status_label,
                )
            )
        chart.bars.append(
            Bar(
                label=r.target.text,
                short_label=_short(r.target.text),
                y=TOP + index * ROW_HEIGHT,
                segments=segments,
                marker_x=round(LABEL_WIDTH + BAR_WIDTH * goal / scale, 1) if goal else None,
                text=f"{plain_number(r.value)} / {r.goal}" if r.value is not None else r.goal,
                text_x=LABEL_WIDTH + BAR_WIDTH + 6
                if value is None
                else round(LABEL_WIDTH + BAR_WIDTH * value / scale + 6, 1),
            )
        )
    chart.height = TOP + len(rows) * ROW_HEIGHT + 10
    return chart


@dataclass
class Dashboard:
    unit: object
    today: dt.date
    charts: list[Chart]
    overdue: list
    overdue_count: int
    year: object = None


def build(unit, today: dt.date, year=None) -> Dashboard:
    year = year or current_school_year(unit, today)
    activities = activities_of(unit, today, year)
    charts = [
        section_chart(activities, today),
        party_chart(activities, today),
        target_chart(unit, today),
        coverage_chart(activities),
    ]
    late = activities.filter(status=Activity.Status.PLANNED, due_on__lt=today)
    return Dashboard(
        unit=unit,
        today=today,
        charts=charts,
        overdue=list(overdue(activities, today)),
        overdue_count=late.count(),
        year=year,
    )


def chart(unit, key: str, today: dt.date, year=None) -> Chart:
    activities = activities_of(unit, today, year)
    if key == "sections":
        return section_chart(activities, today)
    if key == "parties":
        return party_chart(activities, today)
    if key == "targets":
        return target_chart(unit, today)
    if key == "coverage":
        return coverage_chart(activities)
    raise KeyError(key)


def to_xlsx(chart_: Chart, unit, today: dt.date) -> bytes:
    """The numbers behind one chart as a workbook: a title line, then the table."""
    import openpyxl
    from openpyxl.styles import Font

    from phoihop.xlsx import append_row

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = chart_.key
    append_row(sheet, [f"{chart_.title} — {unit.name} — {today:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [str(h) for h in chart_.headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in chart_.table:
        append_row(sheet, row)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
