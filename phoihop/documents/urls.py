from django.urls import path

from phoihop.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
]
