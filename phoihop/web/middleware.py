"""Carry the request's language into the plain-Python core."""

from django.utils import translation

from phoihop.core import i18n


class VietnameseFirstMiddleware:
    """Ignore the browser's Accept-Language: the interface is Vietnamese unless the user picks
    English in the language menu (a cookie). Many phones in Vietnamese schools are set to English,
    and their users still expect the school's software in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class CoreLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        i18n.activate(translation.get_language() or "vi")
        try:
            return self.get_response(request)
        finally:
            i18n.activate(None)


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` with every response that has none of its own.

    Django 5.2 has no CSP support of its own (it comes in 6.0). The templates hold no inline script
    and no ``on…=`` attribute (a test walks them); their behaviour lives in ``phoihop/site.js``.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.policy = settings.CONTENT_SECURITY_POLICY
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware and the messages: what ``two_factor_views.guard``
    decides (back to the second step, or on to the set-up page) before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from phoihop.web.two_factor_views import guard

        return guard(request) or self.get_response(request)
