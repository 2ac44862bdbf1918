"""Forms for recording results and home visits, shaped for a phone: few fields, sane defaults."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.tracking.models import OUTCOME_CHOICES
from phoihop.tracking.services import MeetingData
from phoihop.tracking.uploads import clean_upload
from phoihop.web.templatetags.phoihop import grouped

MAX_FILES = 10
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
MEETING_FIELDS = ("place", "chair", "secretary", "agenda", "absentees", "conclusions")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked and cleaned by ``uploads.clean_upload``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Mỗi lần gửi tối đa %(count)s tệp.") % {"count": MAX_FILES}, code="count"
            )
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [clean_upload(f) for f in files]


# What a person types into a record (15 MB of notes were accepted, issue 13): the proceedings of a
# long meeting run to a few pages, about 3,000 characters each; longer texts are attached as files.
NOTES_MAX_CHARS = 20_000
LIST_MAX_CHARS = 4_000  # who took part, who was absent


def long_text(label, limit: int = NOTES_MAX_CHARS, rows: int = 3) -> forms.CharField:
    """An optional textarea of at most ``limit`` characters, refused past it in Vietnamese."""

    def at_most(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(
                _(
                    "Nội dung dài quá: tối đa %(limit)s ký tự (đang có %(length)s). Hãy rút gọn, "
                    "hoặc đính kèm bản đầy đủ làm minh chứng."
                )
                % {
                    "limit": grouped(limit),
                    "length": grouped(len(value)),
                },
                code="max_length",
            )

    return forms.CharField(
        label=label,
        required=False,
        validators=[at_most],
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
    )


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise ValidationError(_("Ngày thực hiện không được sau hôm nay."), code="future")
    return day


class MeetingFieldsMixin(forms.Form):
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=200, required=False)
    chair = forms.CharField(label=gettext_lazy("Chủ trì"), max_length=120, required=False)
    secretary = forms.CharField(label=gettext_lazy("Thư ký"), max_length=120, required=False)
    agenda = long_text(gettext_lazy("Nội dung cuộc họp"))
    absentees = long_text(gettext_lazy("Vắng mặt"), LIST_MAX_CHARS, rows=2)
    conclusions = long_text(gettext_lazy("Kết luận"))

    def meeting_data(self) -> MeetingData:
        return MeetingData(**{name: self.cleaned_data.get(name, "") for name in MEETING_FIELDS})


class RecordForm(MeetingFieldsMixin):
    """ "Ghi nhận kết quả": what was done, when, who took part, notes or minutes, evidence."""

    done_on = forms.DateField(label=gettext_lazy("Ngày thực hiện"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết quả"),
        choices=OUTCOME_CHOICES,
        initial="done",
        widget=forms.RadioSelect,
    )
    participants = long_text(gettext_lazy("Thành phần tham gia"), LIST_MAX_CHARS, rows=2)
    notes = long_text(gettext_lazy("Ghi chú / diễn biến"), rows=4)
    files = MultipleFileField(
        label=gettext_lazy("Minh chứng (ảnh, bản quét, PDF)"),
        required=False,
        help_text=gettext_lazy("Ảnh JPEG, PNG, WebP hoặc tệp PDF; mỗi tệp tối đa %(limit)s MB."),
    )
    is_meeting = forms.BooleanField(label=gettext_lazy("Là cuộc họp"), required=False)

    field_order = ["done_on", "outcome", "participants", "notes", "files", "is_meeting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
        self.fields["files"].help_text = self.fields["files"].help_text % {
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1
        }

    def clean_done_on(self):
        return _not_in_future(self.cleaned_data.get("done_on"))


class RecordEditForm(MeetingFieldsMixin):
    """What may change after the fact: who took part and the notes (and the minutes)."""

    participants = long_text(gettext_lazy("Thành phần tham gia"), LIST_MAX_CHARS, rows=2)
    notes = long_text(gettext_lazy("Ghi chú / diễn biến"), rows=5)

    def __init__(self, *args, is_meeting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_meeting = is_meeting
        if not is_meeting:
            for name in MEETING_FIELDS:
                del self.fields[name]


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, student):
        label = f"⚑ {student.full_name}" if student.is_flagged else student.full_name
        if getattr(student, "photo_consent_given", True) is False:
            # Said before the teacher takes a photo that would be refused (tracking.consent).
            label += " " + _("(gia đình chưa đồng ý dùng ảnh)")
        return label


class HomeVisitForm(forms.Form):
    """A home visit in a few taps: student (those in difficulty first), date, who was met, notes."""

    student = StudentChoiceField(
        label=gettext_lazy("Học sinh"),
        queryset=None,
        empty_label=gettext_lazy("— Chọn học sinh —"),
    )
    done_on = forms.DateField(label=gettext_lazy("Ngày thăm"), widget=DateInput())
    met_with = forms.CharField(
        label=gettext_lazy("Đã gặp"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "met-with-choices", "autocomplete": "off"}),
    )
    notes = long_text(gettext_lazy("Ghi chú"))
    photo = forms.FileField(
        label=gettext_lazy("Ảnh (không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["done_on"].initial = timezone.localdate()

    def clean_done_on(self):
        return _not_in_future(self.cleaned_data.get("done_on"))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        cleaned = clean_upload(photo)
        if not cleaned.is_image:
            raise ValidationError(
                _("Chỉ nhận ảnh JPEG, PNG hoặc WebP cho chuyến thăm."), code="type"
            )
        return cleaned
