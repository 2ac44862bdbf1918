from django.urls import path

from phoihop.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
]

# Issuing workflow, downloads, check and receipts (issue 5).
from phoihop.documents import issuing_views  # noqa: E402

urlpatterns += [
    path(
        "<int:pk>/steps/<slug:action>/",
        issuing_views.document_transition,
        name="document-transition",
    ),
    path("<int:pk>/docx/", issuing_views.document_docx, name="document-docx"),
    path("<int:pk>/pdf/", issuing_views.document_pdf, name="document-pdf"),
    path("<int:pk>/lint/", issuing_views.document_lint, name="document-lint"),
    path("<int:pk>/acknowledge/", issuing_views.document_acknowledge, name="document-acknowledge"),
    path("received/", issuing_views.acknowledgement_list, name="acknowledgement-list"),
]

# Import a plan from a file: upload, editable preview, save (issue 3).
from phoihop.documents import import_views  # noqa: E402

urlpatterns += [
    path("import/<int:unit_pk>/", import_views.import_upload, name="import-upload"),
    path(
        "import/<int:unit_pk>/<str:token>/",
        import_views.import_preview,
        name="import-preview",
    ),
    path(
        "import/<int:unit_pk>/<str:token>/cancel/",
        import_views.import_cancel,
        name="import-cancel",
    ),
]
