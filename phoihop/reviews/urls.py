from django.urls import path

from phoihop.reviews import views

app_name = "reviews"
urlpatterns = [
    path("rollup/<int:office_pk>/", views.rollup_page, name="rollup"),
    path("rollup/<int:office_pk>/export.xlsx", views.rollup_export, name="rollup-export"),
    path("cascade/<int:document_pk>/", views.cascade_page, name="cascade"),
    path("documents/<int:document_pk>/", views.plan_reviews, name="plan-reviews"),
    path("<int:pk>/", views.review_edit, name="review-edit"),
    path("<int:pk>/report/", views.review_report, name="review-report"),
    path("<int:pk>/report.docx", views.review_docx, name="review-docx"),
    path("<int:pk>/carry-over/", views.review_carry_over, name="review-carry-over"),
]
