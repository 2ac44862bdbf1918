"""The activity tally stays equal to a recount whatever writes the activities and records: the
services, bulk writes, queryset updates, cascades; on SQLite and PostgreSQL alike."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phoihop.reviews import tally
from phoihop.reviews.models import ActivityTally
from phoihop.schedule.models import Activity
from phoihop.tracking.models import Record
from phoihop.tracking.services import record_activity
from tests import factories as f

DAYS = [dt.date(2025, 10, 14), dt.date(2025, 10, 15), dt.date(2025, 11, 3)]
STATUSES = [s.value for s in Activity.Status]


def _buckets(unit):
    """The day rows of ``unit``, by day."""
    return {
        t.day: (t.total, t.done, t.planned, t.obligations, t.visits)
        for t in ActivityTally.objects.filter(unit=unit, month=False)
    }


def test_services_keep_the_tally(world):
    a = world.a
    assert not tally.check()
    day = a.activity.due_on
    before = _buckets(a.unit).get(day, (0, 0, 0, 0, 0))
    visit = f.ActivityFactory(
        item=a.union_item, school_class=a.school_class, obligations=2, due_on=day, key="visit"
    )
    record_activity(visit, a.homeroom, done_on=day, student=a.student)
    classmate = f.StudentFactory(unit=a.unit, school_class=a.school_class)
    record_activity(visit, a.homeroom, done_on=day, student=classmate)
    total, done, planned, obligations, visits = _buckets(a.unit)[day]
    assert (total - before[0], obligations - before[3], visits - before[4]) == (1, 2, 2)
    assert not tally.check()

    visit.status = Activity.Status.CANCELLED
    visit.save()
    assert _buckets(a.unit).get(day, (0, 0, 0, 0, 0)) == before
    visit.delete()
    assert not tally.check()


def test_bulk_and_cascading_writes_keep_the_tally(world):
    a, b = world.a, world.b
    item = a.union_item
    made = Activity.objects.bulk_create(
        Activity(
            item=item,
            unit=a.unit,
            key=f"bulk-{n}",
            title="Thăm gia đình",
            school_class=a.school_class,
            window_starts_on=DAYS[0],
            window_ends_on=DAYS[n % 3],
            due_on=DAYS[n % 3],
            obligations=3,
        )
        for n in range(9)
    )
    Record.objects.bulk_create(
        Record(activity=act, done_on=DAYS[0], student=a.student) for act in made
    )
    assert _buckets(a.unit)[DAYS[0]][4] >= 3
    Activity.objects.filter(pk__in=[x.pk for x in made[:3]]).update(status="done")
    Activity.objects.filter(pk__in=[x.pk for x in made[3:6]]).update(due_on=DAYS[2])
    Activity.objects.filter(pk=made[6].pk).update(unit=b.unit)
    Record.objects.filter(activity=made[7]).update(student=None)
    assert not tally.check()
    a.student.delete()  # cascades to its records
    assert not tally.check()
    a.document.delete()  # cascades to items, activities, records
    assert not tally.check()
    assert not ActivityTally.objects.filter(unit=a.unit).exists()
    assert ActivityTally.objects.filter(unit=b.unit).exists()


operation = st.one_of(
    st.tuples(
        st.just("add"),
        st.integers(0, 1),
        st.sampled_from(DAYS),
        st.sampled_from(STATUSES),
        st.integers(0, 3),
    ),
    st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES)),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(DAYS)),
    st.tuples(st.just("obligations"), st.integers(0, 50), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("visit"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("unvisit"), st.integers(0, 50)),
    st.tuples(st.just("reassign"), st.integers(0, 50), st.integers(0, 50)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(operation, max_size=25))
def test_any_sequence_of_writes_keeps_the_tally(world, operations):
    units = [world.a, world.b]
    activities = list(Activity.objects.order_by("pk"))
    for op in operations:
        records = list(Record.objects.order_by("pk"))
        kind = op[0]
        if kind == "add":
            school = units[op[1]]
            activities.append(
                f.ActivityFactory(
                    item=school.union_item,
                    school_class=school.school_class,
                    due_on=op[2],
                    status=op[3],
                    obligations=op[4],
                )
            )
            continue
        if not activities:
            continue
        activity = activities[op[1] % len(activities)]
        if kind == "status":
            activity.status = op[2]
            activity.save()
        elif kind == "move":
            Activity.objects.filter(pk=activity.pk).update(due_on=op[2])
        elif kind == "obligations":
            activity.obligations = op[2]
            activity.save(update_fields=["obligations"])
        elif kind == "delete":
            activity.delete()
            activities.remove(activity)
        elif kind == "visit":
            student = world.a.student if op[2] else None
            Record.objects.create(activity=activity, done_on=DAYS[0], student=student)
        elif kind == "unvisit" and records:
            records[op[1] % len(records)].delete()
        elif kind == "reassign" and records:
            record = records[op[2] % len(records)]
            record.activity = activity
            record.save()
        for a in activities:
            a.refresh_from_db()
    drift = tally.check()
    assert not drift, drift


def test_rebuild_and_check_command(world, capsys):
    f.ActivityFactory(item=world.a.union_item, due_on=DAYS[1], obligations=4)
    with connection.cursor() as cursor:  # corrupt it behind the triggers' back
        cursor.execute(f"UPDATE {tally.TALLY} SET total = total + 5")
    assert tally.check()
    with pytest.raises(SystemExit) as exit_:
        call_command("tally", "--check")
    assert exit_.value.code == 1
    assert "lệch" in capsys.readouterr().err
    call_command("tally", "--rebuild")
    assert not tally.check()
    call_command("tally", "--check")
    assert "khớp" in capsys.readouterr().out


def test_paused_recounts_once_at_the_end(world):
    with tally.paused():
        f.ActivityFactory(item=world.a.union_item, due_on=DAYS[2], obligations=1)
        assert not ActivityTally.objects.filter(unit=world.a.unit, day=DAYS[2]).exists()
    assert ActivityTally.objects.get(unit=world.a.unit, month=False, day=DAYS[2]).total == 1
    assert not tally.check()
    f.ActivityFactory(item=world.a.union_item, due_on=DAYS[2])  # the triggers are back
    assert ActivityTally.objects.get(unit=world.a.unit, month=False, day=DAYS[2]).total == 2
    month = ActivityTally.objects.get(unit=world.a.unit, month=True, day=DAYS[2].replace(day=1))
    assert (
        month.total
        == Activity.objects.filter(unit=world.a.unit, due_on__month=11, due_on__year=2025)
        .exclude(status="cancelled")
        .count()
    )


def _day(n: int) -> dt.date:
    return dt.date(2025, 8, 1) + dt.timedelta(days=n)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    due=st.lists(st.tuples(st.integers(0, 400), st.sampled_from(STATUSES)), max_size=30),
    start=st.none() | st.integers(0, 400),
    length=st.none() | st.integers(0, 400),
    today=st.integers(0, 420),
)
def test_rollup_sums_match_the_activities_for_any_range(world, due, start, length, today):
    """Whole months plus cut days add up to exactly the activities due in any range, and the
    overdue ones to exactly those planned before today."""
    from phoihop.reviews.rollup import activity_figures

    school = world.b
    Activity.objects.filter(unit=school.unit).delete()
    Activity.objects.bulk_create(
        Activity(
            item=school.union_item,
            unit=school.unit,
            key=f"k{n}",
            title="Hoạt động",
            window_starts_on=_day(d),
            window_ends_on=_day(d),
            due_on=_day(d),
            status=status,
            obligations=n % 3,
        )
        for n, (d, status) in enumerate(due)
    )
    low = None if start is None else _day(start)
    high = None if length is None else _day((start or 0) + length)
    year = None
    if low is not None and high is not None:
        year = f.SchoolYearFactory.build(starts_on=low, ends_on=high)
    elif low is not None or high is not None:
        return  # the roll-up's years always have both ends
    figures = activity_figures([school.unit.pk], _day(today), year)
    total, done, overdue, visits_due, _visits = figures.get(school.unit.pk, [0, 0, 0, 0, 0])
    expected = Activity.objects.filter(unit=school.unit).exclude(status="cancelled")
    if year is not None:
        expected = expected.filter(due_on__range=(low, high))
    assert total == expected.count()
    assert done == expected.filter(status="done").count()
    assert overdue == expected.filter(status="planned", due_on__lt=_day(today)).count()
    assert visits_due == sum(expected.values_list("obligations", flat=True))


@given(
    start=st.none() | st.integers(0, 800),
    end=st.none() | st.integers(0, 800),
    days=st.lists(st.integers(0, 800), max_size=60),
)
def test_spans_count_every_day_of_the_range_once(start, end, days):
    low = None if start is None else _day(start)
    high = None if end is None else _day(end)

    def inside(span, row_day):
        return (span.low is None or span.low <= row_day) and (
            span.high is None or row_day < span.high
        )

    for n in days:
        day = _day(n)
        rows = [(False, day), (True, day.replace(day=1))]  # as the tally keeps it
        hits = sum(
            1
            for span in tally.spans(low, high)
            for month, row in rows
            if span.month == month and inside(span, row)
        )
        wanted = (low is None or low <= day) and (high is None or day <= high)
        assert hits == (1 if wanted else 0), (low, high, day, tally.spans(low, high))


# -- two transactions at once (PostgreSQL) ------------------------------------------------------


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deadlocks are PostgreSQL's; SQLite has one writer at a time")


def _wait_for_a_blocked_transaction(who: str) -> None:
    """Poll until some transaction waits on a lock (pg_locks is read live, not from a snapshot)."""
    deadline, waiting = time.monotonic() + 30, 0
    with connection.cursor() as cursor:
        while not waiting and time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            waiting = cursor.fetchone()[0]
    assert waiting, f"{who} never waited"


def _in_thread(work, errors: list) -> threading.Thread:
    """Run ``work`` in its own thread (hence its own database connection)."""

    def run():
        try:
            work()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _visit_activities(*days):
    school_class = f.SchoolClassFactory()
    student = f.StudentFactory(unit=school_class.unit, school_class=school_class)
    item = f.ItemFactory(document=f.DocumentFactory(unit=school_class.unit))
    activities = [
        f.ActivityFactory(
            item=item, key=f"k{n}", school_class=school_class, obligations=1, due_on=day
        )
        for n, day in enumerate(days)
    ]
    return student, activities


@pytest.mark.django_db(transaction=True)
def test_a_visit_recorded_while_the_plan_is_rescheduled_waits_instead_of_deadlocking():
    """The rescheduling transaction deletes an activity of October 14, then one of October 20;
    in between, a teacher records a visit on another activity of October 20. Both touch the
    October row and the October 20 row; taken in the same order (month first) the teacher waits
    for the rescheduling, where the opposite order would deadlock."""
    _postgres_only()
    student, (first, visited, second) = _visit_activities(
        dt.date(2025, 10, 14), dt.date(2025, 10, 20), dt.date(2025, 10, 20)
    )
    started, errors = threading.Event(), []

    def record_visit():
        started.wait(timeout=30)
        with transaction.atomic():
            Record.objects.create(activity=visited, student=student, done_on=DAYS[0])

    teacher = _in_thread(record_visit, errors)
    with transaction.atomic():
        first.delete()
        started.set()
        _wait_for_a_blocked_transaction("the teacher's transaction")
        second.delete()
    teacher.join(timeout=60)
    assert not errors, errors
    assert Record.objects.filter(activity=visited).count() == 1
    assert not tally.check()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["move", "visit"])
def test_a_visit_recorded_while_its_activity_moves_counts_once_in_the_new_month(first):
    """A teacher records a visit while the principal moves the activity from October to November,
    in either order: the visit ends up counted once, in November."""
    _postgres_only()
    student, (activity,) = _visit_activities(dt.date(2025, 10, 20))
    go, errors = threading.Event(), []

    def move():
        with transaction.atomic():
            Activity.objects.filter(pk=activity.pk).update(due_on=dt.date(2025, 11, 20))
            go.set()
            if first == "move":
                _wait_for_a_blocked_transaction("the teacher's transaction")

    def visit():
        with transaction.atomic():
            Record.objects.create(activity=activity, student=student, done_on=DAYS[0])
            go.set()
            if first == "visit":
                _wait_for_a_blocked_transaction("the move")

    leader, follower = (move, visit) if first == "move" else (visit, move)
    thread = _in_thread(leader, errors)
    go.wait(timeout=30)
    follower()
    thread.join(timeout=60)
    assert not errors, errors
    assert not tally.check(), tally.check()
    november = ActivityTally.objects.get(month=True, day=dt.date(2025, 11, 1))
    assert (november.total, november.visits) == (1, 1)
    assert not ActivityTally.objects.filter(day__month=10).exists()
