"""The school-year frame: national default, a province's change, a school's own."""

import datetime as dt

import pytest
from django.urls import reverse

from phoihop.schedule.models import SchoolYear
from phoihop.schedule.services import effective_school_year

pytestmark = pytest.mark.django_db


def page(unit):
    return reverse("schedule:school-year", args=[unit.pk]) + "?year=2025-2026"


def test_default_frame_applies_until_someone_changes_it(world):
    year = effective_school_year(world.a.unit, "2025-2026")
    assert year.unit is None
    assert year.starts_on.year == 2025 and year.ends_on.year == 2026


def test_office_change_applies_to_its_schools_and_a_school_can_override(world, login):
    office_client = login(world.officer)
    office_client.post(
        page(world.office),
        {"year": "2025-2026", "add_date": "2025-11-21", "add_name": "Nghỉ bù theo UBND tỉnh"},
    )
    year_b = effective_school_year(world.b.unit, "2025-2026")
    assert year_b.unit == world.office
    assert year_b.days_off.filter(date=dt.date(2025, 11, 21)).exists()

    school_client = login(world.a.leader)
    school_client.post(page(world.a.unit), {"year": "2025-2026", "ends_on": "2026-05-29"})
    year_a = effective_school_year(world.a.unit, "2025-2026")
    assert year_a.unit == world.a.unit
    assert year_a.ends_on == dt.date(2026, 5, 29)
    assert year_a.days_off.filter(date=dt.date(2025, 11, 21)).exists()  # copied from the office
    assert effective_school_year(world.b.unit, "2025-2026").unit == world.office


def test_inconsistent_dates_are_refused_and_nothing_is_kept(world, login):
    client = login(world.a.leader)
    response = client.post(
        page(world.a.unit), {"year": "2025-2026", "semester1_ends_on": "2026-06-30"}, follow=True
    )
    assert "Không lưu" in response.content.decode()
    assert not SchoolYear.objects.filter(unit=world.a.unit).exists()


def test_staff_see_the_frame_but_only_managers_change_it(world, login):
    teacher = login(world.a.homeroom)
    assert teacher.get(page(world.a.unit)).status_code == 200
    assert teacher.post(page(world.a.unit), {"ends_on": "2026-05-20"}).status_code == 403


@pytest.mark.parametrize("role", ["leader", "police_contact"])
def test_other_school_is_refused(world, login, role):
    client = login(getattr(world.b, role))
    assert client.get(page(world.a.unit)).status_code == 404
    assert client.post(page(world.a.unit), {"ends_on": "2026-05-20"}).status_code == 404


def test_partner_is_refused(world, login):
    assert login(world.a.police_contact).get(page(world.a.unit)).status_code == 403
