"""Targets (chỉ tiêu) against what happened: computed where the data exists, entered otherwise.

A plan promises "duy trì sĩ số đạt 100 %"; the student list already knows who was enrolled at the
start of the year and who has left, so retention is computed, month by month, and nobody types it
in. Other targets ("90 % giáo viên đạt chuẩn") are entered with a date, a note and a link to the
evidence, as ``TargetMeasurement`` rows. Either way each target is shown against its comparator
and value: met, not met, or not measured yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from phoihop.documents.models import Target, TargetMeasurement
from phoihop.tracking.students_import import current_school_year, fold

RETENTION = "retention"
_RETENTION_WORDS = ("duy tri si so", "ty le duy tri", "duy tri ti le")


def computed_metric(target: Target) -> str | None:
    """The metric the software can compute for this target, if any."""
    if target.metric in (RETENTION, "duy_tri_si_so"):
        return RETENTION
    if target.unit_label.strip() == "%" and any(w in fold(target.text) for w in _RETENTION_WORDS):
        return RETENTION
    return None


def is_met(value: Decimal | None, comparator: str, goal: Decimal | None) -> bool | None:
    """Whether ``value`` satisfies "comparator goal"; None when there is nothing to compare.

    "Đạt 100 %" (=) is met by reaching the value: more than promised still counts as met.
    """
    if value is None or goal is None:
        return None
    if comparator in ("<=", "<"):
        return value <= goal if comparator == "<=" else value < goal
    if comparator == ">":
        return value > goal
    return value >= goal


@dataclass
class Retention:
    start: dt.date
    as_of: dt.date
    at_start: int
    still: int

    @property
    def rate(self) -> Decimal | None:
        if not self.at_start:
            return None
        return (Decimal(self.still * 100) / self.at_start).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


def _students_of(unit):
    """Students of a school, or of every school below an office (a roll-up)."""
    from phoihop.tracking.models import Student

    if unit.is_office:
        return Student.objects.filter(unit__path__startswith=unit.path)
    return Student.objects.filter(unit=unit)


def _enrolled_on(day: dt.date) -> Q:
    return (Q(enrolled_on__isnull=True) | Q(enrolled_on__lte=day)) & (
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def retention_series(unit, start: dt.date, points: list[dt.date]) -> list[Retention]:
    """Retention (students still enrolled / enrolled at ``start``) at each of ``points``, in one
    aggregate query: the cohort is the students enrolled at the start; transfers in do not raise
    the rate, leavers lower it."""
    at_start = _enrolled_on(start)
    aggregates = {"base": Count("pk", filter=at_start)}
    for index, point in enumerate(points):
        aggregates[f"p{index}"] = Count(
            "pk", filter=at_start & (Q(left_on__isnull=True) | Q(left_on__gt=point))
        )
    counts = _students_of(unit).aggregate(**aggregates)
    return [
        Retention(start=start, as_of=point, at_start=counts["base"], still=counts[f"p{index}"])
        for index, point in enumerate(points)
    ]


def retention(unit, start: dt.date, as_of: dt.date) -> Retention:
    return retention_series(unit, start, [as_of])[0]


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from ``start`` to ``end``, and ``end`` itself."""
    points = []
    year, month = start.year, start.month
    while True:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        if last >= end:
            break
        points.append(last)
        year, month = following.year, following.month
    points.append(end)
    return points


def year_window(target: Target, today: dt.date) -> tuple[dt.date, dt.date]:
    """The start of the target's school year and the day measured to (today, or the year's end)."""
    year = target.document.school_year or current_school_year(target.document.unit, today)
    if year is not None:
        return year.starts_on, min(today, year.ends_on)
    start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 5)
    return start, today


@dataclass
class TargetRow:
    target: Target
    value: Decimal | None = None
    measured_on: dt.date | None = None
    computed: bool = False
    detail: str = ""
    met: bool | None = None
    history: list[tuple[dt.date, Decimal | None, str]] = field(default_factory=list)

    @property
    def goal(self) -> str:
        return self.target.goal

    @property
    def status_label(self) -> str:
        if self.met is None:
            return _("Chưa đo")
        return _("Đạt") if self.met else _("Chưa đạt")


def _retention_detail(r: Retention) -> str:
    return _("%(still)s / %(base)s học sinh còn theo học (tính từ ngày %(start)s)") % {
        "still": r.still,
        "base": r.at_start,
        "start": r.start.strftime("%d/%m/%Y"),
    }


def target_rows(targets, today: dt.date) -> list[TargetRow]:
    """Each target with its latest value and whether it is met.

    Entered values come with the targets in one query (latest measurement as a subquery);
    computed ones cost one aggregate query per distinct (unit, school year), not per target.
    """
    latest = TargetMeasurement.objects.filter(target=OuterRef("pk")).order_by("-measured_on", "-pk")
    targets = targets.select_related("document__school_year", "document__unit").annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )
    cache: dict[tuple, Retention] = {}
    rows = []
    for target in targets:
        row = TargetRow(target=target)
        if computed_metric(target) == RETENTION:
            start, as_of = year_window(target, today)
            key = (target.document.unit_id, start, as_of)
            if key not in cache:
                cache[key] = retention(target.document.unit, start, as_of)
            r = cache[key]
            if r.at_start:
                row.value, row.measured_on, row.computed = r.rate, as_of, True
                row.detail = _retention_detail(r)
        if row.value is None and target.latest_value is not None:
            row.value, row.measured_on = target.latest_value, target.latest_on
        row.met = is_met(row.value, target.comparator, target.value)
        rows.append(row)
    return rows


def target_detail(target: Target, today: dt.date) -> TargetRow:
    """One target with its history: the computed month-end series and every stored measurement."""
    row = target_rows(Target.objects.filter(pk=target.pk), today)[0]
    history: list[tuple[dt.date, Decimal | None, str]] = []
    if computed_metric(target) == RETENTION:
        start, as_of = year_window(target, today)
        if as_of >= start:
            for r in retention_series(target.document.unit, start, month_ends(start, as_of)):
                history.append((r.as_of, r.rate, _retention_detail(r)))
    for m in target.measurements.order_by("measured_on", "pk"):
        history.append((m.measured_on, m.value, m.note))
    history.sort(key=lambda h: h[0])
    row.history = history
    return row


def record_measurement(
    target: Target,
    *,
    value: Decimal,
    measured_on: dt.date,
    note: str = "",
    evidence_url: str = "",
    user=None,
) -> TargetMeasurement:
    """An entered value with its evidence: the note, and a link to where the proof is kept."""
    text = note.strip()
    if evidence_url:
        text = (text + "\n" if text else "") + _("Minh chứng: %(url)s") % {"url": evidence_url}
    with transaction.atomic():
        return TargetMeasurement.objects.create(
            target=target, measured_on=measured_on, value=value, note=text, recorded_by=user
        )


def record_computed(target: Target, today: dt.date, user=None) -> TargetMeasurement | None:
    """Keep today's computed value as a measurement, for the review report's record."""
    row = target_rows(Target.objects.filter(pk=target.pk), today)[0]
    if not row.computed or row.value is None:
        return None
    return record_measurement(
        target, value=row.value, measured_on=row.measured_on, note=row.detail, user=user
    )
