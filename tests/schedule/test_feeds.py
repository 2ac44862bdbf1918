"""iCalendar feeds at a secret, revocable address: parsed back as a calendar app would."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from phoihop.schedule.feeds import create_token, revoke_token
from phoihop.schedule.models import FeedToken
from phoihop.units.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(world, today):
    """Activities due in the coming days (feeds cover about a year around today)."""
    a = world.a
    return {
        "union": f.ActivityFactory(
            item=a.union_item, assignee_party=a.union, due_on=today + dt.timedelta(days=3)
        ),
        "police": f.ActivityFactory(
            item=a.police_item, assignee_party=a.police, due_on=today + dt.timedelta(days=5)
        ),
        "other_school": f.ActivityFactory(
            item=world.b.police_item,
            assignee_party=world.b.police,
            due_on=today + dt.timedelta(days=5),
        ),
    }


def read_feed(client, token):
    response = client.get(reverse("schedule:calendar-feed", args=[token.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def summaries(cal):
    return {str(event["SUMMARY"]) for event in cal.walk("VEVENT")}


def test_feed_parses_and_is_in_vietnams_time_zone(client, world, soon):
    cal = read_feed(client, create_token(world.a.leader))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    event = events[soon["union"].title]
    assert event.decoded("DTSTART") == soon["union"].due_on  # an all-day event on the due day
    assert event.decoded("DTEND") == soon["union"].due_on + dt.timedelta(days=1)
    assert str(event["UID"]) == f"activity-{soon['union'].pk}@phoihop"
    assert str(event["URL"]).startswith("http://testserver/activities/")
    assert world.a.union.name in str(event["DESCRIPTION"])
    assert event.decoded("DTSTAMP").tzinfo is not None


def test_uid_is_stable_between_reads(client, world, soon):
    token = create_token(world.a.leader)
    first = {str(e["UID"]) for e in read_feed(client, token).walk("VEVENT")}
    second = {str(e["UID"]) for e in read_feed(client, token).walk("VEVENT")}
    assert first == second and len(first) == 2


def test_user_feed_holds_what_the_user_may_see(client, world, soon, published):
    assert summaries(read_feed(client, create_token(world.a.leader))) == {
        soon["union"].title,
        soon["police"].title,
    }
    # A partner contact sees only the items naming its party.
    assert summaries(read_feed(client, create_token(world.a.police_contact))) == {
        soon["police"].title
    }
    assert summaries(read_feed(client, create_token(world.a.health_contact))) == set()


def test_party_feed_holds_only_that_partys_activities(client, world, soon, published):
    token = create_token(world.a.police_contact, world.a.police)
    cal = read_feed(client, token)
    assert summaries(cal) == {soon["police"].title}
    assert world.a.police.name in str(cal["X-WR-CALNAME"])


def test_party_feed_stops_when_the_user_no_longer_acts_for_the_party(client, world, soon):
    token = create_token(world.a.police_contact, world.a.police)
    Membership.objects.filter(user=world.a.police_contact).delete()
    response = client.get(reverse("schedule:calendar-feed", args=[token.token]))
    assert response.status_code == 404


def test_revoked_or_unknown_token_is_404(client, world, soon):
    token = create_token(world.a.leader)
    revoke_token(token)
    assert client.get(reverse("schedule:calendar-feed", args=[token.token])).status_code == 404
    assert client.get(reverse("schedule:calendar-feed", args=["khong-co"])).status_code == 404


def test_inactive_users_feed_is_404(client, world, soon):
    token = create_token(world.a.leader)
    world.a.leader.is_active = False
    world.a.leader.save()
    assert client.get(reverse("schedule:calendar-feed", args=[token.token])).status_code == 404


def test_feed_query_count_does_not_grow_with_events(client, world, soon, today):
    token = create_token(world.a.leader)
    url = reverse("schedule:calendar-feed", args=[token.token])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        f.ActivityFactory(
            item=world.a.police_item,
            assignee_party=world.a.police,
            school_class=world.a.school_class,
            due_on=today + dt.timedelta(days=n),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 32
    assert len(many) == len(few)


# -- the "Lịch trên điện thoại" page -----------------------------------------------------------------


def test_settings_page_creates_and_lists_feed_addresses(world, login):
    client = login(world.a.police_contact)
    response = client.post(reverse("schedule:calendar-feeds"), {"party": world.a.police.pk})
    assert response.status_code == 302
    token = FeedToken.objects.get(user=world.a.police_contact)
    assert token.party == world.a.police
    body = client.get(reverse("schedule:calendar-feeds")).content.decode()
    assert "Lịch trên điện thoại" in body
    assert token.token in body
    assert "webcal://" in body


def test_personal_feed_address_has_no_party(world, login):
    client = login(world.a.leader)
    client.post(reverse("schedule:calendar-feeds"), {"party": ""})
    assert FeedToken.objects.get(user=world.a.leader).party is None


def test_cannot_make_a_feed_for_a_party_one_does_not_act_for(world, login):
    client = login(world.a.police_contact)
    for party in (world.a.health, world.b.police):
        response = client.post(reverse("schedule:calendar-feeds"), {"party": party.pk})
        assert response.status_code == 404
    assert not FeedToken.objects.exists()


def test_revoking_from_the_page(client, world, login, soon):
    token = create_token(world.a.leader)
    login(world.a.leader).post(reverse("schedule:calendar-feed-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.token not in client.get(reverse("schedule:calendar-feeds")).content.decode()
    client.logout()
    assert client.get(reverse("schedule:calendar-feed", args=[token.token])).status_code == 404


def test_cannot_revoke_someone_elses_address(world, login):
    token = create_token(world.a.leader)
    response = login(world.b.leader).post(reverse("schedule:calendar-feed-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_feed_forms_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.leader)
    token = create_token(world.a.leader)
    assert client.post(reverse("schedule:calendar-feeds"), {"party": ""}).status_code == 403
    response = client.post(reverse("schedule:calendar-feed-revoke", args=[token.pk]))
    assert response.status_code == 403
