from django.urls import path

from phoihop.schedule import calendar_views, views

app_name = "schedule"
urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("<int:pk>/", views.activity_detail, name="activity-detail"),
]

# The calendar, "this week", scheduling a document, iCalendar feeds and the monthly work calendar.
urlpatterns += [
    path("calendar/", calendar_views.calendar_month, name="calendar-month"),
    path("calendar/list/", calendar_views.calendar_list, name="calendar-list"),
    path(
        "calendar/<int:unit_pk>/<int:year>-<int:month>.docx",
        calendar_views.calendar_docx,
        name="calendar-docx",
    ),
    path("this-week/", calendar_views.this_week, name="this-week"),
    path("schedule/<int:document_pk>/", calendar_views.document_schedule, name="document-schedule"),
    path("feeds/", calendar_views.feed_settings, name="calendar-feeds"),
    path("feeds/<int:pk>/revoke/", calendar_views.feed_revoke, name="calendar-feed-revoke"),
    path("feeds/<slug:token>.ics", calendar_views.feed, name="calendar-feed"),
]

# A unit's school-year frame (issue 4: editable per province and per unit).
from phoihop.schedule import school_year_views  # noqa: E402

urlpatterns += [
    path("school-year/<int:unit_pk>/", school_year_views.school_year_page, name="school-year"),
]
