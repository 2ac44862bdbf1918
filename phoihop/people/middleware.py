"""Send the first visitor of an empty installation to the first-run page."""

from django.conf import settings
from django.shortcuts import redirect, resolve_url

from phoihop.people.setup import installation_is_empty


class FirstRunMiddleware:
    """Only the site's front door (its root and the login page) is checked, at the cost of one
    or two indexed queries there; every other page costs nothing. Nothing is cached, so a
    database emptied or restored under a running server is seen as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path in ("/", resolve_url(settings.LOGIN_URL)):
            if installation_is_empty():
                return redirect("first-run")
        return self.get_response(request)
