"""Students' personal data under Decree 13/2023/NĐ-CP and Law 91/2025/QH15: the access log
for the school's leadership, parents' consent to photos, and export or erasure on request."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.params import id_param
from phoihop.tracking import access_log, consent, erasure
from phoihop.tracking.access_log import Kind, log_student_access
from phoihop.tracking.models import Student
from phoihop.tracking.record_forms import DateInput
from phoihop.units.scoping import scope_for

LOG_PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


# -- consent to photos ---------------------------------------------------------------------------


class PhotoConsentForm(forms.Form):
    given = forms.TypedChoiceField(
        label=gettext_lazy("Cha mẹ (người giám hộ) cho dùng ảnh của em làm minh chứng"),
        choices=[
            ("1", gettext_lazy("Đồng ý")),
            ("0", gettext_lazy("Không đồng ý / rút lại sự đồng ý")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    given_by = forms.CharField(
        label=gettext_lazy("Người trả lời (họ tên cha mẹ, người giám hộ)"),
        max_length=120,
        required=False,
    )
    given_on = forms.DateField(label=gettext_lazy("Ngày trả lời"), widget=DateInput())

    @classmethod
    def for_consent(cls, current):
        if current is None:
            return cls(initial={"given_on": timezone.localdate()})
        return cls(
            initial={
                "given": "1" if current.given else "0",
                "given_by": current.given_by,
                "given_on": current.given_on or timezone.localdate(),
            }
        )

    def clean_given_on(self):
        day = self.cleaned_data.get("given_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Ngày trả lời không được sau hôm nay."), code="future")
        return day

    def clean(self):
        data = super().clean()
        if data.get("given") and not (data.get("given_by") or "").strip():
            self.add_error("given_by", _("Hãy ghi họ tên cha mẹ hoặc người giám hộ đã đồng ý."))
        return data


@require_POST
def student_consent(request, pk: int):
    """The homeroom teacher or the leadership writes down the parent's answer about photos."""
    from phoihop.tracking.views import student_page

    scope = scope_for(request)
    student = get_object_or_404(scope.students().select_related("school_class", "unit"), pk=pk)
    if student.erased_at is not None:
        messages.error(request, _("Dữ liệu cá nhân của học sinh này đã được xoá."))
        return redirect("tracking:student-detail", pk=student.pk)
    form = PhotoConsentForm(request.POST)
    if not form.is_valid():
        return student_page(request, scope, student, consent_form=form, status=400)
    data = form.cleaned_data
    consent.record_consent(
        student,
        given=data["given"],
        parent_name=data["given_by"],
        on=data["given_on"],
        user=request.user,
    )
    if data["given"]:
        messages.success(request, _("Đã ghi nhận: gia đình đồng ý cho dùng ảnh làm minh chứng."))
    else:
        messages.success(
            request, _("Đã ghi nhận: gia đình không đồng ý; ảnh của em sẽ không được nhận.")
        )
    return redirect("tracking:student-detail", pk=student.pk)


# -- export and erasure on request ---------------------------------------------------------------


def _student_for_leadership(request, pk: int):
    """The student if the user leads their school: 404 when the user cannot see the student,
    403 when they see them without leading the school (the homeroom teacher)."""
    scope = scope_for(request)
    student = get_object_or_404(scope.students().select_related("school_class", "unit"), pk=pk)
    if not scope.leads(student.unit_id):
        raise PermissionDenied(_("Chỉ Ban giám hiệu của trường làm được việc này."))
    return student


def student_export(request, pk: int, fmt: str):
    """Everything the school holds about one student, as .json or .xlsx (the family's request)."""
    student = _student_for_leadership(request, pk)
    if fmt not in ("json", "xlsx"):
        raise Http404
    data = erasure.export_student(student)
    data["exported_at"] = timezone.now().isoformat()
    data["exported_by"] = request.user.get_full_name() or request.user.get_username()
    log_student_access(request, Kind.JSON if fmt == "json" else Kind.XLSX, student=student)
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(erasure.export_xlsx(data), content_type=XLSX_TYPE)
    name = erasure.export_filename(student, fmt, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def student_erase(request, pk: int):
    """Erase a student's personal data on request, after a confirmation step."""
    student = _student_for_leadership(request, pk)
    if student.erased_at is not None:
        messages.info(request, _("Dữ liệu cá nhân của học sinh này đã được xoá trước đây."))
        return redirect("tracking:student-detail", pk=student.pk)
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            error = _(
                "Hãy đánh dấu ô xác nhận để xoá; chưa có dữ liệu nào bị xoá. Việc xoá không thể "
                "hoàn tác."
            )
        else:
            name = student.full_name
            log_student_access(request, Kind.ERASE, student=student)
            done = erasure.erase_student(student, request.user)
            messages.success(
                request,
                _(
                    "Đã xoá dữ liệu cá nhân của em %(name)s: giữ %(records)s ghi nhận (đã xoá nội "
                    "dung), xoá %(photos)s tệp minh chứng."
                )
                % {"name": name, "records": done.records, "photos": done.photos},
            )
            return redirect("tracking:student-detail", pk=student.pk)
    log_student_access(request, Kind.PAGE, student=student)
    return render(
        request,
        "tracking/student_erase.html",
        {"student": student, "summary": erasure.erasure_summary(student), "error": error},
        status=400 if error else 200,
    )
