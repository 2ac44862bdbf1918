"""Documents (plans, regulations, joint plans, reviews), their section tree, items and targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.numerals import plain_number
from phoihop.core.render.layout import DOC_TYPE_ABBREVIATIONS
from phoihop.units.models import Party, Unit


class Document(models.Model):
    class Type(models.TextChoices):
        KE_HOACH = "ke_hoach", _("Kế hoạch")
        QUY_CHE = "quy_che", _("Quy chế")
        KE_HOACH_LIEN_TICH = "ke_hoach_lien_tich", _("Kế hoạch liên tịch")
        CHUONG_TRINH = "chuong_trinh_phoi_hop", _("Chương trình phối hợp")
        QUYET_DINH = "quyet_dinh", _("Quyết định")
        BAO_CAO = "bao_cao", _("Báo cáo")
        OTHER = "other", _("Văn bản khác")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã trình")
        APPROVED = "approved", _("Đã duyệt")
        ISSUED = "issued", _("Đã ban hành")
        IN_FORCE = "in_force", _("Đang hiệu lực")
        SUPERSEDED = "superseded", _("Đã thay thế")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="documents", verbose_name=_("đơn vị ban hành")
    )
    doc_type = models.CharField(_("loại văn bản"), max_length=32, choices=Type.choices)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(
        _("năm cấp số"),
        null=True,
        blank=True,
        help_text=_("Số văn bản được cấp liên tục theo đơn vị, loại văn bản và năm."),
    )
    symbol = models.CharField(
        _("ký hiệu"), max_length=64, blank=True, help_text=_("Ví dụ KH-THCSBTS")
    )
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    co_issuer_name = models.CharField(_("cơ quan cùng ban hành"), max_length=200, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    period_text = models.CharField(_("thời kỳ"), max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    school_year = models.ForeignKey(
        "schedule.SchoolYear",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("năm học"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
        verbose_name=_("văn bản cấp trên"),
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        verbose_name=_("văn bản năm trước"),
    )
    # A new version (sửa đổi, bổ sung) of an issued document: issuing it supersedes that one.
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
        verbose_name=_("văn bản được sửa đổi, bổ sung"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "doc_type", "number_year", "number"],
                name="document_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def default_symbol(self) -> str:
        """ "KH-THCSHS": the type's abbreviation and the issuing unit's code (Decree 30, Phụ lục
        I, mục 3), the symbol the document gets when issued without one of its own."""
        parts = [DOC_TYPE_ABBREVIATIONS.get(self.doc_type, ""), self.unit.code.strip()]
        return "-".join(p for p in parts if p)

    @property
    def is_draft(self) -> bool:
        """Not issued yet: its copies carry the "DỰ THẢO" mark and partners do not read it."""
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED, self.Status.APPROVED)

    @property
    def number_line(self) -> str:
        """The "Số: 89/KH-THCSBTS" reference, or the symbol alone while unnumbered."""
        if self.number is None:
            return f"/{self.symbol}" if self.symbol else ""
        number = f"{self.number:02d}"
        return f"{number}/{self.symbol}" if self.symbol else number


class LegalBasis(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="legal_basis")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung"))
    ref_number = models.CharField(_("số văn bản được dẫn"), max_length=100, blank=True)
    ref_date = models.DateField(_("ngày văn bản được dẫn"), null=True, blank=True)
    ref_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )

    class Meta:
        verbose_name = _("căn cứ")
        verbose_name_plural = _("căn cứ")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.text


class Recipient(models.Model):
    class Purpose(models.TextChoices):
        BAO_CAO = "bao_cao", _("Báo cáo")
        THUC_HIEN = "thuc_hien", _("Thực hiện")
        PHOI_HOP = "phoi_hop", _("Phối hợp")
        THEO_DOI = "theo_doi", _("Theo dõi")
        LUU = "luu", _("Lưu")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("nơi nhận"), max_length=200)
    purpose = models.CharField(_("mục đích"), max_length=16, choices=Purpose.choices, blank=True)
    text = models.CharField(_("dòng gốc"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.name


class Signer(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signers")
    position = models.PositiveIntegerField(default=0)
    authority = models.CharField(
        _("thẩm quyền"), max_length=8, blank=True, help_text=_("TM., KT. hoặc Q.")
    )
    title = models.CharField(_("chức vụ"), max_length=200)
    name = models.CharField(_("họ và tên"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("người ký")
        verbose_name_plural = _("người ký")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.authority} {self.title} {self.name}".strip()


class Section(models.Model):
    """A node of the document's tree: Phần, Chương, Mục, Điều, A./I./1./a) …"""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(
        _("số hiệu"), max_length=64, blank=True, help_text=_("Đường dẫn số hiệu, ví dụ B.I")
    )
    heading = models.CharField(_("tiêu đề"), max_length=500)
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục")
        verbose_name_plural = _("mục")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.heading


