"""Two-factor sign-in (issue 12, item 4): an authenticator app and one-time recovery codes,
optional for all, recommended to leaders and office staff, required of them when configured."""

import datetime as dt
import re
import time
from base64 import b32encode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.units.models import Membership
from phoihop.web import two_factor
from tests import factories as f

pytestmark = pytest.mark.django_db

LIMIT = settings.LOGIN_FAILURE_LIMIT
ADDRESS = "10.0.0.1"
URL_NAMES = [
    "accounts:two-factor",
    "accounts:two-factor-setup",
    "accounts:two-factor-codes",
    "accounts:two-factor-recovery",
    "accounts:two-factor-disable",
    "accounts:two-factor-verify",
    "accounts:two-factor-notice",
]


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for this key (computed as the app does)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def wrong_code_for(key_hex: str) -> str:
    """A 6-digit code that no step within the tolerance accepts."""
    near = {code_for(key_hex, steps) for steps in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)


def turn_on(user) -> tuple[TOTPDevice, list[str]]:
    """Two-factor on, through the service, as the set-up page leaves it."""
    key = two_factor.new_secret()
    device, codes = two_factor.enable(user, key, code_for(key))
    device.last_t = -1  # the set-up's code may be given again: these tests start afresh
    device.save()
    return device, codes


def password_step(client, user, next_url=None):
    data = {"username": user.username, "password": f.PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, REMOTE_ADDR=ADDRESS)


def code_step(client, code):
    return client.post(reverse("accounts:two-factor-verify"), {"code": code}, REMOTE_ADDR=ADDRESS)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def verified_client(user) -> Client:
    """A user who signed in with password and code, through the real pages."""
    client = Client()
    password_step(client, user)
    device = TOTPDevice.objects.get(user=user)
    assert code_step(client, code_for(device.key)).status_code == 302
    assert signed_in(client)
    return client


# -- signing in ----------------------------------------------------------------------------------


def test_a_user_without_two_factor_signs_in_with_the_password_alone(world):
    client = Client()
    response = password_step(client, world.a.homeroom)
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert signed_in(client)


def test_the_password_alone_does_not_open_a_session_when_two_factor_is_on(world):
    device, _codes = turn_on(world.a.leader)
    client = Client()
    response = password_step(client, world.a.leader)
    assert response.status_code == 302
    assert response.url == reverse("accounts:two-factor-verify")
    assert not signed_in(client)
    page = client.get(reverse("accounts:two-factor-verify"))
    assert "Mã xác thực" in page.content.decode()
    assert client.get(reverse("web:home")).url.startswith(reverse("login"))

    response = code_step(client, code_for(device.key))
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("accounts:two-factor")).status_code == 200


def test_the_code_step_keeps_where_the_user_was_going(world):
    device, _codes = turn_on(world.a.leader)
    client = Client()
    password_step(client, world.a.leader, next_url=reverse("schedule:activity-list"))
    response = code_step(client, code_for(device.key))
    assert response.url == reverse("schedule:activity-list")


def test_a_wrong_code_is_refused_in_vietnamese_and_signs_nobody_in(world):
    device, _codes = turn_on(world.a.leader)
    client = Client()
    password_step(client, world.a.leader)
    response = code_step(client, wrong_code_for(device.key))
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã dùng rồi" in response.content.decode()
    assert not signed_in(client)


def test_a_code_is_accepted_once_only(world):
    device, _codes = turn_on(world.a.leader)
    code = code_for(device.key)
    verified = Client()
    password_step(verified, world.a.leader)
    assert code_step(verified, code).status_code == 302
    replay = Client()
    password_step(replay, world.a.leader)
    response = code_step(replay, code)
    assert response.status_code == 200 and not signed_in(replay)


def test_a_recovery_code_works_once_and_not_twice(world):
    _device, codes = turn_on(world.a.leader)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT == 10
    first = Client()
    password_step(first, world.a.leader)
    response = code_step(first, codes[0].upper().replace("-", " "))  # typed loosely
    assert response.status_code == 302 and signed_in(first)
    page = first.get(response.url, follow=True).content.decode()
    assert "còn 9 mã" in page

    second = Client()
    password_step(second, world.a.leader)
    response = code_step(second, codes[0])
    assert response.status_code == 200 and not signed_in(second)
    assert "Mã không đúng hoặc đã dùng rồi" in response.content.decode()
    assert code_step(second, codes[1]).status_code == 302 and signed_in(second)


