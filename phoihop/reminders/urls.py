from django.urls import path

from phoihop.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.preferences, name="preferences"),
]
