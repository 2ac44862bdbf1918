"""Students' personal data under Decree 13/2023/NĐ-CP and Law 91/2025/QH15: the access log
for the school's leadership."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from phoihop.tracking import access_log
from phoihop.tracking.models import Student
from phoihop.units.scoping import scope_for
from phoihop.web.params import id_param

LOG_PAGE_SIZE = 50


def _led_unit(request, unit_pk: int):
    """The unit if the user is part of its leadership: 404 when they cannot see it, 403 when
    they see it without leading it."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.leads(unit.pk):
        raise PermissionDenied(_("Chỉ Ban giám hiệu của trường xem được mục này."))
    return scope, unit


def access_log_view(request, unit_pk: int):
    """Who read or exported students' data in this school, newest first; by person, by student."""
    _scope, unit = _led_unit(request, unit_pk)
    user_id = id_param(request.GET, "user")
    student_id = id_param(request.GET, "student")
    student = None
    if student_id is not None:
        student = Student.objects.filter(unit=unit, pk=student_id).first()
        if student is None:
            raise Http404(_("Không tìm thấy học sinh này trong trường."))
    entries = access_log.entries(unit, user_id=user_id, student=student)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("user", user_id), ("student", student_id)) if v is not None}
    return render(
        request,
        "tracking/student_access_log.html",
        {
            "unit": unit,
            "page": page,
            "people": access_log.people(unit),
            "selected_user": user_id,
            "student": student,
            "paging": urlencode(filters),
        },
    )
