"""“Nhập học sinh từ Excel” and transfers during the year.

Import is three steps, open only to the school's leaders (students are personal data): upload;
the column mapping, guessed from the headers and editable; the row-by-row report, from which the
leader saves everything or, explicitly, only the valid rows. The uploaded workbook waits between
steps in a private file (``tracking.pending_imports``), named by a random token kept in the
session, and deleted after an hour at the latest.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.params import parse_int
from phoihop.tracking import pending_imports, transfers
from phoihop.tracking import students_import as si
from phoihop.tracking.access_log import Kind, log_student_access
from phoihop.units.scoping import scope_for

SESSION_KEY = "phoihop_students_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def school_leader(request, unit_pk: int):
    """The unit, if the user leads it: 404 when they cannot see it, 403 when they only see it."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not (scope.leads(unit.pk) and scope.can_manage(unit)):
        raise PermissionDenied
    return scope, unit


def _pending(request, unit):
    """The workbook waiting for this unit in this session, or None."""
    entry = request.session.get(SESSION_KEY)
    if not entry or entry.get("unit") != unit.pk:
        return None, None
    path = pending_imports.path_of(entry["token"])
    if not path.exists():
        return None, None
    return entry, path


def _today() -> dt.date:
    return timezone.localdate()


@require_http_methods(["GET", "POST"])
def students_import(request, unit_pk: int):
    """Step 1: upload the .xlsx."""
    _scope, unit = school_leader(request, unit_pk)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            data = si.uploaded_workbook(upload)
            sheet = si.read_sheet(data)
        except si.StudentImportError as exc:
            error = str(exc)
        else:
            old = request.session.get(SESSION_KEY)
            if old:
                pending_imports.path_of(old["token"]).unlink(missing_ok=True)
            pending_imports.purge_stale()
            token = pending_imports.save(data)
            request.session[SESSION_KEY] = {
                "unit": unit.pk,
                "token": token,
                "name": upload.name[:200],
                "mapping": si.guess_mapping(sheet.headers),
            }
            return redirect("tracking:students-import-mapping", unit_pk=unit.pk)
    return render(
        request,
        "tracking/students_import.html",
        {"unit": unit, "error": error},
        status=400 if error else 200,
    )


