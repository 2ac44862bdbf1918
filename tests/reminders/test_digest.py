"""The daily digest, end to end: a real SMTP server on loopback (aiosmtpd) receives it, once a
day; each user is told only what they may see; the time and the off switch are respected."""

import datetime as dt
import io
import os
import socket
import subprocess
import sys
import textwrap

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from phoihop.reminders.digest import compose_digest, send_due_digests
from phoihop.reminders.models import ReminderPreference
from phoihop.reminders.tasks import send_due_digests_task
from phoihop.schedule.models import Activity
from tests.smtp import free_port


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def work(world, today):
    """School A: the union's activity is 3 days overdue, the police's falls due in 2 days."""
    a = world.a
    Activity.objects.filter(pk=a.activity.pk).update(due_on=today - dt.timedelta(days=3))
    Activity.objects.filter(pk=a.police_activity.pk).update(due_on=today + dt.timedelta(days=2))
    for user, address in (
        (a.leader, "hieutruong@truong.test"),
        (a.police_contact, "ca@phuong.test"),
    ):
        user.email = address
        user.save()
        # Their chosen time has come whenever the test runs.
        ReminderPreference.objects.create(user=user, send_at=dt.time(0, 0))
    return a


def test_digest_job_delivers_over_smtp_once_a_day(smtp, work, today, published):
    a = work
    assert send_due_digests_task.call_local() == 2
    messages = {tuple(rcpt): msg for rcpt, msg in smtp.messages()}
    assert set(messages) == {("hieutruong@truong.test",), ("ca@phuong.test",)}

    leader = messages[("hieutruong@truong.test",)]
    assert leader["Subject"].strip() == (
        f"[Phối hợp] {today:%d/%m/%Y}: 1 việc quá hạn, 1 việc đến hạn trong 7 ngày"
    )
    assert leader["From"] == "Phối hợp <phoihop@truong.test>"
    text = leader.get_body(("plain",)).get_content()
    html = leader.get_body(("html",)).get_content()
    assert "VIỆC QUÁ HẠN (1)" in text and a.activity.title in text
    assert "ĐẾN HẠN TRONG 7 NGÀY (1)" in text and a.police_activity.title in text
    assert f"https://phoihop.truong.test/activities/{a.activity.pk}/" in html or (
        "https://phoihop.truong.test" in html
    )

    # The police contact is told only of the item that names the police.
    police = messages[("ca@phuong.test",)].get_body(("plain",)).get_content()
    assert a.police_activity.title in police
    assert a.activity.title not in police

    # A second run the same day sends nothing.
    assert send_due_digests_task.call_local() == 0
    call_command("send_reminders", "--now")
    assert len(smtp.envelopes) == 2
    assert ReminderPreference.objects.get(user=a.leader).last_sent_on == today


def test_command_sends_now_whatever_the_chosen_time(smtp, work):
    ReminderPreference.objects.filter(user=work.leader).update(send_at=dt.time(23, 59, 59))
    ReminderPreference.objects.filter(user=work.police_contact).update(enabled=False)
    call_command("send_reminders", "--now")
    assert [rcpt for rcpt, _msg in smtp.messages()] == [["hieutruong@truong.test"]]


def test_failed_delivery_is_retried_on_the_next_run(settings, work, published):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    assert send_due_digests() == 0
    assert not ReminderPreference.objects.filter(last_sent_on__isnull=False).exists()


def test_users_are_served_at_their_time_and_not_when_turned_off(work, today):
    tz = timezone.get_current_timezone()
    ReminderPreference.objects.filter(user=work.leader).update(send_at=dt.time(7, 0))
    ReminderPreference.objects.filter(user=work.police_contact).update(enabled=False)
    early = dt.datetime.combine(today, dt.time(6, 55), tzinfo=tz)
    assert send_due_digests(early) == 0
    assert send_due_digests(early + dt.timedelta(minutes=10)) == 1
    assert [m.to for m in mail.outbox] == [["hieutruong@truong.test"]]


def test_users_with_nothing_due_get_no_mail(world):
    user = world.b.health_contact
    user.email = "yte@phuong.test"
    user.save()
    assert compose_digest(user, dt.date(2020, 1, 1)) is None


def test_user_chooses_the_time_or_turns_it_off(world, login):
    client = login(world.a.homeroom)
    url = reverse("reminders:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"enabled": "on", "send_at": "17:45"})
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=world.a.homeroom)
    assert (preference.enabled, preference.send_at) == (True, dt.time(17, 45))
    client.post(url, {"send_at": "17:45"})
    preference.refresh_from_db()
    assert preference.enabled is False


def test_default_queue_needs_no_server():
    if os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is set in this environment")
    from huey import SqliteHuey
    from huey.contrib.djhuey import HUEY

    assert isinstance(HUEY, SqliteHuey)


def _redis_answers() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379 (or no redis-py)")
def test_redis_queue_when_redis_url_is_set(tmp_path):
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from huey import RedisHuey
        from huey.contrib.djhuey import HUEY
        assert isinstance(HUEY, RedisHuey), type(HUEY)

        @HUEY.task()
        def add(a, b):
            return a + b

        before = len(HUEY)
        add(2, 3)
        assert len(HUEY) == before + 1
        task = HUEY.dequeue()
        assert task is not None and task.args == (2, 3)
        assert HUEY.execute(task) == 5
        print("ok")
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "phoihop.settings",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "PHOIHOP_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_digest_is_written_in_the_language_the_user_chose(smtp, work, client, login):
    """The preview on the settings page is the mail as it will be sent, in the page's language
    (issue 18: the English preview stayed Vietnamese)."""
    client = login(work.leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reminders:preferences")).content.decode()
    assert "OVERDUE" in page.upper() or "overdue" in page
    assert "VIỆC QUÁ HẠN" not in page
    client.post(reverse("reminders:preferences"), {"enabled": "on", "send_at": "00:00"})
    assert ReminderPreference.objects.get(user=work.leader).language == "en"
    call_command("send_reminders", "--now", stdout=io.StringIO())
    english = {tuple(r): m for r, m in smtp.messages()}[("hieutruong@truong.test",)]
    assert "việc quá hạn" not in english["Subject"]
