"""A real school starts from nothing, as its people would: the principal runs the first-run page
on a desktop, imports the student list, adds three teachers and the ward police's contact, and
each of them comes in through their own invitation (a teacher on a 390 px phone). No admin site,
no command. Screenshots go to ``var/test-artifacts/``.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from phoihop.core.calendar import school_year_label_for
from phoihop.tracking.models import SchoolClass, Student
from phoihop.tracking.students_import import write_example
from phoihop.units.models import Membership, Unit
from tests.browser.conftest import ARTIFACTS, CHROMIUM, PHONE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

PRINCIPAL_PASSWORD = "Hoa-sen-truong-2026"
PEOPLE = [
    # full name, role label in the form, class or party, password they choose, on a phone?
    ("Trần Thị Thu", "Giáo viên chủ nhiệm", "6A", "Thu-lop-6A-2026", True),
    ("Lê Minh Đức", "Giáo viên chủ nhiệm", "7A", "Duc-lop-7A-2026", False),
    ("Hoàng Văn Nam", "Thành viên", "", "Nam-giao-vien-26", False),
    ("Phạm Văn Công", "Đầu mối đối tác", "Công an phường Thanh Bình", "Cong-an-TB-2026", False),
]


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"setup-{name}.png"), full_page=True)


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def student_list(tmp_path):
    path = tmp_path / "danh-sach-hoc-sinh.xlsx"
    names = ["Lê Văn Minh", "Vũ Thị Yến", "Trần Bảo Nam", "Đỗ Gia Huy", "Ngô Thị Mai"]
    students = [
        {"code": f"HS{n:04d}", "full_name": name, "class_name": "6A" if n <= 3 else "7A"}
        for n, name in enumerate(names, start=1)
    ]
    path.write_bytes(write_example(students))
    return path


@pytest.mark.django_db(transaction=True)
def test_principal_sets_up_a_school_and_everyone_signs_in_by_invitation(
    live_server, browser, student_list
):
    base = live_server.url
    assert not Unit.objects.exists() and not get_user_model().objects.exists()
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()

    # 1. First run: the site's front door leads there.
    page.goto(base + "/")
    assert page.url.endswith("/setup/")
    page.select_option("select[name=level]", "thcs")
    page.fill("input[name=unit_name]", "Trường THCS Hoa Sen")
    page.fill("input[name=code]", "THCSHS")
    page.fill("input[name=superior_name]", "UBND PHƯỜNG THANH BÌNH")
    page.fill("input[name=locality]", "phường Thanh Bình, tỉnh Sông Lam")
    assert page.input_value("input[name=school_year]") == school_year_label_for(
        timezone.localdate()
    )
    page.fill("input[name=leader_name]", "Nguyễn Thị Mai")
    page.fill("input[name=title]", "Hiệu trưởng")
    page.fill("input[name=username]", "hieutruong")
    page.fill("input[name=password1]", PRINCIPAL_PASSWORD)
    page.fill("input[name=password2]", PRINCIPAL_PASSWORD)
    click_and_wait(page, "button.primary")
    names = [page.input_value(f"input[name=parties-{i}-name]") for i in range(9)]
    assert "Công an phường Thanh Bình" in names, names
    page.fill("input[name=parties-0-name]", "Công đoàn Trường THCS Hoa Sen")
    shot(page, "1-first-run-partners")
    click_and_wait(page, "button.primary")
    assert "/people/units/" in page.url
    assert "Đã tạo Trường THCS Hoa Sen" in page.content()
    unit = Unit.objects.get()

    # 2. The student list: two classes come with it.
    page.goto(f"{base}/units/{unit.pk}/")
    click_and_wait(page, "text=Nhập học sinh từ Excel")
    page.set_input_files("input[name=file]", str(student_list))
    click_and_wait(page, "button.primary")
    click_and_wait(page, "button.primary")  # the guessed columns are right
    page.check("input[name=create_classes]")
    click_and_wait(page, "button.primary")
    assert Student.objects.filter(unit=unit).count() == 5
    assert set(SchoolClass.objects.values_list("name", flat=True)) == {"6A", "7A"}

    # 3. Three teachers and the police contact, each with an invitation.
    links = {}
    for full_name, role, attached, _password, _phone in PEOPLE:
        page.goto(f"{base}/people/units/{unit.pk}/")
        click_and_wait(page, "text=Thêm người")
        page.fill("input[name=full_name]", full_name)
        page.select_option("select[name=role]", label=role)
        if role == "Giáo viên chủ nhiệm":
            page.select_option("select[name=school_class]", label=attached)
        elif role == "Đầu mối đối tác":
            page.select_option("select[name=party]", label=attached)
        click_and_wait(page, "button.primary")
        assert page.locator(".qr svg").count() == 1
        links[full_name] = page.get_attribute("#invitation-link", "href")
    shot(page, "2-invitation")
    page.goto(f"{base}/people/units/{unit.pk}/")
    shot(page, "3-people")
    assert page.locator("table.people tbody tr").count() == 5
    desk.close()

    # 4. Each person opens their own link, sets a password and is in.
    for full_name, _role, attached, password, on_phone in PEOPLE:
        if on_phone:
            context = browser.new_context(
                viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
            )
        else:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(links[full_name])
        assert full_name in page.content()
        if on_phone:
            shot(page, "4-teacher-phone-invitation")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], width  # nothing wider than the phone
        page.fill("input[name=new_password1]", password)
        page.fill("input[name=new_password2]", password)
        click_and_wait(page, "button.primary")
        assert f"Chào mừng {full_name}" in page.content()
        if on_phone:
            shot(page, "5-teacher-phone-signed-in")
        user = get_user_model().objects.get(
            first_name__isnull=False, last_name=full_name.split()[-1]
        )
        # Signed out, they come back with the password they chose.
        context.clear_cookies()
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        click_and_wait(page, "button.primary")
        assert "/accounts/login/" not in page.url
        if attached in ("6A", "7A"):
            page.goto(base + f"/classes/{SchoolClass.objects.get(name=attached).pk}/")
            assert (
                "Lê Văn Minh" in page.content()
                if attached == "6A"
                else "Đỗ Gia Huy" in page.content()
            )
        # The link is spent.
        page.goto(links[full_name])
        assert "Lời mời không còn hiệu lực" in page.content()
        context.close()

    roles = Membership.objects.values_list("role", flat=True)
    assert sorted(roles) == ["homeroom", "homeroom", "leader", "member", "partner"]
    assert get_user_model().objects.filter(last_login__isnull=False).count() == 5
    connections.close_all()
