"""Word files are read with their automatic numbering, tables, headers and footers."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from phoihop.core.importing import import_bytes
from phoihop.core.importing.docx import docx_text
from phoihop.core.importing.fixtures import text_to_docx

PLAN = """Số: 12/KH-THCS
Hà Nội, ngày 5 tháng 9 năm 2025
KẾ HOẠCH
Phối hợp giữa nhà trường và Công đoàn năm học 2025-2026
I. MỤC ĐÍCH
Nâng cao chất lượng.
II. NỘI DUNG
1. Phối hợp tổ chức Hội nghị viên chức:
- Nhà trường phối hợp với Công đoàn tổ chức Hội nghị viên chức đầu năm học.
- Công đoàn thăm hỏi đoàn viên ốm đau.
2. Nhà trường họp phụ huynh 3 lần/năm.
III. TỔ CHỨC THỰC HIỆN
1. Công đoàn chủ động đề xuất nội dung.
"""


def test_numbers_of_word_lists_are_not_in_the_document_text():
    data = text_to_docx(PLAN)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:numPr>" in xml
    assert ">II. NỘI DUNG<" not in xml and ">NỘI DUNG<" in xml


def test_word_list_numbers_are_rebuilt_from_numbering_definitions():
    lines = docx_text(text_to_docx(PLAN), max_bytes=10**7).splitlines()
    assert "II. NỘI DUNG" in lines
    assert "2. Nhà trường họp phụ huynh 3 lần/năm." in lines
    assert "- Công đoàn thăm hỏi đoàn viên ốm đau." in lines


def test_restarted_word_list_starts_again_at_one():
    lines = docx_text(text_to_docx(PLAN), max_bytes=10**7).splitlines()
    assert "1. Công đoàn chủ động đề xuất nội dung." in lines


def test_docx_plan_has_the_same_structure_as_its_text():
    from_text = import_bytes(PLAN.encode(), "kh.txt")
    from_docx = import_bytes(text_to_docx(PLAN), "kh.docx")
    assert from_docx["sections"] == from_text["sections"]
    assert [c["text"] for c in from_docx["commitments"]] == [
        c["text"] for c in from_text["commitments"]
    ]
    assert from_docx["number"] == "12/KH-THCS" and from_docx["date"] == "2025-09-05"


def test_table_cells_and_headers_are_read():
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "TRƯỜNG THCS HỢP HÒA"
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Nơi nhận:"
    table.rows[0].cells[1].text = "HIỆU TRƯỞNG"
    doc.sections[0].footer.paragraphs[0].text = "Trang 1"
    buf = io.BytesIO()
    doc.save(buf)
    lines = docx_text(buf.getvalue(), max_bytes=10**7).splitlines()
    assert lines[0] == "TRƯỜNG THCS HỢP HÒA"
    assert "Nơi nhận:" in lines and lines[-1] == "Trang 1"
    # the right-hand cell comes after the left one, indented as a flattened text has it
    right = lines.index(next(line for line in lines if line.strip() == "HIỆU TRƯỞNG"))
    assert right > lines.index("Nơi nhận:") and lines[right].startswith(" " * 24)


def test_html_page_is_read_as_its_visible_text():
    html = (
        "<html><head><style>p{}</style></head><body><p>KẾ HOẠCH</p><p>I. NỘI DUNG</p>"
        "<ol><li>Nhà trường họp phụ huynh 3 lần/năm.</li></ol></body></html>"
    ).encode()
    plan = import_bytes(html, "kh.html")
    assert plan["doc_type"] == "ke_hoach"
    assert plan["commitments"][0]["cadence"]["count"] == 3
