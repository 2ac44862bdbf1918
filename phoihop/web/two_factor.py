"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and ten one-time recovery codes.

Optional for everyone and recommended to those whose account opens the most: a unit's leadership,
the staff of an education office (Sở, Phòng) and the installation's superusers. The setting
``PHOIHOP_REQUIRE_2FA_FOR_LEADERS`` turns the recommendation into a requirement.

The devices are django-otp's: one confirmed ``TOTPDevice`` per user says two-factor is on, and a
``StaticDevice`` holds the recovery codes (each deleted when used). Wrong codes are counted per
user, whichever address they come from, on the TOTP device's failure fields: after
``LOGIN_FAILURE_LIMIT`` of them the second step refuses every code, right or wrong, for
``LOGIN_LOCKOUT_MINUTES`` (the same numbers as wrong passwords, which django-axes counts).

A password alone never opens a full session for an account with two-factor on: the site's login
keeps the user's id in the session (``begin_pending``) for at most five minutes until the code is
given, and a session opened elsewhere without the code (the admin's login page) is turned back into
that pending state by ``TwoFactorMiddleware``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from phoihop.units.models import Unit
from phoihop.units.scoping import Scope

RECOVERY_CODE_COUNT = 10
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"

# Session keys. The one without a leading underscore is read by the base template (the notice).
PENDING_KEY = "_phoihop_2fa_pending"
SETUP_SECRET_KEY = "_phoihop_2fa_setup_secret"
FRESH_CODES_KEY = "_phoihop_2fa_fresh_codes"
UNVERIFIED_KEY = "_phoihop_2fa_unverified"
SETUP_REQUIRED_KEY = "_phoihop_2fa_setup_required"
RECOMMENDED_KEY = "phoihop_2fa_recommended"

_SEPARATORS = re.compile(r"[\s\-]+")


# -- who is asked ---------------------------------------------------------------------------------


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None when two-factor is off."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_recommended(user) -> bool:
    """Leaders of a unit, staff of an office and superusers: the accounts that see the most."""
    scope = Scope.for_user(user)
    if scope.is_superuser or scope.leader_unit_ids:
        return True
    return Unit.objects.filter(
        pk__in=scope.own_staff_unit_ids, level__in=Unit.OFFICE_LEVELS
    ).exists()


def is_required(user) -> bool:
    return bool(getattr(settings, "PHOIHOP_REQUIRE_2FA_FOR_LEADERS", False)) and is_recommended(
        user
    )


def note_sign_in(sender, request, user, **kwargs) -> None:
    """After any sign-in (receiver of ``user_logged_in``), note in the session what the user
    still owes: the code, when they signed in somewhere that did not ask for it; the set-up,
    when it is required of them; or the notice that recommends it."""
    session = getattr(request, "session", None)
    if session is None:
        return
    for key in (UNVERIFIED_KEY, SETUP_REQUIRED_KEY, RECOMMENDED_KEY):
        session.pop(key, None)
    if getattr(user, "otp_device", None) is not None:
        return  # signed in through the second step
    if totp_device(user) is not None:
        session[UNVERIFIED_KEY] = True
    elif is_recommended(user):
        session[RECOMMENDED_KEY] = True
        if is_required(user):
            session[SETUP_REQUIRED_KEY] = True


def note_turned_off(request) -> None:
    if is_recommended(request.user):
        request.session[RECOMMENDED_KEY] = True


# -- setting up -----------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh TOTP key (20 random bytes, hex), kept in the session until the user confirms it."""
    return random_hex(20)


@dataclass(frozen=True)
class Provisioning:
    url: str  # otpauth://totp/… as authenticator apps read it
    secret: str  # the same key in base32, grouped by four for typing by hand
    qr_svg: SafeString  # the URL as a QR code, inline SVG drawn here


def provisioning(user, secret_hex: str) -> Provisioning:
    device = TOTPDevice(user=user, key=secret_hex)
    url = device.config_url
    secret = re.search(r"[?&]secret=([A-Z2-7]+)", url).group(1)
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, svgclass="qr", omitsize=True)
    # segno draws the code as path data from the URL's bits: no text of the user's in it.
    return Provisioning(url=url, secret=" ".join(_chunks(secret, 4)), qr_svg=mark_safe(svg))


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


