"""Calendar pages: the month grid, the list, "this week", scheduling a document, the iCalendar
feeds and the printable monthly work calendar.

Views are thin: access through ``units.scoping`` (via ``scope_for`` or, for feeds, the token
owner's ``Scope``), one query module (``schedule.queries``), one builder (``feeds``,
``worksheet``), then render.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.documents.models import ItemParty
from phoihop.params import id_param
from phoihop.schedule import feeds
from phoihop.schedule.models import Activity, FeedToken
from phoihop.schedule.queries import (
    DayMarks,
    day_marks,
    for_party,
    mine,
    month_bounds,
    week_bounds,
    with_related,
)
from phoihop.schedule.services import SchedulingError, schedule_document
from phoihop.schedule.worksheet import WorksheetRow, build_month_worksheet, weekday_name
from phoihop.tracking.models import SchoolClass
from phoihop.units.scoping import Scope, scope_for

# A month cell shows this many activities, then "+N"; the grid fetches at most MONTH_LIMIT rows
# (a province's leader filters before looking at a whole month).
CELL_LIMIT = 4
MONTH_LIMIT = 1500
LIST_PAGE_SIZE = 100
OVERDUE_LIMIT = 100
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- request parameters ---------------------------------------------------------------------------


def _month(request) -> tuple[int, int]:
    """``?month=2025-10``; the current month when absent or malformed."""
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        month_bounds(year, month)
        if not 1900 <= year <= 2199:
            raise ValueError(raw)
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


def _shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class Filters:
    """The calendar's filters; every id has been checked against what the user may see."""

    party: int | None = None
    person: int | None = None
    school_class: int | None = None
    status: str = ""

    @classmethod
    def from_request(cls, request, scope: Scope) -> Filters:
        """Parse the filters; an id the user may not see is a 404, like a URL to it would be."""
        filters = cls(
            party=id_param(request.GET, "party"),
            person=id_param(request.GET, "person"),
            school_class=id_param(request.GET, "class"),
            status=request.GET.get("status", ""),
        )
        if filters.status not in Activity.Status.values:
            filters.status = ""
        visible = scope.activities()
        if filters.party is not None and not scope.parties().filter(pk=filters.party).exists():
            raise Http404
        if filters.school_class is not None and not (
            scope.classes().filter(pk=filters.school_class).exists()
            or visible.filter(school_class_id=filters.school_class).exists()
        ):
            raise Http404
        if (
            filters.person is not None
            and filters.person != request.user.pk
            and not visible.filter(assignee_user_id=filters.person).exists()
        ):
            raise Http404
        return filters

    def apply(self, activities):
        if self.party is not None:
            activities = for_party(activities, self.party)
        if self.person is not None:
            activities = activities.filter(assignee_user_id=self.person)
        if self.school_class is not None:
            activities = activities.filter(school_class_id=self.school_class)
        if self.status:
            activities = activities.filter(status=self.status)
        return activities

    def query(self, **extra) -> str:
        """The filters as a query string, for links that keep them."""
        params = {
            "party": self.party or "",
            "person": self.person or "",
            "class": self.school_class or "",
            "status": self.status,
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _filter_options(scope: Scope, period_activities) -> dict:
    """Choices for the filter form: people and classes are those of the period's activities."""
    users = get_user_model().objects.filter(
        pk__in=period_activities.exclude(assignee_user=None).values("assignee_user_id")
    )
    classes = SchoolClass.objects.filter(
        pk__in=period_activities.exclude(school_class=None).values("school_class_id")
    )
    return {
        "parties": scope.parties().order_by("name"),
        "people": users.order_by("last_name", "first_name", "username"),
        "classes": classes.order_by("grade", "name"),
        "statuses": Activity.Status.choices,
    }


# -- the month grid and the list ------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    day_off: str = ""
    is_tet: bool = False
    activities: list = field(default_factory=list)
    more: int = 0

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def weekday(self) -> str:
        return weekday_name(self.date)

    @property
    def is_marked(self) -> bool:
        return bool(self.day_off or self.is_tet)


def _month_grid(year: int, month: int, activities, marks: DayMarks) -> list[list[Day]]:
    """Monday-first weeks covering the month, each day with its activities and marks."""
    by_day: dict[dt.date, list] = {}
    for activity in activities:
        by_day.setdefault(activity.due_on, []).append(activity)
    today = timezone.localdate()
    weeks = []
    for week in std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = []
        for date in week:
            items = by_day.get(date, []) if date.month == month else []
            days.append(
                Day(
                    date=date,
                    in_month=date.month == month,
                    is_today=date == today,
                    day_off=marks.name(date),
                    is_tet=marks.is_tet(date),
                    activities=items[:CELL_LIMIT],
                    more=max(0, len(items) - CELL_LIMIT),
                )
            )
        weeks.append(days)
    return weeks


def _calendar_context(request, scope: Scope, year: int, month: int) -> tuple[dict, object]:
    first, last = month_bounds(year, month)
    filters = Filters.from_request(request, scope)
    in_month = scope.activities().filter(due_on__range=(first, last))
    activities = with_related(filters.apply(in_month)).order_by("due_on", "pk")
    context = {
        "month": first,
        "month_value": f"{year:04d}-{month:02d}",
        "previous_month": _shift_month(year, month, -1),
        "next_month": _shift_month(year, month, 1),
        "filters": filters,
        **_filter_options(scope, in_month),
    }
    return context, activities


def calendar_month(request):
    """The month grid; on phones the CSS turns it into a list of the days that hold something."""
    scope = scope_for(request)
    year, month = _month(request)
    context, activities = _calendar_context(request, scope, year, month)
    rows = list(activities[: MONTH_LIMIT + 1])
    first, last = month_bounds(year, month)
    weeks = _month_grid(year, month, rows[:MONTH_LIMIT], day_marks(scope, first, last))
    context.update(weeks=weeks, truncated=len(rows) > MONTH_LIMIT, view="month")
    if request.htmx:
        return render(request, "schedule/calendar_month_grid.html", context)
    return render(request, "schedule/calendar_month.html", context)


def calendar_list(request):
    """The month's activities as a list grouped by day, with the day's marks; paged."""
    scope = scope_for(request)
    year, month = _month(request)
    context, activities = _calendar_context(request, scope, year, month)
    page = Paginator(activities, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    first, last = month_bounds(year, month)
    marks = day_marks(scope, first, last)
    rows, previous = [], None
    for activity in page.object_list:
        day = activity.due_on
        rows.append(
            {
                "activity": activity,
                "new_day": day != previous,
                "weekday": weekday_name(day),
                "mark": marks.name(day) or (_("Nghỉ Tết") if marks.is_tet(day) else ""),
            }
        )
        previous = day
    context.update(page=page, rows=rows, view="list")
    if request.htmx:
        return render(request, "schedule/calendar_list_rows.html", context)
    return render(request, "schedule/calendar_list.html", context)


def this_week(request):
    """ "Tuần này": the signed-in user's work due this week, and what is overdue."""
    scope = scope_for(request)
    try:
        anchor = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        anchor = timezone.localdate()
    monday, sunday = week_bounds(anchor)
    own = mine(scope)
    week_rows = list(with_related(own.filter(due_on__range=(monday, sunday))).order_by("due_on"))
    overdue = list(
        with_related(own.filter(due_on__lt=monday, status=Activity.Status.PLANNED)).order_by(
            "due_on", "pk"
        )[: OVERDUE_LIMIT + 1]
    )
    marks = day_marks(scope, monday, sunday)
    by_day: dict[dt.date, list] = {}
    for activity in week_rows:
        by_day.setdefault(activity.due_on, []).append(activity)
    today = timezone.localdate()
    days = [
        Day(
            date=day,
            in_month=True,
            is_today=day == today,
            day_off=marks.name(day),
            is_tet=marks.is_tet(day),
            activities=by_day.get(day, []),
        )
        for day in (monday + dt.timedelta(days=n) for n in range(7))
    ]
    context = {
        "monday": monday,
        "sunday": sunday,
        "days": days,
        "overdue": overdue[:OVERDUE_LIMIT],
        "overdue_truncated": len(overdue) > OVERDUE_LIMIT,
        "week_count": len(week_rows),
        "previous_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "is_current": monday <= today <= sunday,
    }
    return render(request, "schedule/calendar_week.html", context)


# -- scheduling a document ------------------------------------------------------------------------


@require_POST
def document_schedule(request, document_pk: int):
    """Expand the document's items into activities; 404 if unseen, 403 if seen but not managed."""
    scope = scope_for(request)
    document = get_object_or_404(
        scope.documents().select_related("unit", "school_year"), pk=document_pk
    )
    if not scope.runs(document.unit_id):
        raise PermissionDenied
    try:
        result = schedule_document(document)
    except SchedulingError as exc:
        messages.error(
            request,
            _("%(error)s Chưa có hoạt động nào được tạo hay thay đổi.") % {"error": exc},
        )
    else:
        messages.success(
            request,
            _(
                "Đã xếp lịch năm học %(year)s: %(created)s hoạt động mới, %(updated)s cập nhật, "
                "%(removed)s bỏ đi, %(kept)s giữ nguyên vì đã có kết quả."
            )
            % {
                "year": document.school_year.label,
                "created": result.created,
                "updated": result.updated,
                "removed": result.removed,
                "kept": result.kept_with_records,
            },
        )
    return redirect("documents:document-detail", pk=document.pk)


# -- iCalendar feeds ------------------------------------------------------------------------------


@login_not_required
@require_GET
def feed(request, token: str):
    """The .ics of a feed token. No sign-in (calendar apps cannot); the token is the key."""
    found = feeds.active_token(token)
    if found is None:
        raise Http404
    scope = Scope.for_user(found.user)
    activities = feeds.feed_activities(found, scope, timezone.localdate())
    if activities is None:
        raise Http404
    detail = reverse("schedule:activity-detail", args=[0])
    base = request.build_absolute_uri(detail[: -len("0/")])
    body = feeds.build_calendar(
        activities, name=feeds.feed_name(found), url_for=lambda pk: f"{base}{pk}/"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="phoihop.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


def feed_settings(request):
    """ "Lịch trên điện thoại": the user's feed addresses; POST makes a new one."""
    scope = scope_for(request)
    parties = scope.parties().filter(pk__in=scope.acting_party_ids).order_by("name")
    if request.method == "POST":
        party = None
        party_id = id_param(request.POST, "party")
        if party_id is not None:
            party = get_object_or_404(parties, pk=party_id)
        feeds.create_token(request.user, party)
        messages.success(
            request,
            _("Đã tạo địa chỉ lịch mới. Hãy sao chép địa chỉ vào ứng dụng lịch trên điện thoại."),
        )
        return redirect("schedule:calendar-feeds")
    tokens = FeedToken.objects.filter(user=request.user, revoked_at__isnull=True).select_related(
        "party"
    )
    entries = []
    for token in tokens:
        url = request.build_absolute_uri(reverse("schedule:calendar-feed", args=[token.token]))
        entries.append({"token": token, "url": url, "webcal": "webcal://" + url.split("://", 1)[1]})
    return render(request, "schedule/calendar_feeds.html", {"entries": entries, "parties": parties})


@require_POST
def feed_revoke(request, pk: int):
    """Revoke one of the user's own feed addresses."""
    token = get_object_or_404(FeedToken, pk=pk, user=request.user, revoked_at__isnull=True)
    feeds.revoke_token(token)
    messages.success(
        request,
        _("Đã thu hồi địa chỉ lịch: ứng dụng lịch dùng địa chỉ này sẽ không nhận được nữa."),
    )
    return redirect("schedule:calendar-feeds")


# -- the printable monthly work calendar ----------------------------------------------------------


def calendar_docx(request, unit_pk: int, year: int, month: int):
    """ "Lịch công tác tháng" of a unit as .docx, for the unit's staff."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units().select_related("parent"), pk=unit_pk)
    if not scope.is_staff_of(unit):
        raise PermissionDenied
    if not (1 <= month <= 12 and 1900 <= year <= 2199):
        raise Http404
    first, last = month_bounds(year, month)
    parties = ItemParty.objects.select_related("party").order_by("-is_lead", "position")
    activities = (
        with_related(scope.activities().filter(unit=unit, due_on__range=(first, last)))
        .exclude(status=Activity.Status.CANCELLED)
        .prefetch_related(Prefetch("item__item_parties", queryset=parties))
        .order_by("due_on", "item_id", "key", "school_class__name", "pk")
    )
    rows = _worksheet_rows(activities, day_marks(scope, first, last, unit=unit))
    data = build_month_worksheet(
        unit_name=unit.name,
        superior_name=unit.superior_name or (unit.parent.name if unit.parent_id else ""),
        year=year,
        month=month,
        rows=rows,
    )
    response = HttpResponse(data, content_type=DOCX_MIME)
    response["Content-Disposition"] = (
        f'attachment; filename="lich-cong-tac-{year:04d}-{month:02d}.docx"'
    )
    return response


def _worksheet_rows(activities, marks: DayMarks) -> list[WorksheetRow]:
    """One row per (day, item, slot): the per-class copies of an activity become one row that
    names the classes; plus a row for each day off and for the Tết break."""
    groups: dict[tuple, list[Activity]] = {}
    for activity in activities:
        groups.setdefault((activity.due_on, activity.item_id, activity.key), []).append(activity)
    rows = []
    for (day, _item, _key), group in groups.items():
        head = group[0]
        classes = [a.school_class.name for a in group if a.school_class_id]
        content = head.title
        if classes:
            content = _("%(title)s (lớp %(classes)s)") % {
                "title": content,
                "classes": ", ".join(classes),
            }
        lead = head.assignee_party.name if head.assignee_party_id else ""
        people = sorted({a.assignee_user.get_full_name() for a in group if a.assignee_user_id})
        if people:
            lead = ", ".join(filter(None, [lead, *people]))
        cooperating = [
            link.party.name
            for link in head.item.item_parties.all()
            if link.party_id != head.assignee_party_id
        ]
        rows.append(WorksheetRow(day, content, lead, ", ".join(cooperating)))
    for day, name in sorted(marks.days_off.items()):
        rows.append(WorksheetRow(day, name, is_day_off=True))
    if marks.tet_days:
        start, end = min(marks.tet_days), max(marks.tet_days)
        rows.append(
            WorksheetRow(
                start,
                _("Nghỉ Tết Nguyên đán (từ %(start)s đến %(end)s)")
                % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
                is_day_off=True,
            )
        )
    return rows
