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
    path(
        "<int:pk>/steps/<slug:action>/confirm/",
        issuing_views.document_confirm_step,
        name="document-confirm-step",
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

# Plan editor, history, ways to start a document, comparison (issue 5).
from phoihop.documents import editor_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/edit/", editor_views.document_edit, name="document-edit"),
    path("<int:pk>/edit/sections/", editor_views.section_action, name="section-action"),
    path("<int:pk>/edit/undo/", editor_views.section_undo, name="section-undo"),
    path("<int:pk>/edit/items/", editor_views.item_action, name="item-action"),
    path("<int:pk>/edit/parts/<slug:kind>/", editor_views.part_action, name="part-action"),
    path("items/<int:pk>/edit/", editor_views.item_edit, name="item-edit"),
    path(
        "items/<int:pk>/edit/preview/",
        editor_views.item_cadence_preview,
        name="item-cadence-preview",
    ),
    path("<int:pk>/history/", editor_views.document_history, name="document-history"),
    path("new/<int:unit_pk>/", editor_views.document_new, name="document-new"),
    path(
        "new/<int:unit_pk>/template/",
        editor_views.document_new_from_template,
        name="document-new-template",
    ),
    path("<int:pk>/rollover/", editor_views.document_rollover, name="document-rollover"),
    path("<int:pk>/amend/", editor_views.document_amend, name="document-amend"),
    path("<int:pk>/compare/", editor_views.document_compare, name="document-compare"),
    path("<int:pk>/compare.docx", editor_views.document_compare_docx, name="document-compare-docx"),
]
