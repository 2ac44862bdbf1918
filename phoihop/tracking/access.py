"""Who may record results, and which records and files a user may open.

Seeing is decided in ``phoihop.units.scoping``; everything here starts from that scope. Writing
needs more than seeing: a partner contact sees the items it shares but records only for its own
party, and per-class work belongs to the class's homeroom teacher and the school's leadership. A
record about a student (a home visit) is personal data: it and its photos are visible only to
those who may see the student, whoever may see the activity.
"""

from __future__ import annotations

from django.db.models import Q

from phoihop.tracking.models import Attachment, Record


def visible_records(scope):
    """Records on activities the user sees, minus those about students they may not see."""
    records = Record.objects.all()
    if scope.is_superuser:
        return records
    return records.filter(activity__in=scope.activities()).filter(
        Q(student__isnull=True) | Q(student__in=scope.students())
    )


def visible_attachments(scope):
    return Attachment.objects.filter(record__in=visible_records(scope))


def can_record(scope, activity) -> bool:
    """Whether the user of ``scope`` may record results on ``activity`` (which they can see).

    Leaders and clerks of the unit itself may (an office above does not record in its name);
    per-class work is the class's homeroom teacher's; other
    work belongs to whoever acts for the assignee party or is named on the activity.
    """
    if scope.is_superuser:
        return True
    if not scope.activities().filter(pk=activity.pk).exists():
        return False
    if scope.runs(activity.unit_id):
        return True
    if activity.school_class_id is not None:
        return activity.school_class_id in scope.homeroom_class_ids
    user_id = getattr(scope.user, "pk", None)
    if activity.assignee_user_id is not None and activity.assignee_user_id == user_id:
        return True
    return activity.assignee_party_id in scope.acting_party_ids


def can_edit_record(scope, record) -> bool:
    """Editing a record needs the right to record on its activity and to see its student."""
    if record.student_id is not None and not scope.students().filter(pk=record.student_id).exists():
        return False
    return can_record(scope, record.activity)
