from django.urls import path

from phoihop.units import tree_views, views

app_name = "units"
urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
    path("<int:pk>/tree/", tree_views.unit_tree, name="unit-tree"),
    path("<int:pk>/tree/add/", tree_views.unit_add, name="unit-add"),
    path("<int:pk>/tree/move/<int:unit_pk>/", tree_views.unit_move, name="unit-move"),
]
