"""Transfers in and out during the school year (chuyển đến, chuyển đi, thôi học).

A transfer changes ``Student.enrolled_on`` / ``left_on``, which retention is computed from. The
reason is kept in Django's admin log (one ``LogEntry`` per transfer, with who and when), so the
history of a student's transfers survives without a table of our own. The changed dates are in
the student's own history too, with the acting user.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.tracking.models import Student


def _log(student: Student, user, message: str) -> None:
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Student),
        object_id=str(student.pk),
        object_repr=str(student)[:200],
        action_flag=CHANGE,
        change_message=message,
    )


def transfer_out(student: Student, *, left_on: dt.date, reason: str, user) -> Student:
    """The student leaves the school (moves to another school, drops out) on ``left_on``."""
    with transaction.atomic():
        student.left_on = left_on
        student._history_user = user
        student.save(update_fields=["left_on"])
        _log(
            student,
            user,
            _("Chuyển đi / thôi học ngày %(date)s: %(reason)s")
            % {"date": left_on.strftime("%d/%m/%Y"), "reason": reason},
        )
    return student


def transfer_in(student: Student, *, enrolled_on: dt.date, reason: str, user) -> Student:
    """The student joins (or comes back to) the school on ``enrolled_on``."""
    with transaction.atomic():
        student.enrolled_on = enrolled_on
        student.left_on = None
        student._history_user = user
        student.save(update_fields=["enrolled_on", "left_on"])
        _log(
            student,
            user,
            _("Chuyển đến ngày %(date)s: %(reason)s")
            % {"date": enrolled_on.strftime("%d/%m/%Y"), "reason": reason or "—"},
        )
    return student


def transfer_history(student: Student) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Student), object_id=str(student.pk)
        )
        .select_related("user")
        .order_by("-action_time")[:20]
    )
