"""Send the first visitor of an empty installation to the first-run page."""

from django.conf import settings
from django.shortcuts import redirect, resolve_url

from phoihop.people.setup import installation_is_empty


class FirstRunMiddleware:
    """Only the site's front door (its root and the login page) is checked, with one query, so
    other pages cost nothing; once a unit or an account exists the check is false for good."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.set_up = False

    def __call__(self, request):
        if not self.set_up and request.method == "GET":
            if request.path in ("/", resolve_url(settings.LOGIN_URL)):
                if installation_is_empty():
                    return redirect("first-run")
                self.set_up = True
        return self.get_response(request)
