"""The DOCX writer follows Decree 30/2020/NĐ-CP, Phụ lục I: read the file back and check each element."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from phoihop.core.render.docx import render_docx
from phoihop.core.render.lines import format_number_line, format_place_date
from tests.seeds import SEEDS_DIR

SEEDS = SEEDS_DIR

PLAN: dict = {
    "format": "phoihop.import/1",
    "doc_type": "ke_hoach",
    "title": "KẾ HOẠCH Phối hợp giữa nhà trường và Công đoàn năm học 2025-2026",
    "issuer": "Trường THCS B phường Tiên Sơn",
    "co_issuer": None,
    "number": "7/KH-THCSBTS",
    "date": "2026-01-05",
    "place": "Tiên Sơn",
    "period": {"text": "2025-2026", "start_year": 2025, "end_year": 2026},
    "legal_basis": [
        {"text": "Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15/9/2020;", "ref": None},
        {"text": "căn cứ tình hình thực tế", "ref": None},
    ],
    "sections": [
        {"path": "A", "heading": "A. MỤC ĐÍCH, YÊU CẦU", "level": 1},
        {"path": "B", "heading": "B. NỘI DUNG", "level": 1},
        {"path": "B.I", "heading": "PHẦN I PHỐI HỢP TRONG NHÀ TRƯỜNG", "level": 2},
        {"path": "B.I.1", "heading": "1. Với Công đoàn", "level": 3},
    ],
    "commitments": [
        {"section": "B.I.1.1", "text": "Họp liên tịch mỗi tháng một lần.", "parties": ["lanh_dao"]},
        {
            "section": "B.I.1.2",
            "text": "Tổ chức Hội nghị viên chức đầu năm học.",
            "parties": ["cong_doan"],
        },
    ],
    "targets": [
        {"text": "Huy động 100% trẻ ra lớp.", "comparator": "=", "value": 100, "unit": "%"}
    ],
    "recipients": [
        {"text": "Phòng GD&ĐT (b/c);", "name": "Phòng GD&ĐT", "purpose": "bao_cao"},
        {"text": "Lưu VT", "name": "Lưu VT", "purpose": "luu"},
    ],
    "signers": [
        {"authority": "KT.", "title": "HIỆU TRƯỞNG — PHÓ HIỆU TRƯỞNG", "name": "Bùi Thanh Hà"}
    ],
}


@pytest.fixture(scope="module")
def document():
    return Document(io.BytesIO(render_docx(PLAN, issuer_superior="UBND phường Tiên Sơn")))


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _find(document, text: str):
    for paragraph in _all_paragraphs(document):
        if paragraph.text == text:
            return paragraph
    raise AssertionError(f"no paragraph {text!r}")


def _font(paragraph):
    """(family, size in pt, bold, italic) of every run: one value expected per paragraph."""
    runs = [r for r in paragraph.runs if r.text]
    values = {(r.font.name, r.font.size.pt, bool(r.font.bold), bool(r.font.italic)) for r in runs}
    assert len(values) == 1, values
    return values.pop()


def _rule_after(paragraph):
    """The width in mm of the rule drawn as the top border of the paragraph after ``paragraph``."""
    following = paragraph._p.getnext()
    assert following is not None and following.find(qn("w:pPr")) is not None
    assert following.find(qn("w:pPr")).find(qn("w:pBdr")) is not None, "no rule below"
    ind = following.find(qn("w:pPr")).find(qn("w:ind"))
    return ind


# --- page -----------------------------------------------------------------------------------------


def test_page_is_a4_portrait(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)


def test_margins_are_within_the_decree_ranges(document):
    section = document.sections[0]
    assert Mm(20) - Mm(0.1) <= section.top_margin <= Mm(25)
    assert Mm(20) - Mm(0.1) <= section.bottom_margin <= Mm(25)
    assert Mm(30) - Mm(0.1) <= section.left_margin <= Mm(35)
    assert Mm(15) - Mm(0.1) <= section.right_margin <= Mm(20)


def test_default_font_is_times_new_roman(document):
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    r_fonts = normal.element.rPr.rFonts
    assert r_fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_page_numbers_in_header_not_on_first_page(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


# --- header ---------------------------------------------------------------------------------------


def test_header_is_a_borderless_two_column_table(document):
    table = document.tables[0]
    assert len(table.columns) == 2
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    assert table.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_national_title(document):
    paragraph = _find(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    family, size, bold, italic = _font(paragraph)
    assert family == "Times New Roman" and 12 <= size <= 13 and bold and not italic
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_motto_with_rule_as_long_as_the_text(document):
    paragraph = _find(document, "Độc lập - Tự do - Hạnh phúc")
    family, size, bold, italic = _font(paragraph)
    assert 13 <= size <= 14 and bold and not italic
    ind = _rule_after(paragraph)
    cell_width = document.tables[0].cell(0, 1).width
    rule = (
        cell_width - Mm(3.8) - int(ind.get(qn("w:left"))) * 635 - int(ind.get(qn("w:right"))) * 635
    )
    # Times New Roman 13 pt bold: the motto is about 60 mm wide.
    assert Mm(52) < rule < Mm(68)


def test_issuer_superior_upright_caps(document):
    paragraph = _find(document, "UBND PHƯỜNG TIÊN SƠN")
    family, size, bold, italic = _font(paragraph)
    assert 12 <= size <= 13 and not bold and not italic


def test_issuer_bold_caps_with_short_rule(document):
    paragraph = _find(document, "TRƯỜNG THCS B PHƯỜNG TIÊN SƠN")
    family, size, bold, italic = _font(paragraph)
    assert 12 <= size <= 13 and bold and not italic
    assert _rule_after(paragraph) is not None
    superior = _find(document, "UBND PHƯỜNG TIÊN SƠN")
    assert superior._p.getnext() is paragraph._p  # the issuer sits under its superior


def test_number_line(document):
    paragraph = _find(document, "Số: 07/KH-THCSBTS")
    family, size, bold, italic = _font(paragraph)
    assert size == 13 and not bold and not italic
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_place_date_line_in_italics(document):
    paragraph = _find(document, "Tiên Sơn, ngày 05 tháng 01 năm 2026")
    family, size, bold, italic = _font(paragraph)
    assert 13 <= size <= 14 and italic and not bold
    assert document.tables[0].cell(1, 1).paragraphs[0]._p is paragraph._p


def test_document_type_name(document):
    paragraph = _find(document, "KẾ HOẠCH")
    family, size, bold, italic = _font(paragraph)
    assert 13 <= size <= 14 and bold and not italic
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_summary_bold_centred_with_rule(document):
    paragraph = _find(document, "Phối hợp giữa nhà trường và Công đoàn năm học 2025-2026")
    family, size, bold, italic = _font(paragraph)
    assert 13 <= size <= 14 and bold and not italic
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _rule_after(paragraph) is not None


def test_legal_basis_italic_one_per_line_with_punctuation(document):
    first = _find(document, "Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15/9/2020;")
    last = _find(document, "Căn cứ tình hình thực tế.")
    for paragraph in (first, last):
        family, size, bold, italic = _font(paragraph)
        assert 13 <= size <= 14 and italic


def test_body_justified_indented_spaced(document):
    paragraph = _find(document, "1. Họp liên tịch mỗi tháng một lần.")
    family, size, bold, italic = _font(paragraph)
    assert 13 <= size <= 14 and not bold and not italic
    fmt = paragraph.paragraph_format
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Mm(10) - Mm(0.1) <= fmt.first_line_indent <= Mm(12.7) + Mm(0.1)
    assert fmt.space_after >= Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5


def test_section_numbering_and_items_in_order(document):
    texts = [p.text for p in document.paragraphs if p.text]
    start = texts.index("A. MỤC ĐÍCH, YÊU CẦU")
    assert texts[start : start + 8] == [
        "A. MỤC ĐÍCH, YÊU CẦU",
        "- Huy động 100% trẻ ra lớp.",
        "B. NỘI DUNG",
        "Phần I",
        "PHỐI HỢP TRONG NHÀ TRƯỜNG",
        "1. Với Công đoàn",
        "1. Họp liên tịch mỗi tháng một lần.",
        "2. Tổ chức Hội nghị viên chức đầu năm học.",
    ]


def test_part_heading_centred_bold(document):
    paragraph = _find(document, "Phần I")
    assert _font(paragraph)[2] is True
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_signer_authority_and_title_bold_caps(document):
    first = _find(document, "KT. HIỆU TRƯỞNG")
    second = _find(document, "PHÓ HIỆU TRƯỞNG")
    for paragraph in (first, second):
        family, size, bold, italic = _font(paragraph)
        assert 13 <= size <= 14 and bold and not italic
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_signer_name_bold_after_space_for_signature(document):
    paragraph = _find(document, "Bùi Thanh Hà")
    family, size, bold, italic = _font(paragraph)
    assert 13 <= size <= 14 and bold and not italic
    cell = document.tables[-1].cell(0, 1)
    texts = [p.text for p in cell.paragraphs]
    assert texts.index("Bùi Thanh Hà") - texts.index("PHÓ HIỆU TRƯỞNG") >= 4


def test_recipients_label_bold_italic_12(document):
    paragraph = _find(document, "Nơi nhận:")
    family, size, bold, italic = _font(paragraph)
    assert size == 12 and bold and italic
    assert document.tables[-1].cell(0, 0).paragraphs[0]._p is paragraph._p


def test_recipients_list_11_with_archive_line(document):
    first = _find(document, "- Phòng GD&ĐT (b/c);")
    last = _find(document, "- Lưu: VT.")
    for paragraph in (first, last):
        family, size, bold, italic = _font(paragraph)
        assert size == 11 and not bold and not italic


def test_every_run_is_times_new_roman(document):
    for paragraph in _all_paragraphs(document):
        for run in paragraph.runs:
            if run.text:
                assert run.font.name == "Times New Roman", paragraph.text


# --- joint plans and seeds ------------------------------------------------------------------------


def test_two_signers_side_by_side():
    plan = dict(
        PLAN,
        signers=[
            {"authority": "TM.", "title": "BAN THƯỜNG VỤ — CHỦ TỊCH", "name": "Trần Thị Thu Hà"},
            {"authority": None, "title": "GIÁM ĐỐC", "name": "Nguyễn Hữu Độ"},
        ],
    )
    document = Document(io.BytesIO(render_docx(plan)))
    table = document.tables[-1]
    assert table.cell(0, 0).paragraphs[0].text == "TM. BAN THƯỜNG VỤ"
    assert table.cell(0, 1).paragraphs[0].text == "GIÁM ĐỐC"
    assert table.cell(1, 0).paragraphs[0].text == "Nơi nhận:"


def test_draft_without_number_or_date_leaves_blanks():
    plan = dict(PLAN, number=None, date=None, place=None)
    document = Document(io.BytesIO(render_docx(plan)))
    assert document.tables[0].cell(1, 0).paragraphs[0].text.startswith("Số:")
    assert "/KH" in document.tables[0].cell(1, 0).paragraphs[0].text


@pytest.mark.parametrize("gold", sorted(SEEDS.glob("*.gold.json")), ids=lambda p: p.name[:3])
def test_seed_plans_render_with_every_item(gold):
    plan = json.loads(gold.read_text(encoding="utf-8"))
    document = Document(io.BytesIO(render_docx(plan)))
    body = "\n".join(p.text for p in document.paragraphs)
    for item in plan["commitments"]:
        assert " ".join(item["text"].split()) in body


# --- the formatting helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "line"),
    [
        ("89/KH-THCSBTS", "Số: 89/KH-THCSBTS"),
        ("6 /KH-LT-SGD&ĐT-CĐN", "Số: 06/KH-LT-SGD&ĐT-CĐN"),
        ("Số: 3/KHLT – GDĐT - LĐLĐ", "Số: 03/KHLT-GDĐT-LĐLĐ"),
    ],
)
def test_format_number_line(number, line):
    assert format_number_line(number) == line


@pytest.mark.parametrize(
    ("date", "line"),
    [
        ("2025-09-18", "Tiên Sơn, ngày 18 tháng 9 năm 2025"),
        ("2026-01-05", "Tiên Sơn, ngày 05 tháng 01 năm 2026"),
        ("2026-02-28", "Tiên Sơn, ngày 28 tháng 02 năm 2026"),
        ("2025-10-09", "Tiên Sơn, ngày 09 tháng 10 năm 2025"),
    ],
)
def test_format_place_date(date, line):
    assert format_place_date("Tiên Sơn", date) == line


def test_a_draft_carries_the_boxed_mark_at_the_top_right():
    draft = Document(io.BytesIO(render_docx(PLAN, draft=True)))
    first = draft.paragraphs[0]
    assert first.text == "DỰ THẢO"
    assert first.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first.runs[0]._r.rPr.find(qn("w:bdr")) is not None  # the box
    issued = Document(io.BytesIO(render_docx(PLAN)))
    assert "DỰ THẢO" not in "\n".join(p.text for p in _all_paragraphs(issued))
