"""Holiday names are read in the reader's language; a name someone typed stays as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from phoihop.schedule.models import DayOff
from phoihop.schedule.services import day_off_names, ensure_school_year


def day_off_name(year, day_off):
    return day_off_names(year, [day_off])[day_off.date]


pytestmark = pytest.mark.django_db


def test_the_calendars_days_off_are_said_in_the_active_language():
    year = ensure_school_year("2025-2026")
    national = year.days_off.get(date__month=9, date__day=2)
    assert "Quốc khánh" in national.name
    with translation.override("en"):
        english = day_off_name(year, national)
    assert "Quốc khánh" not in english and english
    with translation.override("vi"):
        assert day_off_name(year, national) == national.name
    typed = DayOff.objects.create(
        school_year=year, date=national.date.replace(day=5), name="Nghỉ bão"
    )
    with translation.override("en"):
        assert day_off_name(year, typed) == "Nghỉ bão"


def test_the_school_year_page_in_english_names_the_holidays_in_english(world, login):
    ensure_school_year("2025-2026")
    client = login(world.a.leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("schedule:school-year", args=[world.a.unit.pk])
    body = client.get(url, {"year": "2025-2026"}).content.decode()
    assert "Quốc khánh (2/9)" not in body