class SetupError(Exception):
    """The confirmation code does not match the key being set up."""


def enable(user, secret_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on once the app shows the right code for the new key; returns the device
    and the ten recovery codes (shown once, then only their use is known)."""
    token = normalise(code)
    if not re.fullmatch(r"\d{6}", token):
        raise SetupError
    totp = TOTP(bytes.fromhex(secret_hex))
    totp.time = time.time()
    if not totp.verify(int(token), tolerance=1):
        raise SetupError
    with transaction.atomic():
        _delete_devices(user)
        device = TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, key=secret_hex, confirmed=True, last_t=totp.t()
        )
        codes = _replace_recovery_codes(user)
    return device, codes


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones (the old ones stop working)."""
    with transaction.atomic():
        return _replace_recovery_codes(user)


def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    tokens = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    tokens = sorted(tokens)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [display_code(t) for t in tokens]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def disable(user) -> None:
    with transaction.atomic():
        _delete_devices(user)


def _delete_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def display_code(token: str) -> str:
    """Recovery codes are shown as ``abcd-efgh``; ``normalise`` takes them back either way."""
    return "-".join(_chunks(token, 4))


def normalise(code: str) -> str:
    return _SEPARATORS.sub("", code or "").lower()[:32]


# -- checking a code ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """The outcome of checking what the user typed."""

    device: TOTPDevice | StaticDevice | None = None  # the device that accepted it
    retry_at: dt.datetime | None = None  # set when the user is locked out
    by_password: bool = False

    @property
    def ok(self) -> bool:
        return self.device is not None or self.by_password

    @property
    def locked(self) -> bool:
        return self.retry_at is not None

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def lockout() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _retry_at(device: TOTPDevice) -> dt.datetime | None:
    if device.throttling_failure_count < settings.LOGIN_FAILURE_LIMIT:
        return None
    if device.throttling_failure_timestamp is None:
        return None
    retry_at = device.throttling_failure_timestamp + lockout()
    return retry_at if retry_at > timezone.now() else None


def check_code(user, code: str, accept_password: bool = False) -> Check:
    """Check a 6-digit code from the app or a recovery code (or, to confirm a change of settings
    by a signed-in user, the current password). Every refusal counts towards the lock."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            return Check()
        retry_at = _retry_at(device)
        if retry_at is not None:
            return Check(retry_at=retry_at)
        if accept_password and code and user.check_password(code):
            device.throttle_reset()
            return Check(by_password=True)
        token = normalise(code)
        if re.fullmatch(r"\d{6}", token):
            # django-otp counts the failure on the device itself (or resets it on success).
            if device.verify_token(token):
                return Check(device=device)
        else:
            recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if recovery is not None and token and recovery.verify_token(token):
                device.throttle_reset()
                return Check(device=recovery)
            device.throttle_increment()
        return Check(retry_at=_retry_at(device))


# -- the pending second step ----------------------------------------------------------------------


def begin_pending(request, user, backend: str, next_url: str | None) -> None:
    """Remember, for ``PENDING_SECONDS``, whose password was right; nobody is signed in yet."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url or "",
        "at": int(time.time()),
    }


@dataclass(frozen=True)
class Pending:
    user: object
    backend: str
    next_url: str


def pending(request) -> Pending | None:
    """The user waiting for the second step, or None (nobody, or more than five minutes ago)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > PENDING_SECONDS:
        end_pending(request)
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        end_pending(request)
        return None
    return Pending(user=user, backend=data.get("backend") or "", next_url=data.get("next") or "")


def pending_expired(request) -> bool:
    """True when a pending second step is in the session but too old (read before ``pending``)."""
    data = request.session.get(PENDING_KEY)
    return isinstance(data, dict) and time.time() - data.get("at", 0) > PENDING_SECONDS


def end_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)
