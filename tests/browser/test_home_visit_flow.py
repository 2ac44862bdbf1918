"""A homeroom teacher, on a phone, logs a home visit with a photo; the class's coverage matrix shows
it and the principal's school-wide coverage counts it. Screenshots are kept as test artefacts in
``var/test-artifacts/``.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from phoihop.tracking.models import PhotoConsent
from phoihop.units.models import Membership, Unit
from tests import factories as f
from tests.browser.conftest import ARTIFACTS, CHROMIUM, PHONE
from tests.tracking.conftest import HOME_VISIT_CADENCE, jpeg_with_gps

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def school(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    unit = f.UnitFactory(name="Trường THCS Hoa Sen")
    gvcn = f.PartyFactory(unit=unit, kind="gvcn", name="Giáo viên chủ nhiệm")
    school_class = f.SchoolClassFactory(unit=unit, name="6A")
    principal = f.MembershipFactory(unit=unit, role=Membership.Role.LEADER).user
    teacher = f.MembershipFactory(
        unit=unit, role=Membership.Role.HOMEROOM, party=gvcn, school_class=school_class
    ).user
    students = [
        f.StudentFactory(school_class=school_class, full_name="Lê Văn Minh"),
        f.StudentFactory(school_class=school_class, full_name="Vũ Thị Yến", hardship=True),
        f.StudentFactory(school_class=school_class, full_name="Trần Bảo Nam"),
    ]
    # Minh's parents agreed to photos as evidence (tracking.consent).
    PhotoConsent.objects.create(student=students[0], given=True, given_by="Lê Thị Mai")
    item = f.ItemFactory(
        document=f.DocumentFactory(unit=unit),
        text="Giáo viên chủ nhiệm thăm gia đình mỗi học sinh ít nhất một lần mỗi tháng.",
        cadence=HOME_VISIT_CADENCE,
    )
    f.link_parties(item, gvcn)
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    f.ActivityFactory(
        item=item,
        key=f"{start:%Y-%m}/m",
        title=f"Tháng {start.month}/{start.year} · {item.text}",
        assignee_party=gvcn,
        school_class=school_class,
        window_starts_on=start,
        window_ends_on=end,
        due_on=end,
        obligations=len(students),
    )
    assert Unit.objects.count() == 1
    yield {"teacher": teacher, "principal": principal, "class": school_class, "today": today}
    # Made while Playwright's event loop runs in this thread, the fixture's database connection
    # is not the one pytest-django closes; left open, it keeps the test database from being
    # dropped at the end of the run.
    connections.close_all()


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")


@pytest.mark.django_db(transaction=True)
def test_teacher_logs_a_visit_on_a_phone_and_the_principal_sees_it(
    live_server, browser, school, tmp_path
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "IMG_2031.jpg"
    photo.write_bytes(jpeg_with_gps())
    base = live_server.url

    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    sign_in(page, base, school["teacher"])
    with page.expect_navigation():
        page.click("text=Việc của tôi")
    page.screenshot(path=str(ARTIFACTS / "home-visit-1-my-work.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=Thăm gia đình HS lớp 6A")
    options = page.locator("select[name=student] option").all_inner_texts()
    assert options[1].startswith("⚑ Vũ Thị Yến"), options  # flagged students first
    page.select_option("select[name=student]", label="Lê Văn Minh")
    page.fill("input[name=met_with]", "Mẹ")
    page.fill("textarea[name=notes]", "Gia đình quan tâm, em đi học đều.")
    page.set_input_files("input[name=photo]", str(photo))
    page.screenshot(path=str(ARTIFACTS / "home-visit-2-form.png"), full_page=True)
    with page.expect_navigation():
        page.click("button.primary")

    assert "/coverage/" in page.url
    assert "Đã ghi nhận thăm gia đình em Lê Văn Minh" in page.content()
    row = page.locator("#coverage-matrix tr", has_text="Lê Văn Minh")
    assert "✓" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "home-visit-3-coverage.png"), full_page=True)

    # The photo opens for the teacher, served by the access-checked view.
    with page.expect_navigation():
        row.locator("a", has_text="✓").click()
    image = page.locator(".evidence img")
    assert image.count() == 1
    page.wait_for_function("() => document.querySelector('.evidence img').complete")
    assert page.evaluate("document.querySelector('.evidence img').naturalWidth") == 2000
    page.screenshot(path=str(ARTIFACTS / "home-visit-4-record.png"), full_page=True)
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, base, school["principal"])
    page.goto(f"{base}/classes/coverage/")
    total = page.locator("#school-total").inner_text()
    assert "đã thăm 1/3" in total, total
    assert "1/3" in page.locator("#school-coverage tr", has_text="6A").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home-visit-5-principal.png"), full_page=True)
    desk.close()