class Target(models.Model):
    """A measurable goal (chỉ tiêu): "đạt trên 90%"."""

    class Comparator(models.TextChoices):
        EQ = "=", "="
        GE = ">=", "≥"
        GT = ">", ">"
        LE = "<=", "≤"
        LT = "<", "<"

    class Method(models.TextChoices):
        COMPUTED = "computed", _("Tính từ dữ liệu")
        ENTERED = "entered", _("Nhập kèm minh chứng")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung"))
    metric = models.CharField(_("chỉ số"), max_length=200, blank=True)
    comparator = models.CharField(
        _("so sánh"), max_length=2, choices=Comparator.choices, blank=True
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit_label = models.CharField(_("đơn vị tính"), max_length=32, blank=True)
    method = models.CharField(
        _("cách đo"), max_length=16, choices=Method.choices, default=Method.ENTERED
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.text

    @property
    def goal(self) -> str:
        """The target as read aloud: "≥ 90 %"."""
        if self.value is None:
            return ""
        value = plain_number(self.value)
        return f"{self.get_comparator_display()} {value} {self.unit_label}".strip()


class TargetMeasurement(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("ngày đo"))
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kết quả đo chỉ tiêu")
        verbose_name_plural = _("kết quả đo chỉ tiêu")
        ordering = ["target", "measured_on"]
        # The latest measurement of a target (roll-ups ask it for thousands of targets at once).
        indexes = [
            models.Index(fields=["target", "measured_on", "id"], name="measurement_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.measured_on}: {self.value}"


class Item(models.Model):
    """An actionable commitment (nội dung phối hợp) with its parties and cadence."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung"))
    # The cadence dict of the import format (count, at_least, per, per_subject, anchors, window).
    cadence = models.JSONField(_("tần suất"), null=True, blank=True)
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    evidence_required = models.BooleanField(_("cần minh chứng"), default=False)
    parties = models.ManyToManyField(Party, through="ItemParty", related_name="items")
    # The item of the document this one's was copied from (rollover, amendment): an amendment's
    # schedule takes over the occurrences of the item it copies.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class ItemParty(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="item_parties")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="item_parties")
    is_lead = models.BooleanField(_("chủ trì"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bên tham gia")
        verbose_name_plural = _("bên tham gia")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "party"], name="item_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.party} · {self.item}"


class DocumentCounter(models.Model):
    """The last number issued per unit, document type and year (Decree 30: numbering restarts on
    1 January and runs without gaps).

    Issuing locks this row (``select_for_update``) so that concurrent issuings queue for the next
    number instead of reading the same maximum; one row per key keeps the lock narrow.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="document_counters")
    doc_type = models.CharField(_("loại văn bản"), max_length=32, choices=Document.Type.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("bộ đếm số văn bản")
        verbose_name_plural = _("bộ đếm số văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "doc_type", "year"], name="document_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.doc_type} · {self.year}: {self.last_number}"


class Acknowledgement(models.Model):
    """A recipient with an account was told of an issued document, and (later) confirmed receipt."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    notified_at = models.DateTimeField(_("thời điểm thông báo"))
    acknowledged_at = models.DateTimeField(_("thời điểm xác nhận đã nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("xác nhận đã nhận")
        verbose_name_plural = _("xác nhận đã nhận")
        ordering = ["document", "notified_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="acknowledgement_unique"),
        ]
        indexes = [models.Index(fields=["user", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.document}"
