"""What the navigation bar needs to know about the signed-in user.

It reads the request's scope (computed once per request and shared with the view), so showing the
right links costs no query on pages that already looked at the scope.
"""

from phoihop.units.scoping import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(request)
    return {
        "nav_manager": scope.is_superuser or bool(scope.manager_paths),
        "nav_offices": scope.office_ids(),
    }
