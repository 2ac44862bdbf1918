"""The province generator: small, seeded, and the roll-up reads what it made."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from phoihop.reviews import rollup as rollups
from phoihop.reviews.province import generate_province
from phoihop.schedule.models import Activity
from phoihop.tracking.models import Record, Student
from phoihop.units.models import Unit


def test_command_generates_a_small_province_and_prints_counts(db):
    out = io.StringIO()
    call_command(
        "generate_province",
        "--schools",
        "3",
        "--students-per-school",
        "40",
        "--seed",
        "3",
        "--phong",
        "1",
        stdout=out,
    )
    office = Unit.objects.get(level=Unit.Level.SO)
    schools = Unit.objects.filter(path__startswith=office.path, level__in=rollups.SCHOOL_LEVELS)
    assert schools.count() == 3
    assert Unit.objects.filter(level=Unit.Level.PHONG, parent=office).count() == 1
    assert Student.objects.filter(unit__in=schools).count() == 120
    text = out.getvalue()
    assert "3 trường" in text and "120 học sinh" in text and "giây" in text


def test_generated_records_feed_the_rollup(db):
    stats = generate_province(4, 35, seed=5, as_of=dt.date(2026, 3, 1))
    activities = Activity.objects.filter(unit__path__startswith=stats.office.path)
    due = activities.filter(due_on__lt=dt.date(2026, 3, 1))
    done = due.filter(status="done").count()
    assert 0.55 < done / due.count() < 0.85  # ~70 % of what was due
    assert stats.records == Record.objects.count() > 0
    data = rollups.rollup(stats.office, dt.date(2026, 3, 1))
    assert len(data.rows) == 4
    assert sum(r.done for r in data.rows) == done
    assert sum(r.total for r in data.rows) == activities.exclude(status="cancelled").count()
    assert all(r.targets for r in data.rows)
    assert all(r.visits_due and r.visits_done for r in data.rows)


def test_same_seed_same_province(db):
    first = generate_province(2, 20, seed=9, as_of=dt.date(2026, 1, 1))
    second = generate_province(2, 20, seed=9, as_of=dt.date(2026, 1, 1))
    assert (first.activities, first.records) == (second.activities, second.records)


def test_demo_puts_generated_schools_below_its_office(db):
    from phoihop.reviews import tally
    from phoihop.web.demo import load_demo

    assert load_demo(students_per_class=3, province_schools=9)
    office = Unit.objects.get(level=Unit.Level.SO)
    data = rollups.rollup(
        office, dt.date(2026, 4, 15), year=rollups.default_year(office, dt.date(2026, 4, 15))
    )
    names = [r.name for r in data.rows]
    assert len(names) == 10 and "Trường THCS Hoa Sen" in names
    assert Unit.objects.filter(parent=office, level=Unit.Level.PHONG).count() == 4
    assert all(r.total > 0 for r in data.rows)
    assert sum(r.done for r in data.rows) > 0
    assert not tally.check()


@pytest.mark.parametrize("today", [dt.date(2026, 12, 3), dt.date(2028, 3, 9), dt.date(2027, 7, 20)])
def test_demo_loaded_on_any_day_is_in_its_current_school_year(db, monkeypatch, today):
    """Whatever the day: the current school year, months before today recorded, work due in the
    coming week (issue 18)."""
    from django.utils import timezone

    from phoihop.core.calendar import school_year_label_for
    from phoihop.documents.models import Document
    from phoihop.schedule.models import Activity
    from phoihop.tracking.models import Record
    from phoihop.web.demo import load_demo

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    assert load_demo(students_per_class=3)
    label = school_year_label_for(today)
    plan = Document.objects.get()
    assert plan.school_year.label == label and label in plan.title
    assert str(today.year - 10) not in plan.title
    school = plan.unit
    activities = Activity.objects.filter(unit=school)
    assert activities.filter(due_on__lt=today, status=Activity.Status.DONE).exists() == (
        today > plan.school_year.starts_on
    )
    if plan.school_year.starts_on < today < plan.school_year.ends_on:
        week = activities.filter(due_on__range=(today, today + dt.timedelta(days=7)))
        assert week.exists()
        assert Record.objects.filter(activity__unit=school, done_on__lt=today).exists()
    assert "32/2020/TT-BGDĐT ngày 15/9/2020" in plan.legal_basis.first().text
