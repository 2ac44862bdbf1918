"""Recording results on an activity, reading and editing a record, its minutes and its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phoihop.tracking import services
from phoihop.tracking.access import (
    can_edit_record,
    can_record,
    visible_attachments,
    visible_records,
)
from phoihop.tracking.access_log import Kind, log_student_access
from phoihop.tracking.minutes import Minutes, build_minutes_docx
from phoihop.tracking.models import MeetingMinutes
from phoihop.tracking.record_forms import MEETING_FIELDS, RecordEditForm, RecordForm
from phoihop.units.scoping import scope_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_http_methods(["GET", "POST"])
def record_create(request, pk: int):
    """ "Ghi nhận kết quả" for one activity; the activity page embeds the same form."""
    scope = scope_for(request)
    activity = get_object_or_404(
        scope.activities().select_related("item__document", "school_class", "unit"), pk=pk
    )
    if not can_record(scope, activity):
        raise PermissionDenied(_("Bạn không phụ trách hoạt động này nên không ghi nhận được."))
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_activity(
                activity,
                request.user,
                done_on=data["done_on"],
                outcome=data["outcome"],
                participants=data["participants"],
                notes=data["notes"],
                files=data["files"],
                meeting=form.meeting_data() if data["is_meeting"] else None,
            )
        except services.RecordingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi nhận kết quả thực hiện."))
            return redirect("schedule:activity-detail", pk=activity.pk)
    return render(request, "tracking/record_form.html", {"activity": activity, "form": form})


def _record_or_404(scope, pk: int):
    return get_object_or_404(
        visible_records(scope).select_related(
            "activity__item__document",
            "activity__unit",
            "activity__school_class",
            "student",
            "created_by",
        ),
        pk=pk,
    )


def _meeting_of(record) -> MeetingMinutes | None:
    try:
        return record.meeting
    except MeetingMinutes.DoesNotExist:
        return None


def record_detail(request, pk: int):
    """One record with its evidence, minutes and the history of its edits (who, when, what)."""
    scope = scope_for(request)
    record = _record_or_404(scope, pk)
    history = list(record.history.select_related("history_user").order_by("history_date"))
    changes = []
    for previous, current in zip([None, *history], history, strict=False):
        fields = []
        if previous is not None:
            fields = [
                str(record._meta.get_field(c.field).verbose_name)
                for c in current.diff_against(previous).changes
            ]
        changes.append({"entry": current, "fields": fields})
    context = {
        "record": record,
        "activity": record.activity,
        "attachments": record.attachments.order_by("pk"),
        "meeting": _meeting_of(record),
        "changes": list(reversed(changes)),
        "can_edit": can_edit_record(scope, record),
    }
    if record.student is not None:
        log_student_access(request, Kind.PAGE, student=record.student)
    return render(request, "tracking/record_detail.html", context)


@require_http_methods(["GET", "POST"])
def record_edit(request, pk: int):
    """Change the notes and who took part; the earlier text stays in the record's history."""
    scope = scope_for(request)
    record = _record_or_404(scope, pk)
    if not can_edit_record(scope, record):
        raise PermissionDenied(_("Bạn không được sửa ghi nhận này."))
    meeting = _meeting_of(record)
    initial = {"participants": record.participants, "notes": record.notes}
    if meeting is not None:
        initial.update({name: getattr(meeting, name) for name in MEETING_FIELDS})
    form = RecordEditForm(request.POST or None, initial=initial, is_meeting=meeting is not None)
    if request.method == "POST" and form.is_valid():
        services.update_record(
            record,
            request.user,
            participants=form.cleaned_data["participants"],
            notes=form.cleaned_data["notes"],
            meeting=form.meeting_data() if meeting is not None else None,
        )
        messages.success(request, _("Đã lưu thay đổi; nội dung cũ vẫn được giữ trong lịch sử."))
        return redirect("tracking:record-detail", pk=record.pk)
    return render(request, "tracking/record_edit.html", {"record": record, "form": form})


def record_minutes(request, pk: int):
    """The meeting's biên bản as a Word file to print and sign."""
    scope = scope_for(request)
    record = _record_or_404(scope, pk)
    meeting = _meeting_of(record)
    if meeting is None:
        raise Http404(_("Ghi nhận này không phải cuộc họp nên không có biên bản."))
    unit = record.activity.unit
    if record.student is not None:
        log_student_access(request, Kind.MINUTES, student=record.student)
    elif record.activity.school_class is not None:
        # A class's parent meeting: its minutes may name students and their families.
        log_student_access(request, Kind.MINUTES, school_class=record.activity.school_class)
    content = build_minutes_docx(
        Minutes(
            unit_name=unit.name,
            superior_name=unit.superior_name,
            locality=unit.locality,
            title=record.activity.title,
            held_on=record.done_on,
            place=meeting.place,
            chair=meeting.chair,
            secretary=meeting.secretary,
            attendees=record.participants,
            absentees=meeting.absentees,
            agenda=meeting.agenda,
            proceedings=record.notes,
            conclusions=meeting.conclusions,
        )
    )
    response = HttpResponse(content, content_type=DOCX)
    filename = f"bien-ban-{record.done_on:%Y-%m-%d}-{record.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def attachment_file(request, pk: int):
    """Serve evidence only through here: the user must see the activity, and the student if any.

    Images open in the page, PDFs download; nothing is sniffed or framed by the browser.
    """
    scope = scope_for(request)
    attachment = get_object_or_404(
        visible_attachments(scope).select_related("record__student"), pk=pk
    )
    if attachment.record.student is not None:
        log_student_access(request, Kind.PHOTO, student=attachment.record.student)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp minh chứng không còn trên máy chủ.")) from None
    is_image = attachment.content_type.startswith("image/")
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=not is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
