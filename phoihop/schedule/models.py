"""School years and the dated activities a plan's items expand into."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phoihop.units.models import Party, Unit


class SchoolYear(models.Model):
    """A school year's frame for one unit (or the national default when ``unit`` is empty)."""

    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="school_years"
    )
    label = models.CharField(_("năm học"), max_length=9, help_text=_("Ví dụ 2025-2026"))
    starts_on = models.DateField(_("ngày tựu trường / bắt đầu"))
    opens_on = models.DateField(_("ngày khai giảng"), null=True, blank=True)
    semester1_ends_on = models.DateField(_("kết thúc học kỳ I"))
    semester2_starts_on = models.DateField(_("bắt đầu học kỳ II"))
    ends_on = models.DateField(_("kết thúc năm học"))
    tet_break_starts_on = models.DateField(_("bắt đầu nghỉ Tết"), null=True, blank=True)
    tet_break_ends_on = models.DateField(_("kết thúc nghỉ Tết"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    derived = models.BooleanField(
        _("suy ra theo lệ thường"),
        default=False,
        help_text=_("Các mốc được suy ra theo lệ các năm, chưa theo khung kế hoạch đã công bố."),
    )

    class Meta:
        verbose_name = _("năm học")
        verbose_name_plural = _("năm học")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "label"], name="school_year_unique_label"),
            models.UniqueConstraint(
                fields=["label"],
                condition=models.Q(unit__isnull=True),
                name="school_year_unique_default_label",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        order = [self.starts_on, self.semester1_ends_on, self.semester2_starts_on, self.ends_on]
        if None not in order and order != sorted(order):
            raise ValidationError(
                _("Các mốc năm học phải theo thứ tự: bắt đầu, hết HK I, bắt đầu HK II, kết thúc.")
            )


class DayOff(models.Model):
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="days_off")
    date = models.DateField(_("ngày"))
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ")
        verbose_name_plural = _("ngày nghỉ")
        ordering = ["school_year", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "date"], name="day_off_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Activity(models.Model):
    """One dated occurrence of an item for an assignee, with its due window."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity status", "Kế hoạch")
        DONE = "done", _("Đã thực hiện")
        PARTLY = "partly", _("Thực hiện một phần")
        MISSED = "missed", _("Không thực hiện")
        CANCELLED = "cancelled", _("Hủy")

    item = models.ForeignKey("documents.Item", on_delete=models.CASCADE, related_name="activities")
    # Denormalised from the item so that scoping and roll-ups filter without joins.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="activities")
    key = models.CharField(
        _("khóa lịch"),
        max_length=64,
        help_text=_("Định danh ổn định của lần thực hiện trong năm học."),
    )
    title = models.CharField(_("tên hoạt động"), max_length=300)
    assignee_party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("tổ chức chủ trì"),
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("người phụ trách"),
    )
    school_class = models.ForeignKey(
        "tracking.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("lớp"),
    )
    window_starts_on = models.DateField(_("từ ngày"))
    window_ends_on = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn"), db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    kind = models.CharField(
        _("loại"),
        max_length=16,
        choices=[("activity", _("Hoạt động")), ("self_assessment", _("Tự đánh giá"))],
        default="activity",
    )
    # How many times the item is due in the window (a daily duty rolled up per week), and for
    # per-student items how many students the homeroom teacher must cover.
    repeat = models.PositiveIntegerField(_("số lần"), default=1)
    obligations = models.PositiveIntegerField(_("số học sinh cần thực hiện"), default=0)

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "key", "school_class"], name="activity_unique_occurrence"
            ),
            models.UniqueConstraint(
                fields=["item", "key"],
                condition=models.Q(school_class__isnull=True),
                name="activity_unique_unit_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def new_feed_token() -> str:
    """A fresh secret for a feed address: 32 random bytes, URL-safe (43 characters)."""
    import secrets

    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in an iCalendar feed's address.

    Calendar apps on phones cannot sign in, so whoever knows the address reads the feed: the token
    is the credential. It is revocable (``revoked_at``) and checked against the user's current
    memberships on every read, so a feed stops showing what its owner may no longer see.
    ``party`` empty: the user's own feed (everything they may see); else that party's activities.
    """

    token = models.CharField(
        _("mã bí mật"), max_length=64, unique=True, default=new_feed_token, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("tổ chức"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("địa chỉ lịch")
        verbose_name_plural = _("địa chỉ lịch")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.party or '—'}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