def test_ten_wrong_codes_lock_the_second_step_for_a_while(world):
    device, codes = turn_on(world.a.leader)
    client = Client()
    password_step(client, world.a.leader)
    wrong = wrong_code_for(device.key)
    for _n in range(LIMIT - 1):
        assert code_step(client, wrong).status_code == 200
    response = code_step(client, "zzzz-zzzz")  # a wrong recovery code counts the same
    assert response.status_code == 429
    body = response.content.decode()
    assert f"sai mã xác thực {LIMIT} lần" in body and "Hãy thử lại sau" in body

    # Locked: the right code is refused too, and from another address (the count is per user).
    assert code_step(client, code_for(device.key)).status_code == 429
    elsewhere = Client()
    elsewhere.post(
        reverse("login"),
        {"username": world.a.leader.username, "password": f.PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert code_step(elsewhere, codes[0]).status_code == 429
    assert not signed_in(client) and not signed_in(elsewhere)

    past = timezone.now() - two_factor.lockout() - dt.timedelta(minutes=1)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=past)
    assert code_step(elsewhere, code_for(device.key)).status_code == 302
    assert signed_in(elsewhere)
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_the_second_step_expires_after_five_minutes(world):
    device, _codes = turn_on(world.a.leader)
    client = Client()
    password_step(client, world.a.leader)
    session = client.session
    session[two_factor.PENDING_KEY]["at"] -= two_factor.PENDING_SECONDS + 1
    session.save()
    response = code_step(client, code_for(device.key))
    assert response.status_code == 302 and response.url == reverse("login")
    assert not signed_in(client)
    page = client.get(response.url).content.decode()
    assert "Quá 5 phút chưa nhập mã xác thực" in page


def test_the_code_step_without_a_password_first_goes_back_to_the_login(world):
    device, _codes = turn_on(world.a.leader)
    client = Client()
    response = code_step(client, code_for(device.key))
    assert response.status_code == 302 and response.url == reverse("login")
    assert not signed_in(client)


def test_the_admin_login_does_not_skip_the_code(world):
    admin = get_user_model().objects.create_superuser("quantri", password=f.PASSWORD)
    device, _codes = turn_on(admin)
    client = Client()
    client.post(
        reverse("admin:login"),
        {"username": admin.username, "password": f.PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR=ADDRESS,
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url == reverse("accounts:two-factor-verify")
    assert not signed_in(client)
    response = code_step(client, code_for(device.key))
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_can_delete_a_lost_phone_but_never_reads_its_key(world):
    device, codes = turn_on(world.a.leader)
    admin = get_user_model().objects.create_superuser("quantri", password=f.PASSWORD)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200 and device.key not in page.content.decode()
    qr = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]))
    assert qr.status_code == 403
    static = device.user.staticdevice_set.get()
    page = client.get(reverse("admin:otp_static_staticdevice_change", args=[static.pk]))
    assert not any(c.replace("-", "") in page.content.decode() for c in codes)
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert two_factor.totp_device(world.a.leader) is None


def test_wrong_passwords_are_still_throttled_before_the_code(world):
    turn_on(world.a.leader)
    client = Client()
    for _n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": world.a.leader.username, "password": "sai"},
            REMOTE_ADDR=ADDRESS,
        )
    response = password_step(client, world.a.leader)
    assert response.status_code == 429
    assert two_factor.PENDING_KEY not in client.session


# -- setting up, per user ------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_key_then_ten_codes_once(world):
    user = world.a.clerk
    client = Client()
    client.force_login(user)
    page = client.get(reverse("accounts:two-factor-setup"))
    body = page.content.decode()
    key = client.session[two_factor.SETUP_SECRET_KEY]
    secret = b32encode(bytes.fromhex(key)).decode()
    assert '<svg viewBox="0 0' in body and 'class="qr"' in body
    assert " ".join(re.findall(".{4}", secret)) in body
    assert not TOTPDevice.objects.filter(user=user).exists()

    response = client.post(reverse("accounts:two-factor-setup"), {"code": code_for(key)})
    assert response.status_code == 302 and response.url == reverse("accounts:two-factor-codes")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    shown = client.get(reverse("accounts:two-factor-codes")).content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", shown)
    assert len(codes) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert {c.replace("-", "") for c in codes} == stored
    again = client.get(reverse("accounts:two-factor-codes")).content.decode()
    assert not any(c in again for c in codes)
    assert "chỉ hiện một lần" in again


