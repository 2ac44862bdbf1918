"""Units (schools and offices in a tree), the parties they coordinate with, and memberships."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from phoihop.core.parties import PARTY_KIND_LABELS

PARTY_KIND_CHOICES = [(code, _(label)) for code, label in PARTY_KIND_LABELS]


class Unit(models.Model):
    """A school or an education office; the hierarchy is data (Bộ › Sở › [Phòng] › Trường)."""

    class Level(models.TextChoices):
        BO = "bo_gd", _("Bộ GD&ĐT")
        SO = "so_gd", _("Sở GD&ĐT")
        PHONG = "phong_gd", _("Phòng GD&ĐT")
        MAM_NON = "mam_non", _("Trường mầm non")
        TIEU_HOC = "tieu_hoc", _("Trường tiểu học")
        THCS = "thcs", _("Trường THCS")
        THPT = "thpt", _("Trường THPT")
        LIEN_CAP = "lien_cap", _("Trường liên cấp")
        OTHER = "other", _("Khác")

    OFFICE_LEVELS = {Level.BO, Level.SO, Level.PHONG}

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    # Materialised path of ids ("/1/4/17/") so that a subtree is one indexed prefix query.
    path = models.CharField(_("đường dẫn cây"), max_length=255, db_index=True, editable=False)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    name = models.CharField(_("tên"), max_length=200)
    code = models.CharField(
        _("mã viết tắt"),
        max_length=32,
        blank=True,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ THCSBTS."),
    )
    locality = models.CharField(_("địa bàn"), max_length=200, blank=True)
    superior_name = models.CharField(
        _("tên cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_(
            "Dòng trên tên đơn vị ở góc trái văn bản; để trống thì lấy tên đơn vị cấp trên."
        ),
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k not in ("force_insert",)}
        old_path = self.path
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.pk}/"
        super().save(*args, **{**kwargs, "force_insert": False})
        if old_path and old_path != self.path:
            # Moving a unit moves its whole subtree in one UPDATE; ids never change, so documents,
            # activities and history stay attached.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
            )

    @property
    def place_name(self) -> str:
        """The place for the "địa danh, ngày … tháng … năm …" line (Decree 30/2020, Appendix I):
        the first part of the locality without its administrative word ("phường Thanh Bình,
        tỉnh Sông Lam" → "Thanh Bình")."""
        first = self.locality.split(",")[0].strip()
        words = first.split()
        for prefix in (["thành", "phố"], ["thị", "trấn"], ["thị", "xã"], ["phường"], ["xã"],
                       ["tỉnh"], ["quận"], ["huyện"]):  # fmt: skip
            if [w.lower() for w in words[: len(prefix)]] == prefix and len(words) > len(prefix):
                return " ".join(words[len(prefix) :])
        return first

    @property
    def is_office(self) -> bool:
        return self.level in self.OFFICE_LEVELS

    def clean(self) -> None:
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(_("Một đơn vị không thể nằm dưới chính nó."))
                ancestor = ancestor.parent


class Party(models.Model):
    """An organisation a unit coordinates with, inside or outside it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("loại"), max_length=32, choices=PARTY_KIND_CHOICES)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    aliases = models.JSONField(_("các tên gọi khác"), default=list, blank=True)

    class Meta:
        verbose_name = _("tổ chức phối hợp")
        verbose_name_plural = _("tổ chức phối hợp")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="party_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships still held: an ended one is kept for the record but grants nothing."""
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A user's place in a unit: the role they hold and the party they act for.

    Leaving ends a membership instead of deleting it, so the unit still knows who held which role
    (the homeroom teacher of 6A last year); only current memberships count for access.
    """

    class Role(models.TextChoices):
        LEADER = "leader", _("Lãnh đạo")
        CLERK = "clerk", _("Văn thư")
        MEMBER = "member", _("Thành viên")
        HOMEROOM = "homeroom", _("Giáo viên chủ nhiệm")
        PARTNER = "partner", _("Đầu mối đối tác")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("thay mặt tổ chức"),
    )
    school_class = models.ForeignKey(
        "tracking.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("lớp chủ nhiệm"),
    )
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True, auto_now_add=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        indexes = [models.Index(fields=["user", "unit"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self) -> None:
        if self.role == self.Role.PARTNER and self.party_id is None:
            raise ValidationError(_("Đầu mối đối tác phải gắn với một tổ chức phối hợp."))
        if self.role == self.Role.HOMEROOM and self.school_class_id is None:
            raise ValidationError(_("Giáo viên chủ nhiệm phải gắn với một lớp."))
        if self.party_id and self.party.unit_id != self.unit_id:
            raise ValidationError(_("Tổ chức phối hợp phải thuộc cùng đơn vị."))
