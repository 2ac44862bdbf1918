from django.urls import path

from phoihop.units import views

app_name = "units"
urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
]
