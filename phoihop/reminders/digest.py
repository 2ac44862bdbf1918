"""The daily digest: what is overdue and what falls due within a week, by e-mail, once a day.

What a user is told comes from ``Scope.for_user`` (never more than they may see on the site):
their own work as "Việc của tôi" defines it, and for a school's leaders everything of their school.
The digest is sent by the huey periodic task (``phoihop.reminders.tasks``) and by
``phoihop send_reminders``; both call ``send_due_digests``, which claims a user's day before
sending so that a digest is never sent twice in a day, whoever runs first.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phoihop.core.i18n import language as core_language
from phoihop.reminders.models import ReminderPreference
from phoihop.schedule.models import Activity
from phoihop.schedule.queries import mine
from phoihop.units.scoping import Scope

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
LIST_LIMIT = 30


def relevant_activities(scope: Scope):
    """The activities a user should be reminded of: their own, and their school's if they lead it."""
    own = mine(scope)
    if scope.leader_unit_ids:
        own = own | scope.activities().filter(unit_id__in=list(scope.leader_unit_ids))
    return own.filter(status=Activity.Status.PLANNED)


@dataclass
class Digest:
    user: object
    today: dt.date
    overdue: list
    due_soon: list
    overdue_count: int
    due_soon_count: int
    subject: str = ""
    text: str = ""
    html: str = ""


def compose_digest(user, today: dt.date, language: str | None = None) -> Digest | None:
    """Today's digest for ``user`` in ``language`` (their saved choice, Vietnamese by default),
    or None when nothing is due or overdue."""
    if language is None:
        preference = ReminderPreference.objects.filter(user=user).only("language").first()
        language = preference.language if preference else "vi"
    scope = Scope.for_user(user)
    activities = relevant_activities(scope).select_related(
        "item__document", "assignee_party", "school_class"
    )
    overdue = activities.filter(due_on__lt=today).order_by("due_on", "pk")
    soon = activities.filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    ).order_by("due_on", "pk")
    digest = Digest(
        user=user,
        today=today,
        overdue=list(overdue[:LIST_LIMIT]),
        due_soon=list(soon[:LIST_LIMIT]),
        overdue_count=overdue.count(),
        due_soon_count=soon.count(),
    )
    if not digest.overdue_count and not digest.due_soon_count:
        return None
    base_url = getattr(settings, "PHOIHOP_BASE_URL", "").rstrip("/")
    with translation.override(language), core_language(language):
        digest.subject = _(
            "[Phối hợp] %(date)s: %(overdue)s việc quá hạn, %(soon)s việc đến hạn trong 7 ngày"
        ) % {
            "date": today.strftime("%d/%m/%Y"),
            "overdue": digest.overdue_count,
            "soon": digest.due_soon_count,
        }
        context = {
            "digest": digest,
            "name": user.get_full_name() or user.username,
            "base_url": base_url,
            "preferences_url": base_url + reverse("reminders:preferences") if base_url else "",
        }
        digest.text = render_to_string("reminders/digest.txt", context)
        digest.html = render_to_string("reminders/digest.html", context)
    return digest


def message_for(digest: Digest, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=digest.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
        connection=connection,
    )
    message.attach_alternative(digest.html, "text/html")
    return message


def _candidates():
    """Active users with an e-mail address and a place in some unit."""
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True, memberships__ended_at__isnull=True, memberships__isnull=False
        )
        .exclude(email="")
        .distinct()
    )


def send_due_digests(now: dt.datetime | None = None, *, force_time: bool = False) -> int:
    """Send today's digest to every user whose time has come and who has not had it yet.

    Safe to run every few minutes and from several processes: each user's day is claimed with a
    conditional UPDATE before sending and released if sending fails, so the next run retries.
    ``force_time`` sends now to everyone not yet served today, whatever time they chose.
    Returns the number of messages sent.
    """
    now = timezone.localtime(now)
    today = now.date()
    missing = _candidates().filter(reminder_preference__isnull=True).values_list("pk", flat=True)
    ReminderPreference.objects.bulk_create(
        [ReminderPreference(user_id=pk) for pk in missing], ignore_conflicts=True
    )
    due = (
        ReminderPreference.objects.filter(enabled=True, user__in=_candidates())
        .exclude(last_sent_on=today)
        .select_related("user")
        .order_by("send_at", "pk")
    )
    if not force_time:
        due = due.filter(send_at__lte=now.time())
    sent = 0
    connection = get_connection()
    try:
        for preference in due:
            claimed = (
                ReminderPreference.objects.filter(pk=preference.pk)
                .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today))
                .update(last_sent_on=today)
            )
            if not claimed:
                continue  # another worker took this user's day
            try:
                digest = compose_digest(preference.user, today, preference.language)
                if digest is None:
                    continue  # nothing to say today: no mail, and the day is done
                message_for(digest, connection).send()
                sent += 1
            except Exception:
                ReminderPreference.objects.filter(pk=preference.pk).update(
                    last_sent_on=preference.last_sent_on
                )
                logger.exception("reminder digest to user %s failed", preference.user_id)
    finally:
        connection.close()
    return sent
