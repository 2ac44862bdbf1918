"""School-year frames and scheduling, each change in one transaction."""

from __future__ import annotations

from django.db import transaction

from phoihop.core import calendar as core_calendar
from phoihop.schedule.models import DayOff, SchoolYear
from phoihop.units.models import Unit


@transaction.atomic
def ensure_school_year(label: str, unit: Unit | None = None) -> SchoolYear:
    """Return the school year ``label`` for ``unit`` (national default when None), creating it
    from the core calendar's default frame the first time it is asked for."""
    existing = SchoolYear.objects.filter(unit=unit, label=label).first()
    if existing:
        return existing
    frame = core_calendar.get_school_year(label)
    year = SchoolYear.objects.create(
        unit=unit,
        label=frame.label,
        starts_on=frame.start,
        opens_on=frame.opening,
        semester1_ends_on=frame.semester1_end,
        semester2_starts_on=frame.semester2_start,
        ends_on=frame.end,
        tet_break_starts_on=frame.tet_break_start,
        tet_break_ends_on=frame.tet_break_end,
        source=frame.source[:300],
        derived=frame.derived,
    )
    DayOff.objects.bulk_create(
        DayOff(school_year=year, date=day.day, name=day.name[:120]) for day in frame.days_off
    )
    return year
