"""One-time invitation links: issue, look up, accept, revoke.

The secret is 32 random bytes (256 bits, ``secrets.token_urlsafe``), far beyond guessing; the
database keeps only its SHA-256 digest. A link works once, for ``INVITATION_DAYS`` days, for an
active account; a new invitation revokes the person's earlier open ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from phoihop.people.models import Invitation

INVITATION_DAYS = 7


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _open(queryset, now: dt.datetime):
    return queryset.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


@transaction.atomic
def issue_invitation(user, *, by=None, now: dt.datetime | None = None) -> tuple[Invitation, str]:
    """A new invitation for ``user`` and its secret (shown once; only its digest is kept)."""
    now = now or timezone.now()
    revoke_invitations(user, now=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        digest=digest_of(token),
        created_by=by,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def revoke_invitations(user, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return _open(Invitation.objects.filter(user=user), now).update(revoked_at=now)


def find_invitation(token: str, *, now: dt.datetime | None = None) -> Invitation | None:
    """The open invitation behind ``token``, or None (unknown, used, revoked, expired, or its
    account deactivated: the caller says the same thing in every case)."""
    return find_invitations([token], now=now).get(token)


def find_invitations(tokens, *, now: dt.datetime | None = None) -> dict[str, Invitation]:
    """Token → open invitation, for the tokens that still work, in one query."""
    digests = {digest_of(t): t for t in tokens if t and len(t) <= 100}
    if not digests:
        return {}
    now = now or timezone.now()
    found = _open(Invitation.objects.select_related("user"), now).filter(
        digest__in=digests, user__is_active=True
    )
    return {digests[invitation.digest]: invitation for invitation in found}


@transaction.atomic
def accept_invitation(invitation: Invitation, password: str, *, now: dt.datetime | None = None):
    """Set the person's password and close the invitation; a second use of the same link (even
    at the same moment from two tabs) finds it used."""
    now = now or timezone.now()
    claimed = _open(Invitation.objects.filter(pk=invitation.pk), now).update(used_at=now)
    if not claimed:
        return None
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def invitation_url(token: str, base: str) -> str:
    """The absolute address of an invitation; ``base`` is the site's address as people reach it
    (``PHOIHOP_BASE_URL``, or the address of the page that issued it)."""
    return base.rstrip("/") + reverse("people:invitation-accept", args=[token])


def mail_invitation(user, url: str, unit, *, by=None) -> bool:
    """Send the link to the person's e-mail address when they have one; False when not sent."""
    if not user.email:
        return False
    context = {
        "user": user,
        "url": url,
        "unit": unit,
        "by": by,
        "days": INVITATION_DAYS,
    }
    subject = render_to_string("people/invitation_subject.txt", context).strip()
    body = render_to_string("people/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
