"""Staff from an .xlsx list: one row per person and role, checked row by row, saved all or nothing.

A school starting with Phối hợp has its staff list in a spreadsheet already. The reading and the
column guess are the student import's (``tracking.students_import``: the zip guard, the title
block above the header, headers worded differently); the rows become the same calls to
``people.services`` that the "add a person" form makes, so the same rules hold.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.people.forms import class_named
from phoihop.people.services import (
    ROLE_RANK,
    PeopleError,
    RoleChoice,
    add_person,
    clean_email,
    clean_name,
    rank_in,
)
from phoihop.tracking.models import SchoolClass
from phoihop.tracking.students_import import (
    Field,
    Sheet,
    cell_text,
    class_key,
    fold,
    guess_mapping,
)
from phoihop.units.models import Membership, Party, Unit
from phoihop.units.scoping import Scope
from phoihop.xlsx import append_row

Role = Membership.Role
MAX_STAFF_ROWS = 500

# Folded words of the "Vai trò" column; the longest match wins ("giáo viên chủ nhiệm" before
# "giáo viên"). Titles are accepted as roles since that is what staff lists hold.
ROLE_WORDS = {
    "lanh dao": Role.LEADER,
    "hieu truong": Role.LEADER,
    "pho hieu truong": Role.LEADER,
    "giam doc": Role.LEADER,
    "pho giam doc": Role.LEADER,
    "truong phong": Role.LEADER,
    "pho truong phong": Role.LEADER,
    "van thu": Role.CLERK,
    "giao vien chu nhiem": Role.HOMEROOM,
    "gvcn": Role.HOMEROOM,
    "chu nhiem": Role.HOMEROOM,
    "giao vien": Role.MEMBER,
    "nhan vien": Role.MEMBER,
    "can bo": Role.MEMBER,
    "thanh vien": Role.MEMBER,
    "to truong": Role.MEMBER,
    "doi tac": Role.PARTNER,
    "dau moi": Role.PARTNER,
    "dau moi doi tac": Role.PARTNER,
}


def staff_fields() -> list[Field]:
    return [
        Field("full_name", _("Họ và tên"), True, ("ho va ten", "ho ten", "ten")),
        Field("email", _("Thư điện tử"), False, ("email", "e-mail", "thu dien tu", "thu")),
        Field("role", _("Vai trò"), True, ("vai tro", "vai tro trong he thong", "quyen")),
        Field("class_name", _("Lớp chủ nhiệm"), False, ("lop chu nhiem", "lop", "chu nhiem lop")),
        Field(
            "party",
            _("Thay mặt tổ chức"),
            False,
            ("thay mat to chuc", "to chuc", "don vi doi tac", "co quan"),
        ),
        Field("title", _("Chức danh"), False, ("chuc danh", "chuc vu")),
    ]


def role_of(text: str) -> str | None:
    folded = fold(text).strip(" .")
    if folded in Role.values:
        return folded
    matches = [w for w in ROLE_WORDS if folded == w or folded.startswith(w + " ")]
    return ROLE_WORDS[max(matches, key=len)] if matches else None


@dataclass
class StaffRow:
    number: int
    full_name: str = ""
    email: str = ""
    role: str = ""
    class_name: str = ""
    party: str = ""
    title: str = ""
    errors: list[str] = field(default_factory=list)
    new_class: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else ""


@dataclass
class StaffReport:
    rows: list[StaffRow]

    @property
    def refused(self) -> list[StaffRow]:
        return [r for r in self.rows if not r.ok]

    def as_data(self) -> list[dict]:
        return [asdict(r) for r in self.rows]

    @classmethod
    def from_data(cls, data: list[dict]) -> StaffReport:
        return cls([StaffRow(**row) for row in data])


def _party_index(unit: Unit) -> dict[str, Party]:
    index = {}
    for party in Party.objects.filter(unit=unit):
        for name in (party.name, party.short_name, *party.aliases):
            if name:
                index[fold(name)] = party
    return index


def check(scope: Scope, unit: Unit, sheet: Sheet) -> StaffReport:
    """Every row checked against the rules of ``people.services``, with the reason it is refused."""
    mapping = guess_mapping(sheet.headers, staff_fields())
    missing = [f.label for f in staff_fields() if f.required and mapping.get(f.key) is None]
    if missing:
        raise PeopleError(
            _("Không tìm thấy cột: %(fields)s. Hãy dùng tệp mẫu.") % {"fields": ", ".join(missing)}
        )
    rank = rank_in(scope, unit)
    parties = _party_index(unit)
    classes = {class_key(c.name) for c in SchoolClass.objects.filter(unit=unit)}
    rows: list[StaffRow] = []
    seen_emails: dict[str, int] = {}
    for offset, raw in enumerate(sheet.rows):
        values = {
            key: cell_text(raw[column]) if column is not None and column < len(raw) else ""
            for key, column in mapping.items()
        }
        if not any(values.values()):
            continue
        if len(rows) >= MAX_STAFF_ROWS:
            raise PeopleError(_("Tối đa %(max)s người mỗi lần nhập.") % {"max": MAX_STAFF_ROWS})
        row = StaffRow(number=sheet.first_row_number + offset, **values)
        rows.append(row)
        try:
            row.full_name = clean_name(row.full_name)
        except PeopleError as exc:
            row.errors.append(str(exc))
        try:
            row.email = clean_email(row.email)
        except PeopleError as exc:
            row.errors.append(str(exc))
        if row.email:
            first = seen_emails.setdefault(row.email.lower(), row.number)
            if first != row.number:
                row.errors.append(_("Thư điện tử trùng với dòng %(row)s.") % {"row": first})
        role = role_of(values["role"])
        if role is None:
            row.errors.append(
                _(
                    "Không hiểu vai trò “%(role)s”: hãy ghi Lãnh đạo, Văn thư, Giáo viên, Giáo viên chủ nhiệm hoặc Đối tác."
                )
                % {"role": values["role"]}
            )
            continue
        row.role = role
        if ROLE_RANK[role] > rank:
            row.errors.append(
                _("Bạn không thể giao vai trò “%(role)s”, cao hơn vai trò của mình.")
                % {"role": row.role_label}
            )
        if role == Role.HOMEROOM:
            if not row.class_name:
                row.errors.append(_("Giáo viên chủ nhiệm phải gắn với một lớp."))
            else:
                row.new_class = class_key(row.class_name) not in classes
        if role == Role.PARTNER and fold(row.party) not in parties:
            row.errors.append(
                _("Không có tổ chức phối hợp “%(party)s” trong đơn vị.") % {"party": row.party}
                if row.party
                else _("Đầu mối đối tác phải gắn với một tổ chức phối hợp.")
            )
        if len(row.title) > 120:
            row.errors.append(_("Chức danh dài quá 120 ký tự."))
    if not rows:
        raise PeopleError(_("Bảng tính không có dòng nào có dữ liệu."))
    return StaffReport(rows)


@transaction.atomic
def import_staff(scope: Scope, unit: Unit, report: StaffReport) -> list:
    """Create everyone in ``report`` or nobody: any refused row, or any rule failing now, and
    nothing is written."""
    if report.refused:
        raise PeopleError(_("Có dòng bị từ chối: không nhập dòng nào."))
    parties = _party_index(unit)
    users = []
    for row in report.rows:
        choice = RoleChoice(
            role=row.role,
            party=parties.get(fold(row.party)) if row.role == Role.PARTNER else None,
            school_class=class_named(unit, row.class_name) if row.role == Role.HOMEROOM else None,
            title=row.title,
        )
        try:
            users.append(
                add_person(scope, unit, full_name=row.full_name, email=row.email, choice=choice)
            )
        except PeopleError as exc:
            raise PeopleError(
                _("Dòng %(row)s: %(error)s") % {"row": row.number, "error": exc}
            ) from exc
    return users


def write_template() -> bytes:
    """The staff workbook to fill in, with one example row of each kind."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Danh sách cán bộ"))
    append_row(sheet, [_("DANH SÁCH CÁN BỘ, GIÁO VIÊN VÀ ĐẦU MỐI ĐỐI TÁC")])
    sheet.append([])
    append_row(sheet, [f.label for f in staff_fields()])
    examples = [
        ["Nguyễn Văn An", "an@truong.edu.vn", _("Giáo viên chủ nhiệm"), "6A", "", _("Giáo viên")],
        ["Trần Thị Bình", "", _("Văn thư"), "", "", _("Văn thư")],
        ["Lê Văn Cường", "", _("Đối tác"), "", "Công an phường", _("Cán bộ công an phường")],
    ]
    for example in examples:
        append_row(sheet, example)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
