from django.urls import path

from phoihop.people import public_views, staff_views, views

app_name = "people"
urlpatterns = [
    path("invite/<str:token>/", public_views.invitation_accept, name="invitation-accept"),
    path("units/<int:unit_pk>/", views.people_list, name="people-list"),
    path("units/<int:unit_pk>/add/", views.person_add, name="person-add"),
    path("units/<int:unit_pk>/import/", staff_views.staff_import, name="staff-import"),
    path(
        "units/<int:unit_pk>/import/template.xlsx",
        staff_views.staff_import_template,
        name="staff-import-template",
    ),
    path(
        "units/<int:unit_pk>/import/report/",
        staff_views.staff_import_report,
        name="staff-import-report",
    ),
    path("units/<int:unit_pk>/invitations/", staff_views.invitation_sheet, name="invitation-sheet"),
    path("units/<int:unit_pk>/<int:user_pk>/", views.person_detail, name="person-detail"),
    path("units/<int:unit_pk>/<int:user_pk>/edit/", views.person_edit, name="person-edit"),
    path("units/<int:unit_pk>/<int:user_pk>/roles/", views.role_add, name="role-add"),
    path(
        "units/<int:unit_pk>/<int:user_pk>/roles/<int:membership_pk>/end/",
        views.role_end,
        name="role-end",
    ),
    path(
        "units/<int:unit_pk>/<int:user_pk>/deactivate/",
        views.person_deactivate,
        name="person-deactivate",
    ),
    path(
        "units/<int:unit_pk>/<int:user_pk>/invitation/",
        views.invitation_page,
        name="invitation",
    ),
    path(
        "units/<int:unit_pk>/<int:user_pk>/invitation/new/",
        views.invitation_new,
        name="invitation-new",
    ),
    path(
        "units/<int:unit_pk>/<int:user_pk>/invitation/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "units/<int:unit_pk>/classes/<int:class_pk>/handover/",
        views.class_handover,
        name="class-handover",
    ),
]
