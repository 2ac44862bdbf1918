"""A student's personal data on request: everything the school holds about them, as one file,
and its erasure (Decree 13/2023/NĐ-CP, Điều 9 and 16; Law 91/2025/QH15).

Erasure keeps the rows that the school's figures count: the student stays in their class and
their home-visit records stay on their activities, so class sizes, visits, retention and the
activity tally (``reviews.tally``) do not move. What identifies the student or their family goes:
name, code, birth date and flags are overwritten, the records' notes, participants and minutes
are blanked, the photos are deleted from storage, the consent is deleted, the history rows that
held the old values are purged, and the full name is replaced where the school's other records
wrote it. What remains is "Học sinh đã xoá #<id>".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone

from phoihop.tracking.models import (
    Attachment,
    MeetingMinutes,
    PhotoConsent,
    Record,
    Student,
    StudentDataAccess,
)

# Stored in the database, like the names it replaces (the school's data is in Vietnamese).
ERASED_NAME = "Học sinh đã xoá #{pk}"
ERASED_CODE = "xoa-{pk}"
MEETING_TEXT_FIELDS = ("place", "chair", "secretary", "agenda", "absentees", "conclusions")


# -- export --------------------------------------------------------------------------------------


def _user(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _day(value) -> str | None:
    return value.isoformat() if value else None


def export_student(student: Student) -> dict:
    """Everything held about ``student``, as plain data: the student, the consent, every record
    with its minutes and files, the history of the student's rows, the transfers, and who read
    the data (the access log)."""
    records = (
        Record.objects.filter(student=student)
        .select_related("activity", "created_by", "meeting")
        .prefetch_related("attachments")
        .order_by("done_on", "pk")
    )
    consent = PhotoConsent.objects.filter(student=student).select_related("recorded_by").first()
    history = student.history.select_related("history_user").order_by("history_date", "pk")
    transfers = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Student), object_id=str(student.pk)
    ).select_related("user")
    accesses = (
        StudentDataAccess.objects.filter(student=student).select_related("user").order_by("at")
    )

    def meeting(record):
        try:
            minutes = record.meeting
        except MeetingMinutes.DoesNotExist:
            return None
        return {name: getattr(minutes, name) for name in MEETING_TEXT_FIELDS}

    return {
        "student": {
            "id": student.pk,
            "code": student.code,
            "full_name": student.full_name,
            "birth_date": _day(student.birth_date),
            "school": student.unit.name,
            "class": student.school_class.name,
            "weak_results": student.weak_results,
            "frequent_absence": student.frequent_absence,
            "hardship": student.hardship,
            "enrolled_on": _day(student.enrolled_on),
            "left_on": _day(student.left_on),
        },
        "photo_consent": None
        if consent is None
        else {
            "given": consent.given,
            "given_by": consent.given_by,
            "given_on": _day(consent.given_on),
            "recorded_by": _user(consent.recorded_by),
            "recorded_at": consent.recorded_at.isoformat(),
        },
        "records": [
            {
                "id": r.pk,
                "activity": r.activity.title,
                "done_on": _day(r.done_on),
                "outcome": r.outcome,
                "participants": r.participants,
                "notes": r.notes,
                "created_by": _user(r.created_by),
                "created_at": r.created_at.isoformat(),
                "meeting": meeting(r),
                "files": [
                    {
                        "name": a.original_name,
                        "type": a.content_type,
                        "size": a.size,
                        "uploaded_at": a.uploaded_at.isoformat(),
                    }
                    for a in r.attachments.all()
                ],
            }
            for r in records
        ],
        "history": [
            {
                "at": h.history_date.isoformat(),
                "change": h.get_history_type_display(),
                "by": _user(h.history_user),
                "full_name": h.full_name,
                "code": h.code,
                "class_id": h.school_class_id,
                "enrolled_on": _day(h.enrolled_on),
                "left_on": _day(h.left_on),
            }
            for h in history
        ],
        "transfers": [
            {"at": t.action_time.isoformat(), "by": _user(t.user), "change": t.change_message}
            for t in transfers
        ],
        "accesses": [
            {"at": e.at.isoformat(), "by": _user(e.user), "kind": e.kind, "path": e.path}
            for e in accesses
        ],
    }


def export_xlsx(data: dict) -> bytes:
    """``export_student``'s data as a workbook, one sheet per part, every string as text."""
    import openpyxl

    from phoihop.xlsx import append_row

    def cell(value):
        if isinstance(value, bool):
            return "x" if value else ""
        return value if value is None or isinstance(value, int | float) else str(value)

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Học sinh")
    for key, value in data["student"].items():
        append_row(sheet, [key, cell(value)])
    for key, value in (data["photo_consent"] or {}).items():
        append_row(sheet, [f"photo_consent.{key}", cell(value)])
    tables = {
        "Ghi nhận": [
            {
                **{k: v for k, v in r.items() if k not in ("meeting", "files")},
                **(r["meeting"] or {}),
            }
            | {"files": ", ".join(f["name"] for f in r["files"])}
            for r in data["records"]
        ],
        "Lịch sử": data["history"],
        "Chuyển trường": data["transfers"],
        "Truy cập": data["accesses"],
    }
    for title, rows in tables.items():
        sheet = workbook.create_sheet(title)
        headers: list[str] = []
        for row in rows:
            headers += [k for k in row if k not in headers]
        append_row(sheet, headers)
        for row in rows:
            append_row(sheet, [cell(row.get(k)) for k in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- erasure -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    records: int  # kept, with their text blanked
    photos: int  # files deleted from storage
    history_rows: int  # purged


def _purge_history(model, **filters) -> int:
    return model.history.model.objects.filter(**filters).delete()[0]


def erase_student(student: Student, user) -> Erasure:
    """Erase ``student``'s personal data and keep the rows the figures count (module docstring).

    One transaction; the photos leave storage once it has committed, so a failure keeps them.
    """
    with transaction.atomic():
        student = Student.objects.select_for_update().get(pk=student.pk)
        old_name, old_code = student.full_name, student.code
        records = Record.objects.filter(student=student)
        record_ids = list(records.values_list("pk", flat=True))
        attachments = Attachment.objects.filter(record_id__in=record_ids)
        files = [a.file for a in attachments]
        attachments.delete()
        # QuerySet.update: the tally's triggers watch activity_id and student_id only.
        records.update(participants="", notes="")
        MeetingMinutes.objects.filter(record_id__in=record_ids).update(
            **{name: "" for name in MEETING_TEXT_FIELDS}
        )
        purged = _purge_history(Record, id__in=record_ids)
        purged += _purge_history(MeetingMinutes, record_id__in=record_ids)
        # Deleting leaves a last history row with the deleted values: purge after deleting.
        PhotoConsent.objects.filter(student=student).delete()
        purged += _purge_history(PhotoConsent, student_id=student.pk)
        purged += _purge_history(Student, id=student.pk)

        student.full_name = ERASED_NAME.format(pk=student.pk)
        student.code = ERASED_CODE.format(pk=student.pk)
        student.birth_date = None
        student.weak_results = student.frequent_absence = student.hardship = False
        student.erased_at = timezone.now()
        student._history_user = user
        student.save()  # one history row: erased, by whom, when

        for entry in LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Student), object_id=str(student.pk)
        ):
            entry.object_repr = student.full_name
            for old in (old_name, old_code):
                if old:
                    entry.change_message = entry.change_message.replace(old, student.full_name)
            entry.save(update_fields=["object_repr", "change_message"])

        _replace_name_in_unit_texts(student.unit_id, old_name, student.full_name)

        def delete_files():
            for stored in files:
                stored.storage.delete(stored.name)

        transaction.on_commit(delete_files)
    return Erasure(records=len(record_ids), photos=len(files), history_rows=purged)


