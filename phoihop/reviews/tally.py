"""The activity tally (``ActivityTally``): which rows cover a date range, its triggers, recount
and check.

The roll-up of a province reads this table instead of grouping a million activities and joining
ten million records on every page view. Keeping it by database triggers rather than in the
services means every write path keeps it exact, including ``bulk_create``, ``QuerySet.update``,
Django's cascading deletes and the set-based generators.

Each activity counts in two rows of its school: its due day's and its due month's. A school year
is read as its whole months plus, for the months it only cuts, their days; "overdue" (planned
and due before today) likewise. So a province's school year costs about a dozen month rows and a
few dozen day rows per school, and every range still cuts between days, never inside one.

The trigger bodies are the same SQL statements on SQLite and PostgreSQL except for the month of
a date; only the wrapping differs (SQLite triggers hold statements, PostgreSQL triggers call a
PL/pgSQL function). Changing them needs a migration that calls ``install`` again.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Q

TALLY = "reviews_activitytally"
ACTIVITY = "schedule_activity"
RECORD = "tracking_record"
COLUMNS = "unit_id, month, day, total, done, planned, obligations, visits"
KEY = "unit_id, month, day"

# -- which rows cover a range -------------------------------------------------------------------


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Span:
    """Tally rows of one kind (month rows or day rows) whose ``day`` lies in [low, high)."""

    month: bool
    low: dt.date | None
    high: dt.date | None

    def q(self) -> Q:
        q = Q(month=self.month)
        if self.low is not None:
            q &= Q(day__gte=self.low)
        if self.high is not None:
            q &= Q(day__lt=self.high)
        return q


def spans(start: dt.date | None, end: dt.date | None) -> list[Span]:
    """The rows whose sum is exactly the activities due from ``start`` to ``end`` (both
    included; None for no bound): month rows for the months wholly inside, day rows for the days
    of the months the range only cuts."""
    if start is not None and end is not None and start > end:
        return []
    after_end = None if end is None else end + dt.timedelta(days=1)
    # Whole months run from first_whole (included) to after_whole (excluded).
    first_whole = start if start is None or start.day == 1 else _next_month(start)
    after_whole = after_end if after_end is None or after_end.day == 1 else end.replace(day=1)
    if first_whole is not None and after_whole is not None and first_whole >= after_whole:
        return [Span(False, start, after_end)]  # no whole month inside
    found = [Span(True, first_whole, after_whole)]
    if start is not None and start < first_whole:
        found.append(Span(False, start, first_whole))
    if after_end is not None and after_whole < after_end:
        found.append(Span(False, after_whole, after_end))
    return found


def cover(start: dt.date | None, end: dt.date | None) -> Q:
    """``spans`` as a filter on ``ActivityTally``; matches nothing for an empty range."""
    combined = Q(pk__in=[])
    for span in spans(start, end):
        combined |= span.q()
    return combined


# -- triggers -----------------------------------------------------------------------------------


def _month_of(date_sql: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"CAST(date_trunc('month', {date_sql}) AS date)"
    return f"date({date_sql}, 'start of month')"


def _visits_of(row: str) -> str:
    """The home-visit records of activity ``row`` (NEW or OLD) that count in its rows."""
    return (
        f"CASE WHEN {row}.obligations > 0 THEN (SELECT COUNT(*) FROM {RECORD} r "
        f"WHERE r.activity_id = {row}.id AND r.student_id IS NOT NULL) ELSE 0 END"
    )


def _periods(row: str, vendor: str) -> list[tuple[str, str]]:
    """(month flag, day) of the two rows an activity ``row`` counts in.

    Month row first, always: every writer then locks a school's rows in the same order (a
    month, then a day in it), so a visit recorded while the plan is rescheduled waits instead
    of deadlocking."""
    return [("TRUE", _month_of(f"{row}.due_on", vendor)), ("FALSE", f"{row}.due_on")]


def _add_activity(row: str, vendor: str) -> str:
    return "".join(
        f"""
        INSERT INTO {TALLY} ({COLUMNS})
        SELECT {row}.unit_id, {month}, {day}, 1,
               CASE WHEN {row}.status = 'done' THEN 1 ELSE 0 END,
               CASE WHEN {row}.status = 'planned' THEN 1 ELSE 0 END,
               {row}.obligations, {_visits_of(row)}
        WHERE {row}.status <> 'cancelled'
        ON CONFLICT ({KEY}) DO UPDATE SET
            total = {TALLY}.total + excluded.total,
            done = {TALLY}.done + excluded.done,
            planned = {TALLY}.planned + excluded.planned,
            obligations = {TALLY}.obligations + excluded.obligations,
            visits = {TALLY}.visits + excluded.visits;"""
        for month, day in _periods(row, vendor)
    )


def _remove_activity(row: str, vendor: str) -> str:
    statements = []
    for month, day in _periods(row, vendor):
        where = f"unit_id = {row}.unit_id AND month = {month} AND day = {day}"
        statements.append(f"""
        UPDATE {TALLY} SET
            total = total - 1,
            done = done - CASE WHEN {row}.status = 'done' THEN 1 ELSE 0 END,
            planned = planned - CASE WHEN {row}.status = 'planned' THEN 1 ELSE 0 END,
            obligations = obligations - {row}.obligations,
            visits = visits - {_visits_of(row)}
        WHERE {where} AND {row}.status <> 'cancelled';
        DELETE FROM {TALLY} WHERE {where} AND total = 0;""")
    return "".join(statements)


def _count_visit(row: str, sign: str, vendor: str) -> str:
    """One home-visit record ``row`` more (``+``) or less (``-``) in its activity's rows, when
    the activity counts visits and is not cancelled."""
    activity = f"FROM {ACTIVITY} a WHERE a.id = {row}.activity_id"
    due_on = f"(SELECT a.due_on {activity})"
    return "".join(
        f"""
        UPDATE {TALLY} SET visits = visits {sign} 1
        WHERE {row}.student_id IS NOT NULL
          AND unit_id = (SELECT a.unit_id {activity} AND a.obligations > 0
                         AND a.status <> 'cancelled')
          AND month = {month} AND day = {day};"""
        for month, day in [("TRUE", _month_of(due_on, vendor)), ("FALSE", due_on)]
    )


# The activity columns the rows depend on; an update touching none of them changes nothing.
ACTIVITY_FIELDS = ("unit_id", "due_on", "status", "obligations")
RECORD_FIELDS = ("activity_id", "student_id")


def _changed(fields: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{f} {distinct} NEW.{f}" for f in fields)


def _sqlite_triggers() -> dict[str, str]:
    v = "sqlite"
    return {
        "phoihop_tally_activity_insert": f"""
            CREATE TRIGGER phoihop_tally_activity_insert AFTER INSERT ON {ACTIVITY}
            BEGIN {_add_activity("NEW", v)} END""",
        "phoihop_tally_activity_delete": f"""
            CREATE TRIGGER phoihop_tally_activity_delete AFTER DELETE ON {ACTIVITY}
            BEGIN {_remove_activity("OLD", v)} END""",
        "phoihop_tally_activity_update": f"""
            CREATE TRIGGER phoihop_tally_activity_update
            AFTER UPDATE OF {", ".join(ACTIVITY_FIELDS)} ON {ACTIVITY}
            WHEN {_changed(ACTIVITY_FIELDS, "IS NOT")}
            BEGIN {_remove_activity("OLD", v)} {_add_activity("NEW", v)} END""",
        "phoihop_tally_record_insert": f"""
            CREATE TRIGGER phoihop_tally_record_insert AFTER INSERT ON {RECORD}
            BEGIN {_count_visit("NEW", "+", v)} END""",
        "phoihop_tally_record_delete": f"""
            CREATE TRIGGER phoihop_tally_record_delete AFTER DELETE ON {RECORD}
            BEGIN {_count_visit("OLD", "-", v)} END""",
        "phoihop_tally_record_update": f"""
            CREATE TRIGGER phoihop_tally_record_update
            AFTER UPDATE OF {", ".join(RECORD_FIELDS)} ON {RECORD}
            WHEN {_changed(RECORD_FIELDS, "IS NOT")}
            BEGIN {_count_visit("OLD", "-", v)} {_count_visit("NEW", "+", v)} END""",
    }


def _share_activity(row: str) -> str:
    """PostgreSQL: hold the record's activity steady while its visit is counted. Without it a
    visit recorded while another transaction moves or cancels the activity would be counted
    from a stale view of the activity, in the wrong month or twice (the foreign key is checked
    only at commit, so nothing else waits). Share locks do not block each other: teachers
    recording visits on one activity do not queue, only a change to the activity waits."""
    return f"""
        PERFORM 1 FROM {ACTIVITY} WHERE id = {row}.activity_id FOR SHARE;"""


def _postgres_function(name: str, table: str, add: str, remove: str, fields) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NOT ({_changed(fields, "IS DISTINCT FROM")}) THEN
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {remove}
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN {add}
            END IF;
            RETURN NULL;
        END $$""",
        f"""
        CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {", ".join(fields)}
        ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()""",
    ]


