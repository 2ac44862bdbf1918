from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from phoihop.web import two_factor_views
from phoihop.web import views as web_views

urlpatterns = [
    path("", include("phoihop.web.urls")),
    path("accounts/login/", two_factor_views.SignInView.as_view(), name="login"),
    path("accounts/two-factor/", include("phoihop.web.two_factor_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
