"""Bulk add staff from an .xlsx: row-by-row report, all or nothing, the same rules as the form."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop.people.models import Invitation
from phoihop.people.staff_import import role_of
from phoihop.units.models import Membership

pytestmark = pytest.mark.django_db
Role = Membership.Role
HEADERS = ["STT", "Họ và tên", "Email", "Vai trò", "Lớp chủ nhiệm", "Thay mặt tổ chức", "Chức danh"]


def workbook(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["TRƯỜNG A — DANH SÁCH CÁN BỘ NĂM HỌC 2026-2027"])
    sheet.append([])
    sheet.append(headers)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("can-bo.xlsx", out.getvalue())


def upload(client, unit, rows):
    return client.post(reverse("people:staff-import", args=[unit.pk]), {"file": workbook(rows)})


def test_a_good_list_adds_everyone_with_an_invitation_each(world, login):
    client = login(world.a.leader)
    police = world.a.police.name
    rows = [
        ["Nguyễn Văn Hải", "hai@truong.test", "Giáo viên", "", "", "Tổ trưởng Toán"],
        ["Trần Thị Thu", "", "Giáo viên chủ nhiệm", "9C", "", ""],
        ["Lê Minh Đức", "", "GVCN", "6A", "", ""],
        ["Phạm Văn Công", "", "Đối tác", "", police, "Trưởng Công an phường"],
    ]
    response = upload(client, world.a.unit, rows)
    assert response["Location"] == reverse("people:staff-import-report", args=[world.a.unit.pk])
    report = client.get(response["Location"]).content.decode()
    assert "Trần Thị Thu" in report and "lớp mới" in report  # 9C is not in the school yet
    saved = client.post(response["Location"])
    assert saved["Location"] == reverse("people:invitation-sheet", args=[world.a.unit.pk])
    users = get_user_model().objects.filter(last_name__in=["Hải", "Thu", "Đức", "Công"])
    assert users.count() == 4
    roles = {m.user.last_name: m for m in Membership.objects.filter(user__in=users)}
    assert roles["Thu"].role == Role.HOMEROOM and roles["Thu"].school_class.name == "9C"
    assert roles["Đức"].school_class == world.a.school_class
    assert roles["Công"].party == world.a.police and roles["Công"].title == "Trưởng Công an phường"
    assert roles["Hải"].role == Role.MEMBER
    assert Invitation.objects.filter(user__in=users, used_at=None).count() == 4
    sheet = client.get(saved["Location"]).content.decode()
    assert sheet.count('class="invitation card"') == 4


def test_one_bad_row_and_nobody_is_added(world, login):
    client = login(world.a.leader)
    rows = [
        ["Nguyễn Văn Hải", "hai@truong.test", "Giáo viên", "", "", ""],
        ["", "", "Giáo viên", "", "", ""],
        ["Đỗ Thị Hạnh", "hai@truong.test", "Phù thủy", "", "", ""],
        ["Vũ Văn Long", "", "Đối tác", "", "Công an tỉnh khác", ""],
        ["Hồ Thị Lan", "", "Giáo viên chủ nhiệm", "", "", ""],
    ]
    response = upload(client, world.a.unit, rows)
    report = client.get(response["Location"]).content.decode()
    for reason in (
        "Hãy nhập họ và tên",
        "trùng với dòng 4",
        "Không hiểu vai trò",
        "Không có tổ chức phối hợp",
        "phải gắn với một lớp",
    ):
        assert reason in report, reason
    assert "và tạo lời mời</button>" not in report
    before = get_user_model().objects.count()
    client.post(response["Location"])
    assert get_user_model().objects.count() == before


def test_a_clerks_list_cannot_name_a_leader(world, login):
    client = login(world.a.clerk)
    response = upload(client, world.a.unit, [["Mai Văn Tùng", "", "Hiệu trưởng", "", "", ""]])
    report = client.get(response["Location"]).content.decode()
    assert "cao hơn vai trò của mình" in report
    assert not get_user_model().objects.filter(last_name="Tùng").exists()


def test_a_broken_or_foreign_file_gets_a_vietnamese_error(world, login):
    client = login(world.a.leader)
    url = reverse("people:staff-import", args=[world.a.unit.pk])
    broken = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 broken")})
    assert broken.status_code == 400 and "bị hỏng" in broken.content.decode()
    empty = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"")})
    assert empty.status_code == 400
    other = client.post(url, {"file": workbook([["a", "b"]], headers=["Mã", "Điểm"])})
    assert other.status_code == 400 and "Không tìm thấy cột" in other.content.decode()


def test_the_template_reads_back_as_a_valid_list(world, login):
    client = login(world.a.leader)
    template = client.get(reverse("people:staff-import-template", args=[world.a.unit.pk]))
    assert template.status_code == 200
    response = client.post(
        reverse("people:staff-import", args=[world.a.unit.pk]),
        {"file": SimpleUploadedFile("mau.xlsx", template.content)},
    )
    report = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn An" in report and "Lê Văn Cường" in report


@pytest.mark.parametrize(
    "page",
    [
        "people:staff-import",
        "people:staff-import-template",
        "people:staff-import-report",
        "people:invitation-sheet",
    ],
)
def test_another_schools_leader_is_refused(world, login, page):
    client = login(world.a.leader)
    assert client.get(reverse(page, args=[world.b.unit.pk])).status_code == 404
    response = client.post(
        reverse("people:staff-import", args=[world.b.unit.pk]),
        {"file": workbook([["Nguyễn Văn Hải", "", "Giáo viên", "", "", ""]])},
    )
    assert response.status_code == 404


def test_role_words():
    assert role_of("Giáo viên chủ nhiệm") == Role.HOMEROOM
    assert role_of("giáo viên") == Role.MEMBER
    assert role_of("Phó Hiệu trưởng") == Role.LEADER
    assert role_of("VĂN THƯ") == Role.CLERK
    assert role_of("leader") == Role.LEADER
    assert role_of("bảo vệ") is None


@pytest.mark.parametrize("who", ["homeroom", "police_contact"])
def test_the_schools_teachers_and_partners_cannot_import_staff(world, login, who):
    client = login(getattr(world.a, who))
    for page in ("people:staff-import", "people:staff-import-report", "people:invitation-sheet"):
        assert client.get(reverse(page, args=[world.a.unit.pk])).status_code == 403
    response = client.post(
        reverse("people:staff-import", args=[world.a.unit.pk]),
        {"file": workbook([["Nguyễn Văn Hải", "", "Lãnh đạo", "", "", ""]])},
    )
    assert response.status_code == 403
    assert not get_user_model().objects.filter(last_name="Hải").exists()
