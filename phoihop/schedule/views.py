from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from phoihop.params import id_param
from phoihop.schedule.models import Activity
from phoihop.tracking.access_log import Kind, log_student_access
from phoihop.units.scoping import scope_for

PAGE_SIZE = 50


def activity_list(request):
    """Activities the user may see, filtered by status and party; htmx swaps only the table."""
    scope = scope_for(request)
    activities = scope.activities().select_related(
        "item__document", "assignee_party", "school_class"
    )
    status = request.GET.get("status", "")
    if status in Activity.Status.values:
        activities = activities.filter(status=status)
    party_id = id_param(request.GET, "party")
    parties = scope.parties().order_by("name")
    if party_id is not None:
        activities = activities.filter(assignee_party_id=party_id)
    page = Paginator(activities.order_by("due_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "statuses": Activity.Status.choices,
        "parties": parties,
        "selected_status": status,
        "selected_party": str(party_id or ""),
    }
    template = "schedule/_activity_table.html" if request.htmx else "schedule/activity_list.html"
    return render(request, template, context)


def activity_detail(request, pk: int):
    scope = scope_for(request)
    activity = get_object_or_404(
        scope.activities().select_related(
            "item__document", "assignee_party", "school_class", "assignee_user"
        ),
        pk=pk,
    )
    records = activity.records.select_related("created_by").prefetch_related("attachments")
    # Records about a student stay hidden from whoever may not see that student.
    records = list(records.filter(Q(student__isnull=True) | Q(student__in=scope.students())))
    if any(r.student_id for r in records):
        # Home-visit notes about the class's students.
        if activity.school_class is not None:
            log_student_access(request, Kind.PAGE, school_class=activity.school_class)
        else:
            log_student_access(request, Kind.PAGE, unit=activity.unit)
    return render(
        request, "schedule/activity_detail.html", {"activity": activity, "records": records}
    )
