"""Carry the request's language into the plain-Python core."""

from django.utils import translation

from phoihop.core import i18n


class CoreLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        i18n.activate(translation.get_language() or "vi")
        try:
            return self.get_response(request)
        finally:
            i18n.activate(None)
