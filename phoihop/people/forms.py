"""The forms of the people pages and of the first run."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.calendar import school_year_label_for
from phoihop.core.parties import PARTY_KIND_LABELS
from phoihop.people.services import MAX_NAME, RoleChoice, grantable_roles
from phoihop.tracking.models import SchoolClass
from phoihop.tracking.students_import import class_key, current_school_year, grade_of
from phoihop.units.models import Membership, Party, Unit
from phoihop.units.scoping import Scope

Role = Membership.Role


class RoleForm(forms.Form):
    """A role in one unit: partner contacts act for a party, homeroom teachers have a class (an
    existing one or a new one typed here, for a school whose student list is not in yet)."""

    role = forms.ChoiceField(label=gettext_lazy("Vai trò"))
    party = forms.ModelChoiceField(
        label=gettext_lazy("Thay mặt tổ chức (đầu mối đối tác)"),
        queryset=Party.objects.none(),
        required=False,
    )
    school_class = forms.ModelChoiceField(
        label=gettext_lazy("Lớp chủ nhiệm"), queryset=SchoolClass.objects.none(), required=False
    )
    new_class = forms.CharField(
        label=gettext_lazy("hoặc lớp mới"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Ví dụ 6A; lớp được tạo cho năm học hiện tại."),
    )
    title = forms.CharField(
        label=gettext_lazy("Chức danh"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Ví dụ Phó Hiệu trưởng, Chủ tịch Công đoàn, Trưởng Công an phường."),
    )

    def __init__(self, *args, scope: Scope, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["role"].choices = grantable_roles(scope, unit)
        self.fields["party"].queryset = Party.objects.filter(unit=unit).order_by("name")
        self.fields["school_class"].queryset = SchoolClass.objects.filter(unit=unit).order_by(
            "grade", "name"
        )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        new_class = (data.get("new_class") or "").strip()
        if role == Role.HOMEROOM and not data.get("school_class") and not new_class:
            self.add_error("school_class", _("Hãy chọn lớp chủ nhiệm hoặc nhập tên lớp mới."))
        if role == Role.PARTNER and not data.get("party"):
            self.add_error("party", _("Hãy chọn tổ chức mà người này làm đầu mối."))
        return data

    def role_choice(self) -> RoleChoice:
        """The cleaned role; a new class is created here (the caller's transaction)."""
        data = self.cleaned_data
        role = data["role"]
        school_class = data.get("school_class") if role == Role.HOMEROOM else None
        new_class = (data.get("new_class") or "").strip()
        if role == Role.HOMEROOM and school_class is None and new_class:
            school_class = class_named(self.unit, new_class)
        return RoleChoice(
            role=role,
            party=data.get("party") if role == Role.PARTNER else None,
            school_class=school_class,
            title=data.get("title", ""),
        )


def class_named(unit: Unit, name: str) -> SchoolClass:
    """The class called ``name`` in the unit's current school year, created when missing."""
    year = current_school_year(unit, timezone.localdate())
    for existing in SchoolClass.objects.filter(unit=unit, school_year=year):
        if class_key(existing.name) == class_key(name):
            return existing
    return SchoolClass.objects.create(unit=unit, school_year=year, name=name, grade=grade_of(name))


class PersonForm(RoleForm):
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=MAX_NAME)
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        help_text=gettext_lazy("Nếu có, lời mời được gửi đến địa chỉ này."),
    )
    field_order = ["full_name", "email", "role", "party", "school_class", "new_class", "title"]


class PersonEditForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=MAX_NAME)
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)


class HandoverForm(forms.Form):
    teacher = forms.ModelChoiceField(
        label=gettext_lazy("Giáo viên chủ nhiệm mới"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, unit: Unit, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = (
            Membership.objects.current()
            .filter(unit=unit, user__is_active=True)
            .exclude(role=Role.PARTNER)
            .values("user_id")
        )
        users = get_user_model().objects.filter(pk__in=staff)
        if exclude:
            users = users.exclude(pk__in=exclude)
        field = self.fields["teacher"]
        field.queryset = users.order_by("last_name", "first_name", "username")
        field.label_from_instance = lambda u: u.get_full_name() or u.username


# -- first run -----------------------------------------------------------------------------------


def _level_choices():
    return Unit.Level.choices


class FirstRunForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Cấp đơn vị"), choices=_level_choices)
    unit_name = forms.CharField(
        label=gettext_lazy("Tên đơn vị"),
        max_length=200,
        help_text=gettext_lazy("Như trên con dấu, ví dụ Trường THCS Hoàng Hoa Thám."),
    )
    code = forms.CharField(
        label=gettext_lazy("Mã viết tắt"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Dùng trong ký hiệu văn bản, ví dụ THCSHHT."),
    )
    superior_name = forms.CharField(
        label=gettext_lazy("Cơ quan chủ quản"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Dòng trên tên đơn vị ở góc trái văn bản, ví dụ UBND PHƯỜNG BA ĐÌNH."
        ),
    )
    locality = forms.CharField(
        label=gettext_lazy("Địa bàn"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Ví dụ phường Ba Đình, thành phố Hà Nội."),
    )
    school_year = forms.CharField(label=gettext_lazy("Năm học"), max_length=9)
    leader_name = forms.CharField(label=gettext_lazy("Họ và tên của bạn"), max_length=MAX_NAME)
    title = forms.CharField(
        label=gettext_lazy("Chức danh"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Ví dụ Hiệu trưởng."),
    )
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    username = forms.CharField(
        label=gettext_lazy("Tên đăng nhập"),
        max_length=150,
        help_text=gettext_lazy("Chữ không dấu, không có dấu cách, ví dụ hieutruong."),
    )
    # Kept in the form between the two steps (the partners are offered once the level is known).
    password1 = forms.CharField(
        label=gettext_lazy("Mật khẩu"),
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Nhập lại mật khẩu"),
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].initial = school_year_label_for(timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class PartyRowForm(forms.Form):
    """One partner on the first-run page: kept or not, its kind, the name the principal edits."""

    keep = forms.BooleanField(label=gettext_lazy("Có"), required=False, initial=True)
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=[(c, gettext_lazy(label)) for c, label in PARTY_KIND_LABELS],
    )
    name = forms.CharField(label=gettext_lazy("Tên"), max_length=200, required=False)


PartyRowFormSet = forms.formset_factory(PartyRowForm, extra=3, max_num=60, validate_max=True)


def chosen_parties(formset) -> list[tuple[str, str]]:
    return [
        (row.cleaned_data["kind"], row.cleaned_data["name"].strip())
        for row in formset.forms
        if row.cleaned_data.get("keep") and (row.cleaned_data.get("name") or "").strip()
    ]
