"""The printable monthly work calendar (Lịch công tác tháng) as .docx."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from docx.enum.section import WD_ORIENT

from phoihop.schedule.services import ensure_school_year
from phoihop.schedule.worksheet import WorksheetRow, build_month_worksheet
from tests import factories as f

pytestmark = pytest.mark.django_db


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_builder_lays_out_title_unit_and_table():
    data = build_month_worksheet(
        unit_name="Trường THCS Bình Thuận",
        superior_name="UBND phường Bình Thuận",
        year=2025,
        month=10,
        rows=[
            WorksheetRow(
                dt.date(2025, 10, 15), "Họp phụ huynh đầu năm", "Nhà trường", "Ban đại diện CMHS"
            ),
            WorksheetRow(dt.date(2025, 10, 15), "Kiểm tra nề nếp", "Đoàn TN"),
            WorksheetRow(dt.date(2025, 10, 20), "Ngày Phụ nữ Việt Nam", is_day_off=True),
        ],
    )
    document = docx.Document(io.BytesIO(data))
    text = all_text(document)
    assert "LỊCH CÔNG TÁC THÁNG 10 NĂM 2025" in text
    assert "TRƯỜNG THCS BÌNH THUẬN" in text and "Trường THCS Bình Thuận" in text
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert document.styles["Normal"].font.name == "Times New Roman"
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "Ngày",
        "Thứ",
        "Nội dung công việc",
        "Chủ trì",
        "Phối hợp",
    ]
    assert [c.text for c in table.rows[1].cells] == [
        "15/10/2025",
        "Thứ Tư",
        "Họp phụ huynh đầu năm",
        "Nhà trường",
        "Ban đại diện CMHS",
    ]
    # The second job of the same day does not repeat the date.
    assert [c.text for c in table.rows[2].cells][:3] == ["", "", "Kiểm tra nề nếp"]
    assert table.rows[3].cells[1].text == "Thứ Hai"


def test_builder_says_when_the_month_is_empty():
    data = build_month_worksheet(unit_name="Trường A", year=2026, month=7, rows=[], landscape=False)
    document = docx.Document(io.BytesIO(data))
    assert "Không có công việc nào trong tháng." in all_text(document)
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT


def docx_url(unit, year=2025, month=10):
    return reverse("schedule:calendar-docx", args=[unit.pk, year, month])


def test_staff_download_the_months_work_calendar(world, login):
    a = world.a
    f.ActivityFactory(
        item=a.union_item,
        assignee_party=a.union,
        school_class=a.school_class,
        key="k-x",
        title="Họp lớp",
    )
    f.ActivityFactory(
        item=a.union_item,
        assignee_party=a.union,
        school_class=a.other_class,
        key="k-x",
        title="Họp lớp",
    )
    response = login(a.homeroom).get(docx_url(a.unit))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('lich-cong-tac-2025-10.docx"')
    text = all_text(docx.Document(io.BytesIO(response.content)))
    assert "LỊCH CÔNG TÁC THÁNG 10 NĂM 2025" in text
    assert a.unit.name in text
    assert a.activity.title in text
    assert a.police_activity.title in text
    assert world.b.activity.title not in text
    # The per-class copies of one activity make one row naming the classes.
    assert "Họp lớp (lớp 6A, 7A)" in text
    # Police leads the police item; the union cooperates.
    police_row = next(
        row
        for row in docx.Document(io.BytesIO(response.content)).tables[-1].rows
        if row.cells[2].text == a.police_activity.title
    )
    assert police_row.cells[3].text == a.police.name
    assert police_row.cells[4].text == a.union.name


def test_work_calendar_lists_days_off_and_tet(world, login):
    world.a.document.school_year = ensure_school_year("2025-2026")
    world.a.document.save()
    response = login(world.a.leader).get(docx_url(world.a.unit, 2026, 2))
    text = all_text(docx.Document(io.BytesIO(response.content)))
    assert "Nghỉ Tết Nguyên đán (từ 14/02/2026 đến 22/02/2026)" in text


def test_other_units_leader_gets_404_and_partner_403(world, login):
    assert login(world.b.leader).get(docx_url(world.a.unit)).status_code == 404
    assert login(world.a.police_contact).get(docx_url(world.a.unit)).status_code == 403


def test_impossible_month_is_404(world, login):
    assert login(world.a.leader).get(docx_url(world.a.unit, 2025, 13)).status_code == 404
