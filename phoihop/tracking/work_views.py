""" "Việc của tôi": the signed-in user's overdue, this week's and coming activities."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.tracking.my_work import my_work
from phoihop.units.scoping import scope_for


def my_work_view(request):
    """One's own work; leaders may look at one party's or one class's instead (a filter)."""
    scope = scope_for(request)
    is_leader = scope.is_superuser or bool(scope.manager_paths)
    parties = classes = None
    party = school_class = None
    if is_leader:
        parties = list(scope.parties().filter(unit__path__in=scope.manager_paths).order_by("name"))
        classes = list(scope.classes().order_by("grade", "name"))
        party = _pick(parties, request.GET.get("party", ""))
        if party is None:
            school_class = _pick(classes, request.GET.get("class", ""))
    elif request.GET.get("party") or request.GET.get("class"):
        raise Http404(_("Chỉ lãnh đạo, văn thư mới xem được việc của tổ chức hoặc lớp khác."))
    work = my_work(scope, timezone.localdate(), party=party, school_class=school_class)
    homeroom = list(scope.classes().filter(pk__in=scope.homeroom_class_ids).order_by("name"))
    context = {
        "work": work,
        "is_leader": is_leader,
        "parties": parties,
        "classes": classes,
        "party": party,
        "school_class": school_class,
        "homeroom_classes": homeroom,
    }
    return render(request, "tracking/my_work.html", context)


def _pick(options, wanted: str):
    """The option whose pk is ``wanted``; a pk the user may not see is a 404, not a silent reset."""
    if not wanted:
        return None
    for option in options:
        if str(option.pk) == wanted:
            return option
    raise Http404(_("Không tìm thấy tổ chức hoặc lớp này."))