def test_setting_up_refuses_a_wrong_code(world):
    client = Client()
    client.force_login(world.a.clerk)
    client.get(reverse("accounts:two-factor-setup"))
    key = client.session[two_factor.SETUP_SECRET_KEY]
    for bad in (wrong_code_for(key), "abc", ""):
        response = client.post(reverse("accounts:two-factor-setup"), {"code": bad})
        assert response.status_code == 200
        assert "Mã không khớp" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.a.clerk).exists()


def test_the_set_up_pages_are_the_signed_in_users_own(world):
    owner, other = world.a.leader, world.b.leader
    device, codes = turn_on(owner)
    owner_secret = b32encode(device.bin_key).decode()[:8]
    for name in URL_NAMES:
        reverse(name)  # no argument needed
        with pytest.raises(NoReverseMatch):
            reverse(name, kwargs={"pk": owner.pk})
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[owner.pk])

    client = Client()
    client.force_login(other)
    overview = client.get(reverse("accounts:two-factor"), {"user": owner.pk})
    assert "Bật xác thực hai bước" in overview.content.decode()
    assert "Đang bật" not in overview.content.decode()
    setup = client.get(reverse("accounts:two-factor-setup"), {"user": owner.pk}).content.decode()
    assert owner_secret not in setup.replace(" ", "")
    codes_page = client.get(reverse("accounts:two-factor-codes")).content.decode()
    assert not any(c in codes_page for c in codes)
    response = client.post(
        reverse("accounts:two-factor-disable"), {"secret": f.PASSWORD, "user": owner.pk}
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert StaticToken.objects.filter(device__user=owner).count() == 10


def test_turning_off_requires_the_password_or_a_code(world):
    user = world.a.leader
    turn_on(user)
    client = verified_client(user)
    url = reverse("accounts:two-factor-disable")
    assert "Tắt xác thực hai bước" in client.get(url).content.decode()
    for bad in ("", "sai"):
        response = client.post(url, {"secret": bad})
        assert response.status_code == 200
        assert "Mật khẩu hoặc mã không đúng; chưa thay đổi gì" in response.content.decode()
        assert TOTPDevice.objects.filter(user=user).exists()
    response = client.post(url, {"secret": f.PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert signed_in(client)
    fresh = Client()
    assert password_step(fresh, user).url == reverse("web:home") and signed_in(fresh)


def test_turning_off_accepts_a_current_code(world):
    user = world.a.clerk
    device, _codes = turn_on(user)
    client = verified_client(user)
    client.post(reverse("accounts:two-factor-disable"), {"secret": code_for(device.key, 1)})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_new_recovery_codes_replace_the_old_ones_after_the_password(world):
    user = world.a.leader
    _device, old = turn_on(user)
    client = verified_client(user)
    url = reverse("accounts:two-factor-recovery")
    assert client.post(url, {"secret": "sai"}).status_code == 200
    assert StaticToken.objects.filter(device__user=user, token=old[0].replace("-", "")).exists()
    response = client.post(url, {"secret": f.PASSWORD})
    assert response.url == reverse("accounts:two-factor-codes")
    new = re.findall(r"<code>([a-z2-7-]{9})</code>", client.get(response.url).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    again = Client()
    password_step(again, user)
    assert code_step(again, old[0]).status_code == 200 and not signed_in(again)
    assert code_step(again, new[0]).status_code == 302 and signed_in(again)


# -- recommended, or required ----------------------------------------------------------------------


def test_leaders_and_office_staff_are_recommended_two_factor_others_not(world):
    office_member = f.MembershipFactory(unit=world.office, role=Membership.Role.MEMBER).user
    assert two_factor.is_recommended(world.a.leader)
    assert two_factor.is_recommended(world.officer)
    assert two_factor.is_recommended(office_member)
    assert not two_factor.is_recommended(world.a.homeroom)
    assert not two_factor.is_recommended(world.a.police_contact)

    notice = "nên bật xác thực hai bước"
    for user, shown in ((world.a.leader, True), (office_member, True), (world.a.homeroom, False)):
        client = Client()
        password_step(client, user)
        page = client.get(reverse("tracking:my-work")).content.decode()
        assert (notice in page) is shown, user
    client = Client()
    password_step(client, world.a.leader)
    client.post(reverse("accounts:two-factor-notice"), {"next": reverse("tracking:my-work")})
    assert notice not in client.get(reverse("tracking:my-work")).content.decode()


def test_when_required_a_leader_is_sent_to_the_set_up_page_after_signing_in(world, settings):
    settings.PHOIHOP_REQUIRE_2FA_FOR_LEADERS = True
    leader = Client()
    password_step(leader, world.a.leader)
    response = leader.get(reverse("tracking:my-work"))
    assert response.status_code == 302 and response.url == reverse("accounts:two-factor-setup")
    page = leader.get(response.url).content.decode()
    assert "cần bật xác thực hai bước trước khi tiếp tục" in page
    key = leader.session[two_factor.SETUP_SECRET_KEY]
    leader.post(reverse("accounts:two-factor-setup"), {"code": code_for(key)})
    assert leader.get(reverse("tracking:my-work")).status_code == 200
    response = leader.post(reverse("accounts:two-factor-disable"), {"secret": f.PASSWORD})
    assert TOTPDevice.objects.filter(user=world.a.leader).exists()

    teacher = Client()
    password_step(teacher, world.a.homeroom)
    assert teacher.get(reverse("tracking:my-work")).status_code == 200


def test_by_default_two_factor_is_not_required(world):
    client = Client()
    password_step(client, world.a.leader)
    assert client.get(reverse("tracking:my-work")).status_code == 200


# -- pages -----------------------------------------------------------------------------------------


def inline_scripts(html: str) -> list[str]:
    """Script elements without a src, and on…= handlers, inside the page's main part."""
    main = html[html.index("<main") : html.index("</main>")]
    scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", main)
    return scripts + handlers


def test_the_pages_render_with_no_inline_script(world):
    user = world.a.leader
    device, _codes = turn_on(user)
    pending = Client()
    password_step(pending, user)
    pages = [pending.get(reverse("accounts:two-factor-verify"))]
    client = verified_client(user)
    own = ["accounts:two-factor", "accounts:two-factor-codes"]
    own += ["accounts:two-factor-recovery", "accounts:two-factor-disable"]
    pages += [client.get(reverse(name)) for name in own]
    client.post(reverse("accounts:two-factor-recovery"), {"secret": f.PASSWORD})
    pages.append(client.get(reverse("accounts:two-factor-codes")))
    newcomer = Client()
    newcomer.force_login(world.b.leader)
    pages.append(newcomer.get(reverse("accounts:two-factor-setup")))
    pages.append(newcomer.get(reverse("tracking:my-work")))
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert inline_scripts(html) == [], page.request["PATH_INFO"]
    assert "data-print" in pages[-3].content.decode()
    assert "<svg" in pages[-2].content.decode()
    assert device.key not in "".join(p.content.decode() for p in pages)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def without_two_factor(client, settings) -> Client:
    """The same session on a client whose middleware has neither django-otp's nor ours."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if "OTPMiddleware" not in m and "TwoFactor" not in m
    ]
    bare = Client()
    bare.cookies = client.cookies
    return bare


def test_two_factor_costs_no_query_on_the_pages_of_users_without_it(world, settings):
    url = reverse("tracking:my-work")
    client = Client()
    password_step(client, world.a.leader)  # a leader: the notice is on
    with_it = queries_for(client, url)
    assert "nên bật xác thực hai bước" in client.get(url).content.decode()
    assert queries_for(without_two_factor(client, settings), url) == with_it


def test_a_verified_session_costs_one_query_a_page_for_its_device(world, settings):
    url = reverse("tracking:my-work")
    turn_on(world.a.clerk)
    client = verified_client(world.a.clerk)
    with_it = queries_for(client, url)
    assert queries_for(without_two_factor(client, settings), url) == with_it - 1
