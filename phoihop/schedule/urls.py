from django.urls import path

from phoihop.schedule import views

app_name = "schedule"
urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("<int:pk>/", views.activity_detail, name="activity-detail"),
]
