"""What was done: records with evidence, and the classes and students that per-student items need."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.units.models import Unit

# What a record says happened. "Không thực hiện" and "Hoãn" are reported too: the first marks the
# activity as not done, the second leaves it planned (it is still owed, later).
OUTCOME_CHOICES = [
    ("done", _("Đã thực hiện")),
    ("partly", _("Thực hiện một phần")),
    ("not_done", _("Không thực hiện")),
    ("postponed", _("Hoãn")),
]
OUTCOMES = frozenset(value for value, _label in OUTCOME_CHOICES)


class SchoolClass(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="classes")
    school_year = models.ForeignKey(
        "schedule.SchoolYear",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classes",
    )
    name = models.CharField(_("tên lớp"), max_length=32)
    grade = models.PositiveSmallIntegerField(_("khối"), null=True, blank=True)

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["unit", "grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "school_year", "name"], name="class_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Student(models.Model):
    """Personal data: seen only by the class's homeroom teacher and the school's leadership."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="students")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("lớp")
    )
    code = models.CharField(_("mã học sinh"), max_length=32)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    weak_results = models.BooleanField(_("học lực yếu"), default=False)
    frequent_absence = models.BooleanField(_("hay nghỉ học"), default=False)
    hardship = models.BooleanField(_("hoàn cảnh khó khăn"), default=False)
    enrolled_on = models.DateField(_("ngày nhập học"), null=True, blank=True)
    left_on = models.DateField(_("ngày chuyển đi / thôi học"), null=True, blank=True)
    # Set when the personal data was erased on request (tracking.erasure); the row stays so that
    # counts, tallies and retention stay what they were.
    erased_at = models.DateTimeField(_("đã xoá dữ liệu cá nhân lúc"), null=True, blank=True)
    # Who imported, transferred or erased the student, and when (Decree 13/2023/NĐ-CP, Điều 27:
    # the processing of personal data is recorded).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("học sinh")
        verbose_name_plural = _("học sinh")
        ordering = ["school_class", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="student_unique_code"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_flagged(self) -> bool:
        return self.weak_results or self.frequent_absence or self.hardship


class Record(models.Model):
    """What happened for an activity: when, who took part, notes, evidence."""

    activity = models.ForeignKey(
        "schedule.Activity", on_delete=models.CASCADE, related_name="records"
    )
    done_on = models.DateField(_("ngày thực hiện"))
    outcome = models.CharField(
        _("kết quả"),
        max_length=16,
        choices=OUTCOME_CHOICES,
        default="done",
    )
    participants = models.TextField(_("thành phần tham gia"), blank=True)
    notes = models.TextField(_("ghi chú / biên bản"), blank=True)
    student = models.ForeignKey(
        Student,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("học sinh"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả thực hiện")
        verbose_name_plural = _("kết quả thực hiện")
        ordering = ["-done_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.activity} · {self.done_on:%d/%m/%Y}"


class Attachment(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.original_name


class MeetingMinutes(models.Model):
    """What makes a record the minutes (biên bản) of a meeting: agenda, chair, absentees, conclusions.

    Kept beside the record rather than on it, because most records are not meetings. Who attended
    is the record's ``participants`` and the proceedings are its ``notes``, so a record that later
    turns out to be a meeting loses nothing. Edits are kept in history like the record's.
    """

    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="meeting")
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chair = models.CharField(_("chủ trì"), max_length=120, blank=True)
    secretary = models.CharField(_("thư ký"), max_length=120, blank=True)
    agenda = models.TextField(_("nội dung cuộc họp"), blank=True)
    absentees = models.TextField(_("vắng mặt"), blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("biên bản cuộc họp")
        verbose_name_plural = _("biên bản cuộc họp")

    def __str__(self) -> str:
        return str(self.record)


class StudentDataAccess(models.Model):
    """One reading or export of students' personal data: who, when, what and whose.

    Decree 13/2023/NĐ-CP (Điều 27) and Law 91/2025/QH15 ask that the processing of personal data
    be recorded; the school's leadership reads this log (``tracking:student-access-log``). An entry
    names one student, or one class for a page that lists the class's students, or neither for a
    school-wide page. Written by ``tracking.access_log.log_student_access`` from the views that
    show students, never guessed from URLs.
    """

    class Kind(models.TextChoices):
        PAGE = "page", _("Xem trang")
        XLSX = "xlsx", _("Tải tệp .xlsx")
        MINUTES = "minutes", _("Tải biên bản")
        PHOTO = "photo", _("Mở ảnh, tệp minh chứng")
        JSON = "json", _("Tải tệp .json")
        ERASE = "erase", _("Xoá dữ liệu học sinh")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người truy cập"),
    )
    at = models.DateTimeField(_("thời gian"), default=timezone.now)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("việc"), max_length=16, choices=Kind.choices)
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(_("đường dẫn"), max_length=300)

    class Meta:
        verbose_name = _("lượt truy cập dữ liệu học sinh")
        verbose_name_plural = _("nhật ký truy cập dữ liệu học sinh")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "-at", "-id"], name="access_unit_at"),
            models.Index(fields=["student", "-at"], name="access_student_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} · {self.get_kind_display()}"


class PhotoConsent(models.Model):
    """Whether the student's parent (or guardian) agreed that photos of the student be kept as
    evidence (home visits); who agreed, when, and who wrote it down.

    Decree 13/2023/NĐ-CP (Điều 11, 20) and Law 91/2025/QH15: a child's personal data is processed
    with the consent of a parent or guardian, given in a form that can be proved later, and the
    consent can be withdrawn; so a change keeps the earlier state in history. A student without a
    consent row has not consented: photos attached to them are refused.
    """

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="photo_consent")
    given = models.BooleanField(_("đồng ý cho dùng ảnh làm minh chứng"), default=False)
    given_by = models.CharField(
        _("người đồng ý (cha mẹ, người giám hộ)"), max_length=120, blank=True
    )
    given_on = models.DateField(_("ngày đồng ý / rút lại"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sự đồng ý dùng ảnh")
        verbose_name_plural = _("sự đồng ý dùng ảnh")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.given}"
