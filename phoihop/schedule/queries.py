"""Querysets shaped for the calendar pages, the feeds and the monthly work calendar.

Every function takes a :class:`~phoihop.units.scoping.Scope` (or a queryset that came from one),
so what a user may see is still decided in ``units.scoping`` alone; this module only narrows.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from phoihop.documents.models import ItemParty
from phoihop.schedule.models import Activity, DayOff, SchoolYear
from phoihop.schedule.services import day_off_names
from phoihop.units.scoping import Scope

ONE_DAY = dt.timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar month."""
    return dt.date(year, month, 1), dt.date(year, month, std_calendar.monthrange(year, month)[1])


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding ``day`` (Vietnamese weeks start on Monday)."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def with_related(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """What every calendar row shows, fetched in the same query."""
    return activities.select_related(
        "item__document", "assignee_party", "assignee_user", "school_class"
    )


def party_takes_part(party_ids) -> Exists:
    """Activities whose item names one of ``party_ids``, as lead or as cooperating party.

    A party's calendar is what it coordinates on, not only what it leads (a ward's police is
    "ph/h" on the school's traffic-safety talks and wants them in its calendar too).
    """
    return Exists(ItemParty.objects.filter(item=OuterRef("item_id"), party_id__in=party_ids))


def for_party(activities: QuerySet[Activity], party_id: int) -> QuerySet[Activity]:
    return activities.filter(party_takes_part([party_id]))


def mine(scope: Scope) -> QuerySet[Activity]:
    """The signed-in user's own work: assigned to them, for their homeroom class, or (for
    activities not tied to a class) of a party they act for.

    Per-class activities go to the class's homeroom teacher only, so a GVCN acting for the
    "gvcn" party does not get every other class's home visits.
    """
    acting = list(scope.acting_party_ids)
    own = Q(assignee_user_id=getattr(scope.user, "pk", None))
    if scope.homeroom_class_ids:
        own |= Q(school_class_id__in=list(scope.homeroom_class_ids))
    if acting:
        own |= Q(school_class__isnull=True) & Q(party_takes_part(acting))
    return scope.activities().filter(own)


@dataclass
class DayMarks:
    """What the school calendar says about the days of a range: days off and the Tết break."""

    days_off: dict[dt.date, str] = field(default_factory=dict)
    tet_days: set[dt.date] = field(default_factory=set)
    years: list[SchoolYear] = field(default_factory=list)

    def name(self, day: dt.date) -> str:
        return self.days_off.get(day, "")

    def is_tet(self, day: dt.date) -> bool:
        return day in self.tet_days


def day_marks(scope: Scope, first: dt.date, last: dt.date, *, unit=None) -> DayMarks:
    """Days off and Tết break between ``first`` and ``last``, from the school years of the
    documents the user sees (the activities' school years); the national default frame when
    none of them covers the range. Two queries at most, plus one for the days off.
    """
    documents = scope.documents().filter(
        school_year__starts_on__lte=last, school_year__ends_on__gte=first
    )
    if unit is not None:
        documents = documents.filter(unit=unit)
    days_off = Prefetch("days_off", queryset=DayOff.objects.filter(date__range=(first, last)))
    years = list(
        SchoolYear.objects.filter(pk__in=documents.values("school_year_id"))
        .prefetch_related(days_off)
        .order_by("pk")
    )
    if not years:
        years = list(
            SchoolYear.objects.filter(unit__isnull=True, starts_on__lte=last, ends_on__gte=first)
            .prefetch_related(days_off)
            .order_by("pk")
        )
    marks = DayMarks(years=years)
    for year in years:
        for day, name in day_off_names(year, year.days_off.all()).items():
            marks.days_off.setdefault(day, name)
        if year.tet_break_starts_on and year.tet_break_ends_on:
            day = max(year.tet_break_starts_on, first)
            while day <= min(year.tet_break_ends_on, last):
                marks.tet_days.add(day)
                day += ONE_DAY
    return marks
