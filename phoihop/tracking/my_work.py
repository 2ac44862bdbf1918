""" "Việc của tôi": what one person has to do now, across every hat they wear.

A teacher may act for the union, lead a class and be named on an activity, all at once; the page
must gather that in one place, or the reminder-free Word plan wins again. Leaders also look at
the same buckets for one party or one class of their school (the filter).

The page costs a fixed number of queries whatever the data: one for the activities of the three
buckets, one for the per-student progress of those shown, plus the scope's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from phoihop.schedule.models import Activity
from phoihop.tracking.models import Record

COMING_DAYS = 30
BUCKET_LIMIT = 100
OPEN = (Activity.Status.PLANNED, Activity.Status.PARTLY)


@dataclass
class Bucket:
    activities: list = field(default_factory=list)
    total: int = 0

    @property
    def truncated(self) -> bool:
        return self.total > len(self.activities)


@dataclass
class MyWork:
    today: dt.date
    week_starts_on: dt.date
    week_ends_on: dt.date
    horizon: dt.date
    overdue: Bucket
    this_week: Bucket
    coming: Bucket


def own_work_q(scope) -> Q:
    """The activities that are this user's to do.

    Per-class work is the homeroom teacher's, not everyone's who acts for the GVCN party; other
    work is that of the parties the user acts for, or names them.
    """
    q = Q(assignee_user_id=getattr(scope.user, "pk", None))
    if scope.homeroom_class_ids:
        q |= Q(school_class_id__in=scope.homeroom_class_ids)
    if scope.acting_party_ids:
        q |= Q(assignee_party_id__in=scope.acting_party_ids, school_class__isnull=True)
    return q


def my_work(scope, today: dt.date, *, party=None, school_class=None) -> MyWork:
    """The user's overdue, this week's and coming activities (or one party's / one class's)."""
    activities = scope.activities()
    if party is not None:
        activities = activities.filter(assignee_party=party)
    elif school_class is not None:
        activities = activities.filter(school_class=school_class)
    else:
        activities = activities.filter(own_work_q(scope))
    week_start = today - dt.timedelta(days=today.weekday())
    week_end = week_start + dt.timedelta(days=6)
    horizon = max(today + dt.timedelta(days=COMING_DAYS), week_end)
    rows = (
        activities.exclude(status=Activity.Status.CANCELLED)
        .filter(
            Q(due_on__lt=today, status=Activity.Status.PLANNED)
            | Q(due_on__gte=week_start, due_on__lte=week_end)
            | Q(due_on__gt=week_end, due_on__lte=horizon, status__in=OPEN)
        )
        .select_related("item__document", "assignee_party", "school_class")
        .order_by("due_on", "pk")
    )
    overdue, this_week, coming = Bucket(), Bucket(), Bucket()
    for activity in rows:
        if activity.due_on < today and activity.status == Activity.Status.PLANNED:
            bucket = overdue
        elif activity.due_on <= week_end:
            bucket = this_week
        else:
            bucket = coming
        bucket.total += 1
        if len(bucket.activities) < BUCKET_LIMIT:
            bucket.activities.append(activity)
    _attach_progress(overdue.activities + this_week.activities + coming.activities)
    return MyWork(today, week_start, week_end, horizon, overdue, this_week, coming)


def _attach_progress(activities: list) -> None:
    """``covered``: how many students of a per-student activity already have a record."""
    per_student = [a.pk for a in activities if a.obligations]
    counts = {}
    if per_student:
        counts = dict(
            Record.objects.filter(activity_id__in=per_student, student__isnull=False)
            .values("activity_id")
            .annotate(n=Count("student", distinct=True))
            .values_list("activity_id", "n")
        )
    for activity in activities:
        activity.covered = counts.get(activity.pk, 0)
