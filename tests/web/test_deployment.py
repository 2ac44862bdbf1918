"""Deployment hardening: CSP without inline script, TLS settings, idle sessions, masked tokens."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

import phoihop
from phoihop.cli.server import gunicorn_options
from phoihop.schedule.feeds import create_token
from phoihop.web.logmask import mask_secrets

TEMPLATES = sorted(Path(phoihop.__file__).parent.glob("**/templates/**/*.html"))
# What the README gives as production settings ("Behind nginx"), with a key of the right length.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "Zq8-vT3_pL0xW9mN2bR7cY5fH1jD6sA4gE0uK",
    "ALLOWED_HOSTS": "phoihop.truong.edu.vn",
    "PHOIHOP_TLS": "1",
}


def run_phoihop(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PHOIHOP_VAR_DIR=str(tmp_path / "var"), **env)
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a server never has it.
    for name in (
        "PHOIHOP_TLS",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "phoihop", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- Content-Security-Policy ---------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_templates_hold_no_inline_script_and_no_event_handler_attribute(template):
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE)
    assert "javascript:" not in text.lower()


@pytest.mark.django_db
def test_every_page_carries_a_policy_that_refuses_inline_script(client, world):
    client.force_login(world.a.leader)
    for url in [reverse("login"), reverse("tracking:my-work"), "/khong-co-trang-nay/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_the_language_menu_submits_through_the_sites_own_script(client, world):
    client.force_login(world.a.leader)
    body = client.get(reverse("tracking:my-work")).content.decode()
    assert re.search(r'<select name="language"[^>]*data-autosubmit', body)
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", body, re.DOTALL)
    assert scripts and all(not content.strip() for content in scripts)
    site_js = client.get("/static/phoihop/site.js")
    assert site_js.status_code == 200
    assert b"data-autosubmit" in b"".join(site_js.streaming_content)


# -- TLS behind a reverse proxy, and check --deploy --------------------------------------------


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    done = run_phoihop(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION_ENV
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_check_deploy_warns_without_tls(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PHOIHOP_TLS"}
    done = run_phoihop("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **env)
    assert done.returncode != 0
    assert "security.W012" in done.stderr + done.stdout


def test_tls_settings_follow_the_environment(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_AGE)"
    )
    done = run_phoihop(
        "shell",
        "--no-imports",
        "-c",
        script,
        tmp_path=tmp_path,
        PHOIHOP_TLS="1",
        PHOIHOP_SESSION_IDLE_MINUTES="30",
    )
    assert done.stdout.split() == [
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "31536000",
        "1800",
    ], done.stderr
    done = run_phoihop("shell", "--no-imports", "-c", script, tmp_path=tmp_path)
    assert done.stdout.split()[:3] == ["False", "False", "False"], done.stderr


def test_a_bad_idle_time_is_refused_in_vietnamese(tmp_path):
    done = run_phoihop("check", tmp_path=tmp_path, PHOIHOP_SESSION_IDLE_MINUTES="mãi mãi")
    assert done.returncode != 0
    assert "PHOIHOP_SESSION_IDLE_MINUTES" in done.stderr and "Traceback" not in done.stderr


# -- idle sessions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_request_moves_the_session_expiry_on_by_the_idle_time(client, world, settings):
    client.force_login(world.a.leader)
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    response = client.get(reverse("tracking:my-work"))
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    expiry = Session.objects.get(pk=session.pk).expire_date
    expected = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expiry - expected).total_seconds()) < 60


@pytest.mark.django_db
def test_a_session_idle_past_its_time_signs_the_user_out(client, world):
    client.force_login(world.a.leader)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("tracking:my-work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- feed tokens out of the logs -------------------------------------------------------------------


def test_masking_hides_the_token_wherever_the_feed_address_appears():
    token = "aB3_x-9ZqT"
    for line in [
        f"GET /activities/feeds/{token}.ics HTTP/1.1",
        f"Not Found: /activities/feeds/{token}.ics",
        f"webcal://phoihop.truong.edu.vn/activities/feeds/{token}.ics",
        f"/activities/feeds/{token}.ics?x=1",
    ]:
        masked = mask_secrets(line)
        assert token not in masked and "/feeds/***.ics" in masked
    assert mask_secrets("/activities/feeds/12/revoke/") == "/activities/feeds/12/revoke/"


@pytest.mark.django_db
def test_django_logs_a_refused_feed_without_its_token(client, caplog):
    token = "khongconua0123456789abcdefXYZ"
    response = client.get(reverse("schedule:calendar-feed", args=[token]))
    assert response.status_code == 404
    assert "/feeds/***.ics" in caplog.text
    assert token not in caplog.text


def test_the_servers_access_log_masks_feed_tokens(tmp_path):
    """The gunicorn configuration ``phoihop serve`` runs, writing one access line."""
    from gunicorn.config import Config

    config = Config()
    for key, value in gunicorn_options("127.0.0.1:8000").items():
        config.set(key, value)
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    logger = config.logger_class(config)
    token = "s3cr3t-Feed_Token-0123456789"
    path = f"/activities/feeds/{token}.ics"

    class Response:
        status, sent, headers = "200 OK", 1234, [("Content-Type", "text/calendar")]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_REFERER": f"webcal://phoihop.truong.edu.vn{path}",
        "HTTP_USER_AGENT": "Calendar/1.0",
    }
    logger.access(Response(), [("USER-AGENT", "Calendar/1.0")], environ, dt.timedelta(0, 0, 2500))
    for handler in logger.access_log.handlers:
        handler.flush()
    written = log_file.read_text()
    assert "GET /activities/feeds/***.ics HTTP/1.1" in written
    assert token not in written


@pytest.mark.django_db
def test_a_working_feed_is_not_logged_by_django_at_all(client, world, caplog):
    token = create_token(world.a.leader)
    with caplog.at_level("INFO"):
        response = client.get(reverse("schedule:calendar-feed", args=[token.token]))
    assert response.status_code == 200
    assert token.token not in caplog.text


def test_the_development_servers_log_masks_feed_tokens():
    """``phoihop runserver`` logs each request through the ``django.server`` logger."""
    import io
    import logging

    logger = logging.getLogger("django.server")
    # pytest adds its own capturing handlers beside the configured one.
    [handler] = [h for h in logger.handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    # Swapped by hand: setStream would flush the old stream, which may be a closed capture file.
    previous, handler.stream = handler.stream, stream
    try:
        logger.info('"%s" %s %s', "GET /activities/feeds/Tok3n_abc.ics HTTP/1.1", "200", "512")
    finally:
        handler.stream = previous
    assert "/activities/feeds/***.ics" in stream.getvalue()
    assert "Tok3n_abc" not in stream.getvalue()