POSTGRES_TRIGGERS = (("phoihop_tally_activity", ACTIVITY), ("phoihop_tally_record", RECORD))


def _postgres_statements() -> list[str]:
    v = "postgresql"
    return [
        *_postgres_function(
            "phoihop_tally_activity",
            ACTIVITY,
            _add_activity("NEW", v),
            _remove_activity("OLD", v),
            ACTIVITY_FIELDS,
        ),
        *_postgres_function(
            "phoihop_tally_record",
            RECORD,
            _share_activity("NEW") + _count_visit("NEW", "+", v),
            _share_activity("OLD") + _count_visit("OLD", "-", v),
            RECORD_FIELDS,
        ),
    ]


SUPPORTED_VENDORS = ("sqlite", "postgresql")


def install(connection=default_connection) -> None:
    """Create the triggers (replacing them if present)."""
    if connection.vendor not in SUPPORTED_VENDORS:
        raise NotImplementedError(f"the activity tally has triggers for {SUPPORTED_VENDORS} only")
    uninstall(connection)
    statements = (
        _postgres_statements()
        if connection.vendor == "postgresql"
        else list(_sqlite_triggers().values())
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table in POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            for name in _sqlite_triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


# -- recount and check --------------------------------------------------------------------------


def recount_sql(vendor: str) -> str:
    """The tally recounted from the activities and records themselves."""
    parts = []
    for month, day in [("FALSE", "a.due_on"), ("TRUE", _month_of("a.due_on", vendor))]:
        parts.append(f"""
            SELECT a.unit_id, {month}, {day}, COUNT(*),
                   SUM(CASE WHEN a.status = 'done' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN a.status = 'planned' THEN 1 ELSE 0 END),
                   SUM(a.obligations),
                   SUM(CASE WHEN a.obligations > 0 THEN COALESCE(v.n, 0) ELSE 0 END)
            FROM {ACTIVITY} a
            LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM {RECORD}
                       WHERE student_id IS NOT NULL GROUP BY activity_id) v
                   ON v.activity_id = a.id
            WHERE a.status <> 'cancelled'
            GROUP BY a.unit_id, {day}""")
    return " UNION ALL ".join(parts)


def rebuild(connection=default_connection) -> int:
    """Replace the tally with a recount; returns the number of rows. On PostgreSQL, writes to
    activities and records wait until it is done, so none is lost between the delete and the
    recount (SQLite has one writer at a time anyway)."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {ACTIVITY}, {RECORD} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TALLY}")
        cursor.execute(f"INSERT INTO {TALLY} ({COLUMNS}) {recount_sql(connection.vendor)}")
        return cursor.rowcount


@dataclass
class Drift:
    """Rows where the tally and a recount disagree (each side's rows, as tuples)."""

    kept: list[tuple]
    recounted: list[tuple]

    def __bool__(self) -> bool:
        return bool(self.kept or self.recounted)


def check(connection=default_connection, limit: int = 20) -> Drift:
    """Compare the tally with a recount; empty when they agree. Both sides are read from one
    snapshot, so writes committed meanwhile do not show as drift."""
    kept = f"SELECT {COLUMNS} FROM {TALLY}"
    recount = f"SELECT * FROM ({recount_sql(connection.vendor)}) AS recount"
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute(f"{kept} EXCEPT {recount} LIMIT {int(limit)}")
        stale = [tuple(r) for r in cursor.fetchall()]
        cursor.execute(f"{recount} EXCEPT {kept} LIMIT {int(limit)}")
        missing = [tuple(r) for r in cursor.fetchall()]
    return Drift(kept=stale, recounted=missing)


@contextmanager
def paused(connection=default_connection):
    """For bulk loads: no triggers inside, one recount at the end, all in one transaction (an
    error inside rolls the triggers back in too). Dropping the triggers locks the activity and
    record tables until the end, so only the generators, run alone, use this."""
    with transaction.atomic(using=connection.alias):
        uninstall(connection)
        yield
        install(connection)
        rebuild(connection)
