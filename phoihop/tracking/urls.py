from django.urls import path

from phoihop.tracking import views

app_name = "tracking"
urlpatterns = [
    path("<int:pk>/", views.class_detail, name="class-detail"),
    path("students/<int:pk>/", views.student_detail, name="student-detail"),
]
