from django.urls import path

from phoihop.tracking import views

app_name = "tracking"
urlpatterns = [
    path("<int:pk>/", views.class_detail, name="class-detail"),
    path("students/<int:pk>/", views.student_detail, name="student-detail"),
]

# "Việc của tôi", recording results with evidence, home visits and their coverage.
from phoihop.tracking import record_views, visit_views, work_views  # noqa: E402

urlpatterns += [
    path("me/", work_views.my_work_view, name="my-work"),
    path("coverage/", visit_views.school_coverage_view, name="school-coverage"),
    path("<int:pk>/visit/", visit_views.home_visit, name="home-visit"),
    path("<int:pk>/coverage/", visit_views.class_coverage_view, name="class-coverage"),
    path("activities/<int:pk>/record/", record_views.record_create, name="record-create"),
    path("records/<int:pk>/", record_views.record_detail, name="record-detail"),
    path("records/<int:pk>/edit/", record_views.record_edit, name="record-edit"),
    path("records/<int:pk>/minutes.docx", record_views.record_minutes, name="record-minutes"),
    path("attachments/<int:pk>/", record_views.attachment_file, name="attachment"),
]

# Students import and transfers, targets, dashboard (issue 6).
from phoihop.tracking import dashboard_views, students_views, targets_views  # noqa: E402

urlpatterns += [
    path(
        "units/<int:unit_pk>/students/import/",
        students_views.students_import,
        name="students-import",
    ),
    path(
        "units/<int:unit_pk>/students/import/mapping/",
        students_views.students_import_mapping,
        name="students-import-mapping",
    ),
    path(
        "units/<int:unit_pk>/students/import/report/",
        students_views.students_import_report,
        name="students-import-report",
    ),
    path(
        "units/<int:unit_pk>/students/import/cancel/",
        students_views.students_import_cancel,
        name="students-import-cancel",
    ),
    path(
        "units/<int:unit_pk>/students/import/mau.xlsx",
        students_views.students_import_template,
        name="students-import-template",
    ),
    path("students/<int:pk>/transfer/", students_views.student_transfer, name="student-transfer"),
    path("units/<int:unit_pk>/targets/", targets_views.target_list, name="target-list"),
    path("targets/<int:pk>/", targets_views.target_detail, name="target-detail"),
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard-home"),
    path("units/<int:unit_pk>/dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path(
        "units/<int:unit_pk>/dashboard/<slug:chart>.xlsx",
        dashboard_views.dashboard_export,
        name="dashboard-export",
    ),
]

# Students' personal data: the access log, consent, export and erasure on request (issue 13).
from phoihop.tracking import privacy_views  # noqa: E402

urlpatterns += [
    path(
        "units/<int:unit_pk>/students/access-log/",
        privacy_views.access_log_view,
        name="student-access-log",
    ),
    path("students/<int:pk>/consent/", privacy_views.student_consent, name="student-consent"),
    path(
        "students/<int:pk>/export.<str:fmt>",
        privacy_views.student_export,
        name="student-export",
    ),
    path("students/<int:pk>/erase/", privacy_views.student_erase, name="student-erase"),
]

# A new school year's classes in one step (issue 18).
from phoihop.tracking import promotion_views  # noqa: E402

urlpatterns += [
    path("units/<int:unit_pk>/promote/", promotion_views.promote, name="classes-promote"),
]
