"""Site-wide pages: the landing redirect, the error pages and the login lockout page."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from phoihop.units.scoping import scope_for


def home(request):
    """Send the user where their day starts: a homeroom teacher or a partner contact, who manage
    nothing, to their own work (this week, their class); a leader or clerk to their unit, with a
    choice when they belong to several."""
    scope = scope_for(request)
    if not scope.is_superuser and not scope.manager_paths:
        if scope.homeroom_class_ids or scope.partner_party_ids:
            return redirect("tracking:my-work")
    units = list(scope.units().order_by("path")[:50])
    if len(units) == 1:
        return redirect("units:unit-detail", pk=units[0].pk)
    return render(request, "web/home.html", {"units": units})


def _error(request, status: int, template: str):
    return render(request, template, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400, "400.html")


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


@requires_csrf_token
def server_error(request):
    return _error(request, 500, "500.html")


def locked_out(request, response=None, credentials=None):
    """What django-axes answers once a username has failed too often from one address (429):
    when to try again, counted from this attempt (each failure during the lock restarts it)."""
    retry_at = timezone.localtime() + settings.AXES_COOLOFF_TIME
    context = {
        "failures": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "retry_at": retry_at,
    }
    return render(request, "registration/locked_out.html", context, status=429)
