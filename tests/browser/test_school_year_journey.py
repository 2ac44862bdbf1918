"""A school through a whole year, as its people use it, with the server's clock set by the test:
a plan from a template, blocked at issuing while its signature block is the template's blank, then
issued and scheduled; a homeroom teacher records a home visit on a day outside every planned
period, on a phone; the sơ kết is reached from the plan's page; the plan in force is amended as a
new version that replaces it; the tổng kết is written up as a report; the plan is carried into next year; in August the classes move up and the new plan
schedules its per-class work on the new classes. Screenshots go to ``var/test-artifacts/``.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from phoihop.documents.models import Document
from phoihop.reviews.models import Review
from phoihop.schedule.models import Activity
from phoihop.schedule.services import ensure_school_year
from phoihop.tracking.models import Record, SchoolClass
from phoihop.units.models import Membership
from tests import factories as f
from tests.browser.conftest import ARTIFACTS, CHROMIUM, PHONE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]
TEMPLATE = "cha_me_hoc_sinh"  # the plan with parents: per-student home visits by homeroom teachers


@pytest.fixture
def clock(monkeypatch):
    """The server's "today", moved by the test."""
    original = timezone.localdate
    state = {"today": dt.date(2025, 9, 15)}

    def localdate(value=None, timezone=None):
        if value is not None:
            return original(value, timezone)
        return state["today"]

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return state


@pytest.fixture
def school(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = ensure_school_year("2025-2026")
    unit = f.UnitFactory(name="Trường THCS Sen Hồng", code="THCSSH", level="thcs")
    for kind, name in (
        ("lanh_dao", "Ban giám hiệu"),
        ("gvcn", "Giáo viên chủ nhiệm"),
        ("cmhs", "Ban đại diện cha mẹ học sinh"),
        ("cong_doan", "Công đoàn trường"),
        ("doan_thanh_nien", "Chi đoàn giáo viên"),
    ):
        f.PartyFactory(unit=unit, kind=kind, name=name)
    sixth = f.SchoolClassFactory(unit=unit, name="6A", grade=6, school_year=year)
    ninth = f.SchoolClassFactory(unit=unit, name="9A", grade=9, school_year=year)
    for n, name in enumerate(["Lê Văn Minh", "Vũ Thị Yến", "Trần Bảo Nam"], start=1):
        f.StudentFactory(unit=unit, school_class=sixth, code=f"HS{n}", full_name=name)
    f.StudentFactory(unit=unit, school_class=ninth, code="HS9", full_name="Đỗ Văn Khoa")
    principal = f.MembershipFactory(unit=unit, role=Membership.Role.LEADER).user
    teacher = f.MembershipFactory(
        unit=unit,
        role=Membership.Role.HOMEROOM,
        school_class=sixth,
        party=unit.parties.get(kind="gvcn"),
    ).user
    yield {"unit": unit, "principal": principal, "teacher": teacher, "sixth": sixth}
    connections.close_all()


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"year-{name}.png"), full_page=True)


def go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    go(page, "button.primary")


def no_raw_dates_or_numbers(page):
    """The defects the year walk found: ISO dates and Python decimals shown to people."""
    text = page.inner_text("main")
    assert not __import__("re").search(r"\b20\d\d-\d\d-\d\d\b", text), text[:400]
    assert "000000" not in text and "E+" not in text


