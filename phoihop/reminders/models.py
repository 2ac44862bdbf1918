"""When each user wants the daily digest, and when they last got it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_SEND_AT = dt.time(6, 30)


class ReminderPreference(models.Model):
    """One row per user; a user without one gets the default (on, at 06:30).

    ``last_sent_on`` is claimed before a digest is sent, so two workers (or the periodic task
    and the command) never send the same day's digest twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    enabled = models.BooleanField(_("nhận thư nhắc việc hằng ngày"), default=True)
    send_at = models.TimeField(_("gửi lúc"), default=DEFAULT_SEND_AT)
    last_sent_on = models.DateField(_("ngày gửi gần nhất"), null=True, blank=True)
    # The language of the interface when the user last saved their settings: the digest is
    # written in it (Vietnamese unless they chose otherwise).
    language = models.CharField(_("ngôn ngữ của thư"), max_length=8, default="vi")

    class Meta:
        verbose_name = _("cài đặt nhắc việc")
        verbose_name_plural = _("cài đặt nhắc việc")
        indexes = [models.Index(fields=["enabled", "send_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.send_at:%H:%M}" if self.enabled else f"{self.user} · —"
