"""The first pages as a user meets them: sign-in, home, document, activities, errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_root_redirects_anonymous_user_to_sign_in(client):
    f.UserFactory()  # an installation that is set up (an empty one starts at the first run)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_is_vietnamese_and_loads_nothing_from_the_internet(client):
    f.UserFactory()
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in body
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body


def test_sign_in_with_wrong_password_says_so(client, world):
    response = client.post(
        reverse("login"), {"username": world.a.leader.username, "password": "sai"}
    )
    assert "không đúng" in response.content.decode()


def test_sign_in_then_home_goes_to_own_school(client, world):
    response = client.post(
        reverse("login"), {"username": world.a.leader.username, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    response = client.get("/", follow=True)
    assert world.a.unit.name in response.content.decode()


def test_document_page_shows_sections_items_parties_and_cadence(world, login):
    client = login(world.a.leader)
    body = client.get(
        reverse("documents:document-detail", args=[world.a.document.pk])
    ).content.decode()
    assert "Phối hợp với Công đoàn" in body
    assert world.a.union_item.text in body
    assert world.a.union.name in body
    assert "Đầu năm học" in body or "đầu năm học" in body


def test_english_interface_is_available(world, login):
    client = login(world.a.leader)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("schedule:activity-list")).content.decode()
    assert "Activities" in body


def test_unknown_url_gives_a_vietnamese_404_page(world, login):
    client = login(world.a.leader)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_activity_list_query_count_does_not_grow_with_rows(world, login):
    client = login(world.a.leader)
    url = reverse("schedule:activity-list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        f.ActivityFactory(item=world.a.police_item, assignee_party=world.a.police)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_document_page_query_count_does_not_grow_with_items(world, login):
    client = login(world.a.leader)
    url = reverse("documents:document-detail", args=[world.a.document.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        item = f.ItemFactory(
            document=world.a.document, section=world.a.union_item.section, position=10 + n
        )
        f.link_parties(item, world.a.union, world.a.police)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_activity_list_filters_by_status_with_htmx(world, login):
    client = login(world.a.leader)
    world.a.police_activity.status = "done"
    world.a.police_activity.save()
    response = client.get(
        reverse("schedule:activity-list"), {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert world.a.police_activity.title in body
    assert world.a.activity.title not in body


def test_interface_stays_vietnamese_for_an_english_browser(world, login):
    client = login(world.a.leader)
    body = client.get(reverse("schedule:activity-list"), HTTP_ACCEPT_LANGUAGE="en-US,en").content
    assert 'lang="vi"' in body.decode()


def test_manager_gets_schedule_button_and_partner_does_not(world, login):
    url = reverse("documents:document-detail", args=[world.a.document.pk])
    schedule_url = reverse("schedule:document-schedule", args=[world.a.document.pk])
    assert schedule_url in login(world.a.leader).get(url).content.decode()
    assert schedule_url not in login(world.a.police_contact).get(url).content.decode()


def test_teachers_and_partners_start_on_their_own_work_leaders_on_their_unit(world, login):
    """On a phone a homeroom teacher's start is this week and their class (issue 18)."""
    for user in (world.a.homeroom, world.a.police_contact):
        assert login(user).get("/")["Location"] == reverse("tracking:my-work")
    assert login(world.a.leader).get("/")["Location"] == reverse(
        "units:unit-detail", args=[world.a.unit.pk]
    )
