"""Recording what was done: results with evidence, meeting minutes, home visits.

Each change is one transaction, called alike by views, the CLI and tests. Who may see or record
what is decided before these are called (``phoihop.units.scoping`` and ``tracking.access``); the
services check only what keeps the data consistent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.schedule.models import Activity
from phoihop.tracking.consent import has_photo_consent
from phoihop.tracking.models import (
    OUTCOMES,
    Attachment,
    MeetingMinutes,
    Record,
    SchoolClass,
    Student,
)
from phoihop.tracking.uploads import CleanUpload, clean_upload

# The cadence's ``per_subject`` of items done for each student (home visits): see core.cadence.
PER_STUDENT = "hoc_sinh"
CLOSED_STATUSES = (Activity.Status.CANCELLED,)


class RecordingError(ValueError):
    """The result cannot be recorded; the message says why and what to do."""


@dataclass(frozen=True)
class MeetingData:
    """The parts of a meeting's minutes that a plain record does not have."""

    place: str = ""
    chair: str = ""
    secretary: str = ""
    agenda: str = ""
    absentees: str = ""
    conclusions: str = ""


# -- recording -------------------------------------------------------------------------------


def refresh_status(activity: Activity) -> str:
    """Set the activity's status from its records and return it.

    A per-student activity is done when every student it owes has a record, partly done when some
    have; any other activity takes the best outcome recorded. A cancelled activity stays cancelled.
    """
    if activity.status in CLOSED_STATUSES:
        return activity.status
    records = Record.objects.filter(activity=activity)
    if activity.obligations:
        covered = records.filter(student__isnull=False).values("student").distinct().count()
        if covered >= activity.obligations:
            status = Activity.Status.DONE
        elif covered:
            status = Activity.Status.PARTLY
        else:
            status = Activity.Status.PLANNED
    else:
        outcomes = set(records.values_list("outcome", flat=True))
        if "done" in outcomes:
            status = Activity.Status.DONE
        elif "partly" in outcomes:
            status = Activity.Status.PARTLY
        elif "not_done" in outcomes:
            status = Activity.Status.MISSED
        else:  # nothing yet, or postponed: still owed
            status = Activity.Status.PLANNED
    if status != activity.status:
        Activity.objects.filter(pk=activity.pk).update(status=status)
        activity.status = status
    return status


def record_activity(
    activity: Activity,
    user,
    *,
    done_on: dt.date,
    outcome: str = "done",
    participants: str = "",
    notes: str = "",
    files: Iterable = (),
    student: Student | None = None,
    meeting: MeetingData | None = None,
) -> Record:
    """Record what was done for ``activity``, store its evidence and update its status.

    All or nothing: every file is checked (and images cleaned) before anything is written, and a
    failure after files were stored removes them again. A photo about a student needs their
    parent's recorded consent (``tracking.consent``).
    """
    if outcome not in OUTCOMES:
        raise RecordingError(_("Kết quả “%(outcome)s” không hợp lệ.") % {"outcome": outcome})
    if activity.status in CLOSED_STATUSES:
        raise RecordingError(_("Hoạt động này đã bị hủy nên không ghi nhận kết quả được."))
    if student is not None and (
        activity.school_class_id is None or student.school_class_id != activity.school_class_id
    ):
        raise RecordingError(
            _("Học sinh %(name)s không thuộc lớp của hoạt động này.") % {"name": student.full_name}
        )
    cleaned = [f if isinstance(f, CleanUpload) else clean_upload(f) for f in files if f]
    if student is not None and any(u.is_image for u in cleaned) and not has_photo_consent(student):
        raise RecordingError(
            _(
                "Cha mẹ (người giám hộ) của em %(name)s chưa đồng ý cho dùng ảnh của em làm minh "
                "chứng, nên ảnh không được nhận và chưa có gì được lưu. Hãy ghi nhận lần thăm "
                "không kèm ảnh, hoặc ghi nhận sự đồng ý trên trang của học sinh rồi gửi lại."
            )
            % {"name": student.full_name}
        )
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            # The activity's row first: the tally's trigger share-locks it for the new record, and
            # two recorders that then both move its status would deadlock on PostgreSQL. Taken
            # first, recorders of one activity queue instead, and each sees the status as it is.
            activity.status = (
                Activity.objects.select_for_update()
                .values_list("status", flat=True)
                .get(pk=activity.pk)
            )
            if activity.status in CLOSED_STATUSES:
                raise RecordingError(_("Hoạt động này đã bị hủy nên không ghi nhận kết quả được."))
            record = Record(
                activity=activity,
                done_on=done_on,
                outcome=outcome,
                participants=participants.strip(),
                notes=notes.strip(),
                student=student,
                created_by=user,
            )
            record._history_user = user
            record.save()
            if meeting is not None:
                minutes = MeetingMinutes(record=record, **_stripped(meeting))
                minutes._history_user = user
                minutes.save()
            for upload in cleaned:
                stored.append(_store(record, upload))
            refresh_status(activity)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return record


