"""Wrong passwords are throttled on the site's login and on /admin/ (issue 13: 300 wrong
passwords in a row were accepted, then the right one)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client, username, password, url=None, address="10.0.0.1"):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_the_account_on_this_address(world):
    client, username = Client(), world.a.leader.username
    for _n in range(LIMIT - 1):
        assert sign_in(client, username, "sai").status_code == 200
    response = sign_in(client, username, "sai")
    assert response.status_code == 429
    response = sign_in(client, username, f.PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert f"sai mật khẩu {LIMIT} lần" in body and "Hãy thử lại sau" in body
    assert not signed_in(client)


def test_admin_login_is_throttled_too(world):
    admin = get_user_model().objects.create_superuser("quantri", password=f.PASSWORD)
    client, url = Client(), reverse("admin:login")
    for _n in range(LIMIT):
        sign_in(client, admin.username, "sai", url=url)
    response = sign_in(client, admin.username, f.PASSWORD, url=url)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lock_holds_the_username_on_that_address_only(world):
    username = world.a.leader.username
    for _n in range(LIMIT):
        sign_in(Client(), username, "sai")
    elsewhere = Client()
    assert sign_in(elsewhere, username, f.PASSWORD, address="10.0.0.2").status_code == 302
    assert signed_in(elsewhere)
    colleague = Client()
    assert sign_in(colleague, world.a.clerk.username, f.PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(world):
    username = world.a.leader.username
    for _n in range(LIMIT):
        sign_in(Client(), username, "sai")
    past = settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save()
    client = Client()
    assert sign_in(client, username, f.PASSWORD).status_code == 302


def test_a_success_resets_the_count(world):
    username = world.a.leader.username
    for _n in range(LIMIT - 1):
        sign_in(Client(), username, "sai")
    assert sign_in(Client(), username, f.PASSWORD).status_code == 302
    for _n in range(LIMIT - 1):
        sign_in(Client(), username, "sai")
    assert sign_in(Client(), username, f.PASSWORD).status_code == 302


def test_client_login_works_when_given_a_request(world):
    # Django 5.2's Client.login calls authenticate() without a request, which the throttle
    # refuses; the suite signs in with force_login, or passes a request as here.
    client = Client()
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    assert client.login(request=request, username=world.a.leader.username, password=f.PASSWORD)
