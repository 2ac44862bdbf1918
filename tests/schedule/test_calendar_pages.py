"""The month calendar, its list, and "this week": what each user sees, on a grid or a phone."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.schedule.models import Activity
from phoihop.schedule.services import ensure_school_year
from phoihop.units.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

MONTH = {"month": "2025-10"}


def month_page(client, **params):
    return client.get(reverse("schedule:calendar-month"), {**MONTH, **params})


def test_month_grid_shows_the_months_activities(world, login):
    body = month_page(login(world.a.leader)).content.decode()
    assert "Tháng 10/2025" in body
    assert world.a.activity.title in body
    assert world.a.police_activity.title in body
    assert world.b.activity.title not in body


def test_partner_sees_only_its_partys_activities_on_the_calendar(world, login, published):
    client = login(world.a.police_contact)
    for name in ("schedule:calendar-month", "schedule:calendar-list"):
        body = client.get(reverse(name), MONTH).content.decode()
        assert world.a.police_activity.title in body, name
        assert world.a.activity.title not in body, name
        assert world.b.police_activity.title not in body, name


def test_partner_of_another_party_sees_nothing(world, login):
    body = month_page(login(world.a.health_contact)).content.decode()
    assert world.a.police_activity.title not in body
    assert world.a.activity.title not in body


@pytest.mark.parametrize("name", ["schedule:calendar-month", "schedule:calendar-list"])
@pytest.mark.parametrize("param", ["party", "class", "person"])
def test_filtering_by_another_units_party_class_or_person_is_404(world, login, name, param):
    world.a.activity.assignee_user = world.a.clerk
    world.a.activity.save()
    value = {
        "party": world.a.union.pk,
        "class": world.a.school_class.pk,
        "person": world.a.clerk.pk,
    }[param]
    response = login(world.b.leader).get(reverse(name), {**MONTH, param: value})
    assert response.status_code == 404


def test_filter_by_party_keeps_its_activities_lead_or_cooperating(world, login):
    client = login(world.a.leader)
    body = month_page(client, party=world.a.police.pk).content.decode()
    assert world.a.police_activity.title in body
    assert world.a.activity.title not in body
    # The union cooperates on the police item: it is in the union's calendar too.
    body = month_page(client, party=world.a.union.pk).content.decode()
    assert world.a.police_activity.title in body
    assert world.a.activity.title in body


def test_filter_by_person_class_and_status(world, login):
    client = login(world.a.leader)
    mine = f.ActivityFactory(
        item=world.a.union_item, assignee_user=world.a.clerk, school_class=world.a.school_class
    )
    done = f.ActivityFactory(item=world.a.police_item, status=Activity.Status.DONE)
    body = month_page(client, person=world.a.clerk.pk).content.decode()
    assert mine.title in body and world.a.activity.title not in body
    body = month_page(client, **{"class": world.a.school_class.pk}).content.decode()
    assert mine.title in body and done.title not in body
    body = month_page(client, status="done").content.decode()
    assert done.title in body and mine.title not in body


def test_htmx_filter_returns_only_the_grid(world, login):
    client = login(world.a.leader)
    response = client.get(
        reverse("schedule:calendar-month"),
        {**MONTH, "party": world.a.police.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'class="cal"' in body
    assert world.a.police_activity.title in body


def test_htmx_list_returns_only_the_rows(world, login):
    response = login(world.a.leader).get(
        reverse("schedule:calendar-list"), MONTH, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert world.a.activity.title in body


def test_grid_shows_days_off_and_tet_break_of_the_school_year(world, login):
    world.a.document.school_year = ensure_school_year("2025-2026")
    world.a.document.save()
    client = login(world.a.leader)
    body = month_page(client, month="2026-02").content.decode()
    assert "Nghỉ Tết" in body
    body = month_page(client, month="2025-09").content.decode()
    assert "Quốc khánh (2/9)" in body


def test_grid_marks_each_day_for_the_phone_layout(world, login):
    body = month_page(login(world.a.leader)).content.decode()
    # Phones show the weekday with the date (the grid's column headings are hidden there).
    assert 'class="cal-weekday">Thứ Tư, </span>15/10' in body
    assert "schedule/calendar.css" in body


def test_malformed_month_falls_back_to_the_current_month(world, login, today):
    response = month_page(login(world.a.leader), month="2025-13")
    assert response.status_code == 200
    assert f"Tháng {today.month}/{today.year}" in response.content.decode()


def _add_rows(world, n):
    for i in range(n):
        cls = f.SchoolClassFactory(unit=world.a.unit)
        user = f.MembershipFactory(unit=world.a.unit, role=Membership.Role.MEMBER).user
        f.ActivityFactory(
            item=world.a.police_item,
            assignee_party=world.a.police,
            school_class=cls,
            assignee_user=user,
            due_on=dt.date(2025, 10, 1 + i % 28),
        )


@pytest.mark.parametrize("name", ["schedule:calendar-month", "schedule:calendar-list"])
def test_calendar_query_count_does_not_grow_with_rows(world, login, name):
    client = login(world.a.leader)
    url = reverse(name)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, MONTH).status_code == 200
    _add_rows(world, 25)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, MONTH).status_code == 200
    assert len(many) == len(few)


# -- this week --------------------------------------------------------------------------------------


def test_this_week_shows_my_partys_my_class_and_my_own_work(world, login, today, published):
    monday = today - dt.timedelta(days=today.weekday())
    a = world.a
    party_work = f.ActivityFactory(item=a.police_item, assignee_party=a.police, due_on=monday)
    class_work = f.ActivityFactory(item=a.union_item, school_class=a.school_class, due_on=monday)
    other_class = f.ActivityFactory(item=a.union_item, school_class=a.other_class, due_on=monday)
    assigned = f.ActivityFactory(item=a.union_item, assignee_user=a.homeroom, due_on=monday)
    overdue = f.ActivityFactory(
        item=a.union_item, school_class=a.school_class, due_on=monday - dt.timedelta(days=30)
    )
    done_late = f.ActivityFactory(
        item=a.union_item,
        school_class=a.school_class,
        due_on=monday - dt.timedelta(days=30),
        status=Activity.Status.DONE,
    )
    next_week = f.ActivityFactory(
        item=a.union_item, school_class=a.school_class, due_on=monday + dt.timedelta(days=7)
    )

    body = login(a.homeroom).get(reverse("schedule:this-week")).content.decode()
    assert class_work.title in body
    assert assigned.title in body
    assert overdue.title in body and "Quá hạn" in body
    for absent in (party_work, other_class, done_late, next_week):
        assert absent.title not in body

    body = login(a.police_contact).get(reverse("schedule:this-week")).content.decode()
    assert party_work.title in body
    assert class_work.title not in body


def test_this_week_can_move_to_another_week(world, login, today):
    a = world.a
    later = today + dt.timedelta(days=14)
    work = f.ActivityFactory(item=a.union_item, school_class=a.school_class, due_on=later)
    client = login(a.homeroom)
    assert work.title not in client.get(reverse("schedule:this-week")).content.decode()
    body = client.get(reverse("schedule:this-week"), {"week": later.isoformat()}).content.decode()
    assert work.title in body


def test_this_week_query_count_does_not_grow_with_rows(world, login, today):
    a = world.a
    client = login(a.homeroom)
    url = reverse("schedule:this-week")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        f.ActivityFactory(
            item=a.police_item,
            assignee_party=a.police,
            school_class=a.school_class,
            due_on=today - dt.timedelta(days=n * 3),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_anonymous_user_is_sent_to_sign_in(client, world):
    for name in ("calendar-month", "calendar-list", "this-week", "calendar-feeds"):
        response = client.get(reverse(f"schedule:{name}"))
        assert response.status_code == 302, name