def update_record(
    record: Record,
    user,
    *,
    participants: str,
    notes: str,
    meeting: MeetingData | None = None,
) -> Record:
    """Change what a record says; the previous text stays in its history with who changed it."""
    with transaction.atomic():
        record.participants = participants.strip()
        record.notes = notes.strip()
        record._history_user = user
        record.save(update_fields=["participants", "notes"])
        if meeting is not None:
            minutes, _created = MeetingMinutes.objects.get_or_create(record=record)
            for name, value in _stripped(meeting).items():
                setattr(minutes, name, value)
            minutes._history_user = user
            minutes.save()
    return record


def _stripped(meeting: MeetingData) -> dict[str, str]:
    return {name: (value or "").strip() for name, value in meeting.__dict__.items()}


def _store(record: Record, upload: CleanUpload) -> Attachment:
    """Save under a random name: the original name may be personal ("nha_em_Minh.jpg")."""
    attachment = Attachment(
        record=record,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=len(upload.content),
    )
    attachment.file.save(
        f"{uuid.uuid4().hex}{upload.extension}", ContentFile(upload.content), save=False
    )
    attachment.save()
    return attachment


# -- home visits -----------------------------------------------------------------------------


def home_visit_activities(school_class: SchoolClass):
    """The class's per-student activities (home visits), in calendar order."""
    return (
        Activity.objects.filter(school_class=school_class, item__cadence__per_subject=PER_STUDENT)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("window_starts_on", "item_id", "pk")
    )


def current_home_visit_activity(school_class: SchoolClass, on: dt.date) -> Activity | None:
    """The class's home-visit activity whose window contains ``on`` (the earliest item first)."""
    return (
        home_visit_activities(school_class)
        .filter(window_starts_on__lte=on, window_ends_on__gte=on)
        .order_by("item__position", "item_id", "window_starts_on", "pk")
        .first()
    )


def home_visit_activity_for(school_class: SchoolClass, on: dt.date) -> Activity | None:
    """The activity a visit made on ``on`` counts for: the one whose window holds the day, else
    the nearest window (the last one that ended before, then the next one to start). A family is
    visited when the family can, not only inside the plan's windows."""
    current = current_home_visit_activity(school_class, on)
    if current is not None:
        return current
    activities = home_visit_activities(school_class)
    before = activities.filter(window_ends_on__lt=on).order_by("-window_ends_on", "pk").first()
    after = activities.filter(window_starts_on__gt=on).order_by("window_starts_on", "pk").first()
    if before and after:
        return before if (on - before.window_ends_on) <= (after.window_starts_on - on) else after
    return before or after


def record_home_visit(
    school_class: SchoolClass,
    user,
    *,
    student: Student,
    done_on: dt.date,
    met_with: str = "",
    notes: str = "",
    photo=None,
) -> Record:
    """Log a homeroom teacher's visit to a student's family, on the day it happened, against the
    class's visit activity of that day or the nearest one (``home_visit_activity_for``)."""
    if student.school_class_id != school_class.pk:
        raise RecordingError(
            _("Học sinh %(name)s không thuộc lớp %(class)s.")
            % {"name": student.full_name, "class": school_class.name}
        )
    activity = home_visit_activity_for(school_class, done_on)
    if activity is None:
        raise RecordingError(
            _(
                "Lớp %(class)s chưa có đợt thăm gia đình học sinh nào trong lịch. Hãy đề nghị "
                "Ban giám hiệu xếp lịch kế hoạch có nội dung thăm gia đình học sinh."
            )
            % {"class": school_class.name}
        )
    return record_activity(
        activity,
        user,
        done_on=done_on,
        outcome="done",
        participants=met_with,
        notes=notes,
        files=[photo] if photo else [],
        student=student,
    )
