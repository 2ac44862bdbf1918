from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from phoihop.people import public_views as people_public_views
from phoihop.web import two_factor_views
from phoihop.web import views as web_views

urlpatterns = [
    path("", include("phoihop.web.urls")),
    path("accounts/login/", two_factor_views.SignInView.as_view(), name="login"),
    path("accounts/two-factor/", include("phoihop.web.two_factor_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="people/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="people/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="people/password_reset_form.html",
            email_template_name="people/password_reset_email.txt",
            subject_template_name="people/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="people/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="people/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("setup/", people_public_views.first_run_page, name="first-run"),
    path("people/", include("phoihop.people.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("units/", include("phoihop.units.urls")),
    path("documents/", include("phoihop.documents.urls")),
    path("activities/", include("phoihop.schedule.urls")),
    path("classes/", include("phoihop.tracking.urls")),
    path("reminders/", include("phoihop.reminders.urls")),
    path("reviews/", include("phoihop.reviews.urls")),
    path("admin/", admin.site.urls),
]

handler400 = web_views.bad_request
handler403 = web_views.permission_denied
handler404 = web_views.page_not_found
handler500 = web_views.server_error
