"""Pages of two-factor sign-in: the second step of the login, and each user's own set-up.

Every page here acts on ``request.user`` (or on the user waiting for the second step, kept in the
session by the login): no URL names a user or a device, so nobody can reach another's.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from phoihop.web import two_factor

DEFAULT_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInView(LoginView):
    """The site's login: the password first; for an account with two-factor on, the code next,
    and only then a session (``verify``)."""

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.totp_device(user) is None:
            return super().form_valid(form)
        backend = getattr(user, "backend", "")
        two_factor.begin_pending(self.request, user, backend, self.get_success_url())
        return redirect("accounts:two-factor-verify")


def _refusal(check: two_factor.Check) -> tuple[str, int]:
    """The message (and status) for a code or password that was not accepted."""
    if check.locked:
        retry_at = timezone.localtime(check.retry_at).strftime("%H:%M")
        message = _(
            "Đã nhập sai mã xác thực %(failures)d lần nên bước này tạm bị khóa %(minutes)d phút."
            " Hãy thử lại sau %(time)s."
        ) % {
            "failures": settings.LOGIN_FAILURE_LIMIT,
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "time": retry_at,
        }
        return message, 429
    return _("Mã không đúng hoặc đã dùng rồi. Hãy nhập mã mới trong ứng dụng xác thực."), 200


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """The second step: the 6-digit code from the app, or one recovery code."""
    expired = two_factor.pending_expired(request)
    waiting = two_factor.pending(request)
    if waiting is None:
        if expired:
            messages.error(request, _("Quá 5 phút chưa nhập mã xác thực. Hãy đăng nhập lại."))
        return redirect("login")
    error, status = "", 200
    if request.method == "POST":
        check = two_factor.check_code(waiting.user, request.POST.get("code", ""))
        if check.ok:
            return _finish_sign_in(request, waiting, check)
        error, status = _refusal(check)
    return render(request, "registration/two_factor_verify.html", {"error": error}, status=status)


def _finish_sign_in(request, waiting: two_factor.Pending, check: two_factor.Check):
    two_factor.end_pending(request)
    user = waiting.user
    user.otp_device = check.device  # django-otp marks the session as verified on login()
    backend = waiting.backend if waiting.backend in settings.AUTHENTICATION_BACKENDS else None
    auth_login(request, user, backend=backend or DEFAULT_BACKEND)
    if check.used_recovery_code:
        left = two_factor.recovery_codes_left(user)
        messages.warning(
            request,
            ngettext(
                "Bạn vừa dùng một mã dự phòng; còn %(count)d mã. Hãy tạo bộ mã mới khi sắp hết.",
                "Bạn vừa dùng một mã dự phòng; còn %(count)d mã. Hãy tạo bộ mã mới khi sắp hết.",
                left,
            )
            % {"count": left},
        )
    next_url = waiting.next_url
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect(next_url)


def guard(request):
    """Called by ``TwoFactorMiddleware`` on every request: a session opened without the code
    (a sign-in elsewhere than the site's login) goes back to the second step, and a user who
    must set two-factor up is sent to the set-up page. Costs no query unless a flag is set."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.get(two_factor.UNVERIFIED_KEY):
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        if user.is_authenticated and not verified and two_factor.totp_device(user) is not None:
            backend = session.get(BACKEND_SESSION_KEY, "")
            next_url = request.get_full_path() if request.method == "GET" else ""
            logout(request)
            two_factor.begin_pending(request, user, backend, next_url)
            return redirect("accounts:two-factor-verify")
        session.pop(two_factor.UNVERIFIED_KEY, None)
    if session.get(two_factor.SETUP_REQUIRED_KEY) and request.user.is_authenticated:
        exempt = (reverse("accounts:two-factor"), reverse("logout"), reverse("set_language"))
        if not request.path.startswith(exempt):
            messages.warning(
                request,
                _("Tài khoản của bạn cần bật xác thực hai bước trước khi tiếp tục làm việc."),
            )
            return redirect("accounts:two-factor-setup")
    return None


# -- each user's own set-up -----------------------------------------------------------------------


def overview(request):
    user = request.user
    device = two_factor.totp_device(user)
    context = {
        "device": device,
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
        "recommended": two_factor.is_recommended(user),
        "required": two_factor.is_required(user),
    }
    return render(request, "registration/two_factor_overview.html", context)


def _setup_secret(request) -> str:
    secret = request.session.get(two_factor.SETUP_SECRET_KEY)
    if not isinstance(secret, str) or len(secret) != 40:
        secret = two_factor.new_secret()
        request.session[two_factor.SETUP_SECRET_KEY] = secret
    return secret


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """The QR code and the key for the app, then the first code to confirm them."""
    user = request.user
    if two_factor.totp_device(user) is not None:
        messages.info(
            request,
            _("Xác thực hai bước đang bật. Muốn chuyển sang điện thoại khác, hãy tắt rồi bật lại."),
        )
        return redirect("accounts:two-factor")
    secret = _setup_secret(request)
    error = ""
    if request.method == "POST":
        try:
            device, codes = two_factor.enable(user, secret, request.POST.get("code", ""))
        except two_factor.SetupError:
            error = _(
                "Mã không khớp. Hãy kiểm tra giờ trên điện thoại và nhập mã đang hiện trong ứng"
                " dụng."
            )
        else:
            for key in (
                two_factor.SETUP_SECRET_KEY,
                two_factor.SETUP_REQUIRED_KEY,
                two_factor.RECOMMENDED_KEY,
            ):
                request.session.pop(key, None)
            django_otp.login(request, device)
            request.session[two_factor.FRESH_CODES_KEY] = codes
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect("accounts:two-factor-codes")
    context = {
        "provisioning": two_factor.provisioning(user, secret),
        "error": error,
        "required": two_factor.is_required(user),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
def recovery_codes(request):
    """The ten new recovery codes, shown this once."""
    codes = request.session.pop(two_factor.FRESH_CODES_KEY, None)
    if not isinstance(codes, list):
        codes = []
    context = {"codes": codes, "enabled": two_factor.totp_device(request.user) is not None}
    return render(request, "registration/two_factor_codes.html", context)


def _confirmed(request, *, title: str, intro: str, button: str, on_confirmed):
    """Ask for the current password or a current code before ``on_confirmed`` runs."""
    if two_factor.totp_device(request.user) is None:
        messages.info(request, _("Xác thực hai bước đang tắt."))
        return redirect("accounts:two-factor")
    error, status = "", 200
    if request.method == "POST":
        check = two_factor.check_code(
            request.user, request.POST.get("secret", ""), accept_password=True
        )
        if check.ok:
            return on_confirmed()
        error, status = _refusal(check)
        if not check.locked:
            error = _("Mật khẩu hoặc mã không đúng; chưa thay đổi gì. Hãy thử lại.")
    context = {"title": title, "intro": intro, "button": button, "error": error}
    return render(request, "registration/two_factor_confirm.html", context, status=status)


@sensitive_post_parameters("secret")
def regenerate(request):
    def confirmed():
        request.session[two_factor.FRESH_CODES_KEY] = two_factor.new_recovery_codes(request.user)
        messages.success(request, _("Đã tạo mười mã dự phòng mới; các mã cũ không còn dùng được."))
        return redirect("accounts:two-factor-codes")

    return _confirmed(
        request,
        title=_("Tạo mã dự phòng mới"),
        intro=_("Mười mã mới sẽ thay cho mọi mã dự phòng cũ, kể cả những mã chưa dùng."),
        button=_("Tạo mã mới"),
        on_confirmed=confirmed,
    )


@sensitive_post_parameters("secret")
def disable(request):
    if two_factor.is_required(request.user):
        messages.error(
            request,
            _(
                "Tài khoản lãnh đạo và cán bộ phòng, sở phải dùng xác thực hai bước nên không tắt"
                " được. Nếu mất điện thoại, hãy nhờ người quản trị."
            ),
        )
        return redirect("accounts:two-factor")

    def confirmed():
        two_factor.disable(request.user)
        two_factor.note_turned_off(request)
        messages.success(request, _("Đã tắt xác thực hai bước; từ nay đăng nhập chỉ cần mật khẩu."))
        return redirect("accounts:two-factor")

    return _confirmed(
        request,
        title=_("Tắt xác thực hai bước"),
        intro=_("Sau khi tắt, ai biết mật khẩu của bạn là đăng nhập được."),
        button=_("Tắt xác thực hai bước"),
        on_confirmed=confirmed,
    )


@require_POST
def dismiss_notice(request):
    """Hide the recommendation until the next sign-in."""
    request.session.pop(two_factor.RECOMMENDED_KEY, None)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:home")
    return redirect(next_url)