@pytest.mark.django_db(transaction=True)
def test_a_school_year_from_plan_to_the_next_years_classes(live_server, browser, school, clock):
    base, unit = live_server.url, school["unit"]
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, base, school["principal"])

    # September: a plan from a template; the template's signature blank blocks issuing.
    page.goto(f"{base}/documents/new/{unit.pk}/")
    form = page.locator("form", has=page.locator(f"input[name=template][value={TEMPLATE}]"))
    form.locator("select[name=year]").select_option("2025-2026")
    with page.expect_navigation():
        form.locator("button.primary").click()
    plan = Document.objects.get(unit=unit)
    page.goto(f"{base}/documents/{plan.pk}/")
    for step in ("Trình duyệt", "Duyệt"):
        go(page, f"button:text-is('{step}')")
    shot(page, "0-approved")
    go(page, "a.button:text-is('Cấp số và ban hành')")
    assert "chỗ trống của mẫu" in page.content()
    assert page.locator("text=Ban hành và lấy số").count() == 0
    shot(page, "1-issue-blocked")
    plan.refresh_from_db()
    assert plan.number is None
    # The plan goes back to draft from there, and the principal writes the signer's name.
    go(page, "button:text-is('Trả lại để sửa')")
    plan.refresh_from_db()
    assert plan.status == "draft"
    page.goto(f"{base}/documents/{plan.pk}/edit/")
    signer = page.locator("#editor-signers form.part-row").first
    signer.locator("input[name=name]").fill("Nguyễn Thị Mai")
    signer.locator("button[value=save]").click()
    page.wait_for_timeout(300)
    # The item editor's save button can be read (it was white on white).
    page.goto(f"{base}/documents/items/{plan.items.first().pk}/edit/")
    background, colour = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('#item-form button.primary'));"
        " return [s.backgroundColor, s.color]; })()"
    )
    assert background != colour and background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    page.goto(f"{base}/documents/{plan.pk}/")
    for step in ("Trình duyệt", "Duyệt"):
        go(page, f"button:text-is('{step}')")
    go(page, "a.button:text-is('Cấp số và ban hành')")
    assert "01/KH-THCSSH" in page.content()
    go(page, "button:text-is('Ban hành và lấy số')")
    plan.refresh_from_db()
    assert (plan.status, plan.number_line) == ("issued", "01/KH-THCSSH")
    go(page, "button:text-is('Xếp lịch')")
    visits = Activity.objects.filter(item__document=plan, school_class=school["sixth"])
    assert visits.exists()
    no_raw_dates_or_numbers(page)
    shot(page, "2-issued-and-scheduled")

    # October: the homeroom teacher records a visit on a day outside every planned period.
    first_window = visits.order_by("window_starts_on").first().window_starts_on
    clock["today"] = first_window - dt.timedelta(days=3)
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    mobile = phone.new_page()
    sign_in(mobile, base, school["teacher"])
    mobile.goto(f"{base}/classes/{school['sixth'].pk}/visit/")
    minh = school["sixth"].students.get(full_name="Lê Văn Minh")
    mobile.select_option("select[name=student]", value=str(minh.pk))
    mobile.fill("input[name=done_on]", clock["today"].isoformat())
    mobile.fill("input[name=met_with]", "Mẹ")
    mobile.fill("textarea[name=notes]", "Gia đình quan tâm, em đi học đều.")
    go(mobile, "button.primary")
    assert "Đã ghi nhận thăm gia đình em Lê Văn Minh" in mobile.content()
    shot(mobile, "3-visit-on-a-phone")
    assert Record.objects.filter(student__full_name="Lê Văn Minh").count() == 1
    phone.close()

    # January: the sơ kết, reached from the plan's page.
    clock["today"] = dt.date(2026, 1, 20)
    page.goto(f"{base}/documents/{plan.pk}/")
    go(page, "text=Sơ kết, tổng kết")
    go(page, "button:has-text('Sơ kết')")
    assert Review.objects.filter(document=plan, kind="so_ket").exists()
    no_raw_dates_or_numbers(page)
    shot(page, "4-so-ket")

    # February: the plan in force is amended as a new version, which replaces it once issued.
    clock["today"] = dt.date(2026, 2, 23)
    page.goto(f"{base}/documents/{plan.pk}/")
    go(page, "button:text-is('Sửa đổi, bổ sung')")
    amended = Document.objects.get(amends=plan)
    page.goto(f"{base}/documents/{amended.pk}/")
    for step in ("Trình duyệt", "Duyệt"):
        go(page, f"button:text-is('{step}')")
    go(page, "a.button:text-is('Cấp số và ban hành')")
    go(page, "button:text-is('Ban hành và lấy số')")
    plan.refresh_from_db()
    amended.refresh_from_db()
    assert (plan.status, amended.status) == ("superseded", "issued")
    # Numbers start again at 01 on 1 January (Decree 30/2020, Phụ lục I, Phần II, mục 3).
    assert (amended.number_line, amended.number_year) == ("01/KH-THCSSH", 2026)
    shot(page, "4b-amended")
    plan = amended

    # May: the tổng kết, written up as a report, then carried into next year.
    clock["today"] = dt.date(2026, 5, 25)
    page.goto(f"{base}/documents/{plan.pk}/")
    go(page, "text=Sơ kết, tổng kết")
    go(page, "button:has-text('Tổng kết')")
    page.fill("textarea[name=achievements]", "Phối hợp tốt với cha mẹ học sinh.")
    page.fill("textarea[name=proposals]", "Thăm gia đình sớm hơn trong học kỳ I.")
    go(page, "button:text-is('Lưu nhận xét')")
    go(page, "button:text-is('Lập văn bản báo cáo (BC) để ban hành')")
    report = Document.objects.get(unit=unit, doc_type="bao_cao")
    assert "kẾ" not in report.title
    page.goto(f"{base}/reviews/{Review.objects.get(kind='tong_ket').pk}/")
    no_raw_dates_or_numbers(page)
    go(page, "button:text-is('Mang sang năm sau')")
    next_plan = Document.objects.get(unit=unit, previous=plan, doc_type="ke_hoach")
    assert "2026-2027" in next_plan.title and next_plan.status == "draft"
    shot(page, "5-carried-over")

    # August: the classes move up; the new plan then schedules its work on them.
    clock["today"] = dt.date(2026, 8, 20)
    page.goto(f"{base}/units/{unit.pk}/")
    go(page, "text=Lên lớp cho năm học mới")
    assert "7A" in page.content() and "ra trường" in page.content()
    page.check("input[name=confirm]")
    go(page, "button:text-is('Lên lớp')")
    assert "Đã lên lớp cho năm học 2026-2027" in page.content()
    seventh = SchoolClass.objects.get(unit=unit, name="7A", school_year__label="2026-2027")
    assert seventh.students.count() == 3
    Document.objects.filter(pk=next_plan.pk).update(status="in_force")
    page.goto(f"{base}/documents/{next_plan.pk}/")
    go(page, "button:text-is('Xếp lịch')")
    shot(page, "6-new-year-scheduled")
    assert Activity.objects.filter(item__document=next_plan, school_class=seventh).exists(), (
        page.inner_text(".messages")
    )
    shot(page, "6-new-year-scheduled")
    desk.close()
