"""Parents' consent to photos of their child being kept as evidence (Decree 13/2023/NĐ-CP,
Điều 11 and 20; Law 91/2025/QH15).

The homeroom teacher or the school's leadership writes down what the parent said (yes or no,
who, on which day). A photo attached to a student who has no recorded "yes" is refused, not
blurred: a blurred face still shows the family's home, and the teacher can always record the
visit without a photo.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef

from phoihop.tracking.models import PhotoConsent, Student


def given_subquery() -> Exists:
    """Annotation: whether the student of the row has a recorded "yes"."""
    return Exists(PhotoConsent.objects.filter(student=OuterRef("pk"), given=True))


def has_photo_consent(student: Student) -> bool:
    return PhotoConsent.objects.filter(student=student, given=True).exists()


def consent_of(student: Student) -> PhotoConsent | None:
    return PhotoConsent.objects.filter(student=student).select_related("recorded_by").first()


def record_consent(
    student: Student, *, given: bool, parent_name: str, on: dt.date | None, user
) -> PhotoConsent:
    """Write down the parent's answer (a new one replaces the old, which stays in history)."""
    with transaction.atomic():
        consent = PhotoConsent.objects.select_for_update().filter(student=student).first()
        if consent is None:
            consent = PhotoConsent(student=student)
        consent.given = given
        consent.given_by = parent_name.strip()
        consent.given_on = on
        consent.recorded_by = user
        consent._history_user = user
        consent.save()
    return consent
