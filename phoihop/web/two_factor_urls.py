"""Two-factor sign-in, under /accounts/two-factor/ (see ``phoihop.web.two_factor``)."""

from django.urls import path

from phoihop.web import two_factor_views as views

app_name = "accounts"
urlpatterns = [
    path("", views.overview, name="two-factor"),
    path("setup/", views.setup, name="two-factor-setup"),
    path("codes/", views.recovery_codes, name="two-factor-codes"),
    path("recovery/", views.regenerate, name="two-factor-recovery"),
    path("off/", views.disable, name="two-factor-disable"),
    path("verify/", views.verify, name="two-factor-verify"),
    path("notice/", views.dismiss_notice, name="two-factor-notice"),
]