def students_import_template(request, unit_pk: int):
    """An example workbook with the expected headers, for schools that start from nothing."""
    _scope, unit = school_leader(request, unit_pk)
    data = si.write_example(
        [
            {
                "code": "HS0001",
                "full_name": "Nguyễn Văn An",
                "birth_date": dt.date(2013, 3, 14),
                "class_name": "6A",
                "hardship": True,
                "photo_consent": True,
            }
        ]
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-hoc-sinh-mau.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def students_import_mapping(request, unit_pk: int):
    """Step 2: which column holds what; the guess from the headers can be changed."""
    _scope, unit = school_leader(request, unit_pk)
    entry, path = _pending(request, unit)
    if entry is None:
        messages.info(request, _("Hãy tải tệp danh sách học sinh lên trước."))
        return redirect("tracking:students-import", unit_pk=unit.pk)
    sheet = si.read_sheet(path.read_bytes())
    error = None
    if request.method == "POST":
        mapping: si.Mapping = {}
        for key in si.FIELD_KEYS:
            column = parse_int(request.POST.get(key, ""))
            mapping[key] = column if column is not None and column < len(sheet.headers) else None
        used = [c for c in mapping.values() if c is not None]
        missing = [f.label for f in si.fields() if f.required and mapping[f.key] is None]
        if len(used) != len(set(used)):
            error = _("Mỗi cột chỉ được chọn cho một thông tin.")
        elif missing:
            error = _("Chưa chọn cột cho: %(fields)s.") % {"fields": ", ".join(missing)}
        else:
            entry["mapping"] = mapping
            request.session[SESSION_KEY] = entry
            return redirect("tracking:students-import-report", unit_pk=unit.pk)
        entry["mapping"] = mapping
    columns = [
        {"index": i, "header": h or _("(cột %(n)s)") % {"n": i + 1}, "samples": sheet.samples(i)}
        for i, h in enumerate(sheet.headers)
    ]
    rows = [{"field": f, "selected": entry["mapping"].get(f.key)} for f in si.fields()]
    log_student_access(request, Kind.PAGE, unit=unit)  # the samples show names
    return render(
        request,
        "tracking/students_mapping.html",
        {
            "unit": unit,
            "entry": entry,
            "columns": columns,
            "rows": rows,
            "error": error,
            "data_rows": len(sheet.rows),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def students_import_report(request, unit_pk: int):
    """Step 3: the row-by-row report; saving is all or nothing unless the user says otherwise."""
    _scope, unit = school_leader(request, unit_pk)
    entry, path = _pending(request, unit)
    if entry is None:
        messages.info(request, _("Hãy tải tệp danh sách học sinh lên trước."))
        return redirect("tracking:students-import", unit_pk=unit.pk)
    sheet = si.read_sheet(path.read_bytes())
    mapping = {k: entry["mapping"].get(k) for k in si.FIELD_KEYS}
    create_classes = request.method != "POST" or request.POST.get("create_classes") == "1"
    if request.method == "POST":
        only_valid = request.POST.get("only_valid") == "1"
        try:
            result = si.import_students(
                unit,
                sheet,
                mapping,
                today=_today(),
                create_classes=create_classes,
                only_valid=only_valid,
                user=request.user,
            )
        except si.ImportRefused as refused:
            messages.error(
                request,
                _(
                    "Không nhập học sinh nào: %(n)s dòng bị từ chối. Hãy sửa tệp rồi tải lên lại, "
                    "hoặc chọn “chỉ nhập các dòng hợp lệ”."
                )
                % {"n": len(refused.report.refused)},
            )
            report = refused.report
        except si.StudentImportError as exc:
            messages.error(request, str(exc))
            return redirect("tracking:students-import-mapping", unit_pk=unit.pk)
        else:
            path.unlink(missing_ok=True)
            request.session.pop(SESSION_KEY, None)
            text = _("Đã nhập %(n)s học sinh.") % {"n": result.imported}
            if result.classes_created:
                text += " " + _("Đã tạo lớp: %(names)s.") % {
                    "names": ", ".join(result.classes_created)
                }
            if result.refused:
                text += " " + _("Bỏ qua %(n)s dòng bị từ chối.") % {"n": result.refused}
            messages.success(request, text)
            return redirect("units:unit-detail", pk=unit.pk)
    else:
        try:
            report = si.check(unit, sheet, mapping, today=_today(), create_classes=True)
        except si.StudentImportError as exc:
            messages.error(request, str(exc))
            return redirect("tracking:students-import-mapping", unit_pk=unit.pk)
    refused = report.refused
    log_student_access(request, Kind.PAGE, unit=unit)
    return render(
        request,
        "tracking/students_report.html",
        {
            "unit": unit,
            "entry": entry,
            "report": report,
            "refused": refused,
            "valid_count": len(report.rows) - len(refused),
            "create_classes": create_classes,
        },
        status=400 if request.method == "POST" else 200,
    )


# -- transfers ----------------------------------------------------------------------------------


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TransferOutForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("Ngày chuyển đi / thôi học"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        max_length=300,
        help_text=gettext_lazy("Ví dụ: chuyển trường theo gia đình; thôi học."),
    )


class TransferInForm(forms.Form):
    enrolled_on = forms.DateField(
        label=gettext_lazy("Ngày chuyển đến / nhập học"), widget=DATE_INPUT
    )
    reason = forms.CharField(
        label=gettext_lazy("Từ trường / ghi chú"), max_length=300, required=False
    )


@require_http_methods(["GET", "POST"])
def student_transfer(request, pk: int):
    """Record a transfer out (left_on + reason) or in (enrolled_on): school leaders only."""
    scope = scope_for(request)
    student = get_object_or_404(scope.students().select_related("school_class", "unit"), pk=pk)
    if not scope.leads(student.unit_id):
        raise PermissionDenied
    out_form = TransferOutForm(prefix="out")
    in_form = TransferInForm(prefix="in")
    if request.method == "POST":
        if request.POST.get("direction") == "out":
            out_form = TransferOutForm(request.POST, prefix="out")
            if out_form.is_valid():
                transfers.transfer_out(student, user=request.user, **out_form.cleaned_data)
                messages.success(request, _("Đã ghi nhận học sinh chuyển đi / thôi học."))
                return redirect("tracking:student-detail", pk=student.pk)
        else:
            in_form = TransferInForm(request.POST, prefix="in")
            if in_form.is_valid():
                transfers.transfer_in(student, user=request.user, **in_form.cleaned_data)
                messages.success(request, _("Đã ghi nhận học sinh chuyển đến."))
                return redirect("tracking:student-detail", pk=student.pk)
    log_student_access(request, Kind.PAGE, student=student)
    return render(
        request,
        "tracking/students_transfer.html",
        {
            "student": student,
            "out_form": out_form,
            "in_form": in_form,
            "history": transfers.transfer_history(student),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def students_import_cancel(request, unit_pk: int):
    _scope, unit = school_leader(request, unit_pk)
    entry, path = _pending(request, unit)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    return redirect("units:unit-detail", pk=unit.pk)
