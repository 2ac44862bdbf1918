"""Cascaded plans (which item of a unit's draft came from which item of the office's plan) and the
sơ kết / tổng kết reviews of a plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InheritedItem(models.Model):
    """An item of a cascaded draft and the item of the parent document it came from.

    ``Item`` has no parent field and the documents app stays unaware of cascades, so the link
    lives here. ``child_item`` is kept nullable: when a unit deletes an inherited item the link
    stays (with ``child_item`` empty) and the office sees the item as removed.
    """

    child_document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="inherited_items"
    )
    child_item = models.OneToOneField(
        "documents.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inherited_from",
    )
    parent_item = models.ForeignKey(
        "documents.Item", on_delete=models.CASCADE, related_name="inherited_by"
    )

    class Meta:
        verbose_name = _("nội dung kế thừa")
        verbose_name_plural = _("nội dung kế thừa")
        constraints = [
            models.UniqueConstraint(
                fields=["child_document", "parent_item"], name="inherited_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_item_id} → {self.child_item_id}"


class Review(models.Model):
    """A sơ kết (end of semester 1) or tổng kết (end of year) of a plan, drafted from the records.

    ``body`` keeps the figures as computed when drafted, so that the report says what the records
    said that day even if records are added later; drafting again recomputes them.
    """

    class Kind(models.TextChoices):
        SO_KET = "so_ket", _("Sơ kết học kỳ I")
        TONG_KET = "tong_ket", _("Tổng kết năm học")

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("kế hoạch"),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    drafted_at = models.DateTimeField(_("lập lúc"))
    achievements = models.TextField(_("ưu điểm, kết quả nổi bật"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    body = models.JSONField(_("số liệu"), default=dict, blank=True)
    report_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("văn bản báo cáo"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sơ kết, tổng kết")
        verbose_name_plural = _("sơ kết, tổng kết")
        ordering = ["document", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["document", "kind"], name="review_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.document}"


class ActivityTally(models.Model):
    """How many activities a school has due on one day, or in one month, and what became of them:
    the summary the office roll-up reads instead of a million activities and ten million records.

    Every activity counts twice: in its day's row and in its month's row (``month`` set, ``day``
    the first of the month). A date range is read as its whole months plus the days of the months
    it cuts (``reviews.tally.cover``), so any school year and any "today" stay exact.

    Kept exact by database triggers on activities and records (``reviews.tally``), so every way of
    writing them — the services, ``bulk_create``, ``QuerySet.update``, cascades, raw SQL — keeps
    it right; ``phoihop tally --check`` compares it with a recount. Cancelled activities are not
    counted. ``visits`` counts the records naming a student on activities with obligations, as
    the roll-up did from the records themselves.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.BooleanField(default=False)
    day = models.DateField()
    total = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    planned = models.IntegerField(default=0)
    obligations = models.IntegerField(default=0)
    visits = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "day"], name="activity_tally_unique_period"
            ),
        ]
        # The roll-up reads one range of months and one or two ranges of days, for all schools.
        # Covering, so that on PostgreSQL each range is an index-only scan (SQLite ignores
        # ``include``).
        indexes = [
            models.Index(
                fields=["month", "day"],
                include=["unit", "total", "done", "planned", "obligations", "visits"],
                name="activity_tally_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {'month of ' if self.month else ''}{self.day:%Y-%m-%d}"
