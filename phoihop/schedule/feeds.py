"""iCalendar feeds (RFC 5545) of a user's or a party's activities, at a secret, revocable address.

Phones and desktop calendars subscribe to a URL and cannot sign in, so the address carries a
:class:`~phoihop.schedule.models.FeedToken`. Each read recomputes the owner's
:class:`~phoihop.units.scoping.Scope`, so a feed follows the owner's current memberships.

Time zone: activities are due on a *day* (``Activity.due_on``), not at an hour, so every event is
an all-day event (``DTSTART;VALUE=DATE`` = the due day, ``DTEND`` the next day) — inventing an hour
would put a false time in people's calendars. The calendar declares Asia/Ho_Chi_Minh (a VTIMEZONE
and ``X-WR-TIMEZONE``), so clients show the days in Vietnam's time; ``DTSTAMP`` is UTC as RFC 5545
requires. ``UID`` is ``activity-<pk>@phoihop``: stable, so a re-read updates events in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from phoihop.schedule.models import Activity, FeedToken
from phoihop.schedule.queries import for_party, with_related
from phoihop.units.scoping import Scope

FEED_TZID = "Asia/Ho_Chi_Minh"
# A feed covers about one school year either side of today, and at most this many events: enough
# for any person's calendar, and a bound on the work a province-wide scope could ask for.
FEED_PAST = dt.timedelta(days=400)
FEED_FUTURE = dt.timedelta(days=400)
FEED_MAX_EVENTS = 3000


def active_token(token: str) -> FeedToken | None:
    """The unrevoked token of an active user, or None (the caller answers 404 either way)."""
    found = (
        FeedToken.objects.select_related("user", "party")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return found


def feed_activities(feed: FeedToken, scope: Scope, today: dt.date):
    """The activities of a feed, or None when its owner no longer acts for its party."""
    activities = scope.activities()
    if feed.party_id is not None:
        if feed.party_id not in scope.acting_party_ids and not scope.is_superuser:
            return None
        activities = for_party(activities, feed.party_id)
    activities = activities.filter(due_on__range=(today - FEED_PAST, today + FEED_FUTURE))
    return with_related(activities).order_by("due_on", "pk")[:FEED_MAX_EVENTS]


def feed_name(feed: FeedToken) -> str:
    if feed.party_id:
        return _("Phối hợp – %(party)s") % {"party": feed.party.name}
    user = feed.user
    return _("Phối hợp – %(name)s") % {"name": user.get_full_name() or user.get_username()}


def build_calendar(
    activities: Iterable[Activity], *, name: str, url_for: Callable[[Activity], str]
) -> bytes:
    """The feed's bytes. ``activities`` come with their item, document, party and class."""
    cal = Calendar()
    cal.add("prodid", "-//Phoi hop//phoihop//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", FEED_TZID)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(Timezone.from_tzid(FEED_TZID))
    stamp = timezone.now().astimezone(dt.UTC)
    cancelled = Activity.Status.CANCELLED
    for activity in activities:
        url = url_for(activity)
        event = Event()
        event.add("uid", f"activity-{activity.pk}@phoihop")
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.due_on)
        event.add("dtend", activity.due_on + dt.timedelta(days=1))
        event.add("summary", activity.title)
        event.add("description", _describe(activity, url))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [activity.get_status_display()])
        event.add("status", "CANCELLED" if activity.status == cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _describe(activity: Activity, url: str) -> str:
    lines = [
        _("Thời hạn: từ %(start)s đến %(end)s")
        % {
            "start": activity.window_starts_on.strftime("%d/%m/%Y"),
            "end": activity.window_ends_on.strftime("%d/%m/%Y"),
        },
        _("Trạng thái: %(status)s") % {"status": activity.get_status_display()},
    ]
    if activity.assignee_party_id:
        lines.append(_("Chủ trì: %(party)s") % {"party": activity.assignee_party.name})
    if activity.school_class_id:
        lines.append(_("Lớp: %(name)s") % {"name": activity.school_class.name})
    if activity.obligations:
        lines.append(_("Số học sinh cần thực hiện: %(n)s") % {"n": activity.obligations})
    lines.append(_("Văn bản: %(title)s") % {"title": activity.item.document.title})
    lines.append(url)
    return "\n".join(lines)


# -- tokens ---------------------------------------------------------------------------------------


def create_token(user, party=None) -> FeedToken:
    """A new feed address for ``user`` (and ``party``); the caller checked the party is theirs."""
    return FeedToken.objects.create(user=user, party=party)


@transaction.atomic
def revoke_token(feed: FeedToken) -> None:
    """Revoke now: calendar apps that still hold the address get 404 from then on."""
    FeedToken.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