def _replace_name_in_unit_texts(unit_id: int, name: str, replacement: str) -> None:
    """The student's full name, where other records of the school wrote it (the minutes of a
    class's parent meeting), and in their history, becomes ``replacement``.

    Only a name of two words or more: a given name alone ("An") is also an ordinary word. A name
    written otherwise (a nickname, "em Minh") cannot be found; the school is told so on the
    confirmation page.
    """
    if len(name.split()) < 2:
        return
    targets = [
        (Record, "activity__unit_id", ("participants", "notes")),
        (MeetingMinutes, "record__activity__unit_id", MEETING_TEXT_FIELDS),
    ]
    for model, unit_path, fields in targets:
        for manager in (model.objects, model.history.model.objects):
            for field in fields:
                manager.filter(**{unit_path: unit_id, f"{field}__contains": name}).update(
                    **{field: Replace(field, Value(name), Value(replacement))}
                )


def erasure_summary(student: Student) -> dict:
    """What an erasure would touch, for the confirmation page."""
    records = Record.objects.filter(student=student)
    return {
        "records": records.count(),
        "files": Attachment.objects.filter(record__in=records).count(),
        "history": student.history.count(),
    }


def export_filename(student: Student, extension: str, today: dt.date) -> str:
    return f"du-lieu-hoc-sinh-{student.pk}-{today:%Y%m%d}.{extension}"
