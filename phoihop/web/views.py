"""Site-wide pages: the landing redirect and the error pages."""

from django.shortcuts import redirect, render
from django.views.decorators.csrf import requires_csrf_token

from phoihop.units.scoping import scope_for


def home(request):
    """Send the user to their unit; offer a choice when they belong to several."""
    units = list(scope_for(request).units().order_by("path")[:50])
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
