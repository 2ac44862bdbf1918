""" "Việc của tôi": overdue, this week and coming, across every party a user acts for and their
homeroom classes; the leaders' filter by party and class; a bounded number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.schedule.models import Activity
from phoihop.units.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def dated(item, day, **extra):
    return f.ActivityFactory(
        item=item,
        window_starts_on=day - dt.timedelta(days=3),
        window_ends_on=day,
        due_on=day,
        **extra,
    )


@pytest.fixture
def union_member(world):
    """A teacher who is both a union officer (acts for the union) and 6A's homeroom teacher."""
    user = f.MembershipFactory(
        unit=world.a.unit, role=Membership.Role.MEMBER, party=world.a.union
    ).user
    f.MembershipFactory(
        user=user,
        unit=world.a.unit,
        role=Membership.Role.HOMEROOM,
        school_class=world.a.school_class,
    )
    return user


def page(client, **params):
    return client.get(reverse("tracking:my-work"), params)


def test_my_work_lists_overdue_this_week_and_coming_across_parties_and_classes(
    world, union_member, visits, login, today
):
    a = world.a
    overdue = dated(
        a.union_item, today - dt.timedelta(days=20), assignee_party=a.union, title="Quá hạn CĐ"
    )
    done_late = dated(
        a.union_item,
        today - dt.timedelta(days=21),
        assignee_party=a.union,
        title="Đã làm CĐ",
        status=Activity.Status.DONE,
    )
    coming = dated(
        a.union_item, today + dt.timedelta(days=20), assignee_party=a.union, title="Sắp tới CĐ"
    )
    too_far = dated(
        a.union_item, today + dt.timedelta(days=60), assignee_party=a.union, title="Xa CĐ"
    )
    police = dated(a.police_item, today, assignee_party=a.police, title="Việc công an")
    other_class = dated(
        a.union_item, today, school_class=a.other_class, assignee_party=a.union, title="Lớp 7A"
    )
    mine = dated(a.police_item, today, assignee_user=union_member, title="Giao riêng")
    body = page(login(union_member)).content.decode()
    for shown in (overdue, coming, mine):
        assert shown.title in body, shown.title
    for hidden in (done_late, too_far, police, other_class):
        assert hidden.title not in body, hidden.title
    # The class's home-visit activity of this month is due this week or coming.
    assert visits.activity.title in body
    assert body.index("Quá hạn CĐ") < body.index("Sắp tới CĐ")


def test_leader_filters_by_party_and_class(world, visits, login, today):
    a = world.a
    police = dated(a.police_item, today, assignee_party=a.police, title="Việc công an")
    client = login(a.leader)
    body = page(client, party=a.police.pk).content.decode()
    assert police.title in body
    assert visits.activity.title not in body
    body = page(client, **{"class": a.school_class.pk}).content.decode()
    assert visits.activity.title in body
    assert police.title not in body


def test_filters_of_another_unit_or_for_non_leaders_are_404(world, login):
    assert page(login(world.b.leader), party=world.a.police.pk).status_code == 404
    assert page(login(world.b.leader), **{"class": world.a.school_class.pk}).status_code == 404
    assert page(login(world.a.homeroom), party=world.a.union.pk).status_code == 404


def test_another_units_user_sees_none_of_this_units_work(world, union_member, login, today):
    dated(world.a.union_item, today, assignee_party=world.a.union, title="Việc của A")
    body = page(login(world.b.leader)).content.decode()
    assert "Việc của A" not in body


def test_nav_links_to_my_work(world, login):
    body = login(world.a.leader).get("/", follow=True).content.decode()
    assert reverse("tracking:my-work") in body


def test_my_work_query_count_does_not_grow_with_activities(
    world, union_member, visits, login, today
):
    client = login(union_member)
    with CaptureQueriesContext(connection) as small:
        assert page(client).status_code == 200
    for i in range(40):
        dated(
            world.a.union_item, today + dt.timedelta(days=i % 35 - 5), assignee_party=world.a.union
        )
        f.RecordFactory(
            activity=visits.activity, student=f.StudentFactory(school_class=world.a.school_class)
        )
    with CaptureQueriesContext(connection) as large:
        assert page(client).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 12
