"""The minutes of a meeting (biên bản) as a Word file, from plain data.

A parents' meeting or a staff conference is proven by its signed biên bản; the school prints the
file, has it signed by the chair and the secretary, and files it. Built from a plain dataclass (no
database) so the layout is tested on its own. The page follows Decree 30/2020/NĐ-CP habits: A4
portrait, Times New Roman 13–14, margins 20/20/30/15 mm, the unit top left and the national motto
top right, the signatures at the foot.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"


@dataclass(frozen=True)
class Minutes:
    unit_name: str
    title: str
    held_on: dt.date
    superior_name: str = ""
    locality: str = ""
    place: str = ""
    chair: str = ""
    secretary: str = ""
    attendees: str = ""
    absentees: str = ""
    agenda: str = ""
    proceedings: str = ""
    conclusions: str = ""


def build_minutes_docx(minutes: Minutes) -> bytes:
    """The .docx bytes of the biên bản."""
    doc = Document()
    _page_setup(doc)
    _base_style(doc)
    _header(doc, minutes.superior_name, minutes.unit_name)

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    place = minutes.locality.split(",")[0].strip() if minutes.locality else ""
    date_line = _("ngày %(day)02d tháng %(month)02d năm %(year)d") % {
        "day": minutes.held_on.day,
        "month": minutes.held_on.month,
        "year": minutes.held_on.year,
    }
    _run(paragraph, f"{place}, {date_line}" if place else date_line.capitalize(), italic=True)

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(12)
    _run(paragraph, _("BIÊN BẢN"), bold=True, size=14)
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, minutes.title, bold=True, size=14)
    paragraph.paragraph_format.space_after = Pt(12)

    _labelled(
        doc,
        _("1. Thời gian, địa điểm"),
        (
            _("Ngày %(date)s, tại %(place)s.")
            % {"date": minutes.held_on.strftime("%d/%m/%Y"), "place": minutes.place}
            if minutes.place
            else _("Ngày %(date)s.") % {"date": minutes.held_on.strftime("%d/%m/%Y")}
        ),
    )
    _labelled(doc, _("2. Thành phần có mặt"), minutes.attendees or "…")
    if minutes.absentees:
        _labelled(doc, _("Vắng mặt"), minutes.absentees)
    _labelled(
        doc,
        _("3. Chủ trì, thư ký"),
        _("Chủ trì: %(chair)s. Thư ký: %(secretary)s.")
        % {"chair": minutes.chair or "…", "secretary": minutes.secretary or "…"},
    )
    _labelled(doc, _("4. Nội dung cuộc họp"), minutes.agenda or "…")
    _labelled(doc, _("5. Diễn biến cuộc họp"), minutes.proceedings or "…")
    _labelled(doc, _("6. Kết luận"), minutes.conclusions or "…")

    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    _run(
        paragraph,
        _(
            "Biên bản được lập xong vào ngày %(date)s, đã đọc lại cho mọi người cùng nghe và nhất trí."
        )
        % {"date": minutes.held_on.strftime("%d/%m/%Y")},
        italic=True,
    )

    table = doc.add_table(rows=2, cols=2)
    for cell, role, name in (
        (table.rows[0].cells[0], _("THƯ KÝ"), minutes.secretary),
        (table.rows[0].cells[1], _("CHỦ TRÌ"), minutes.chair),
    ):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12)
        _run(paragraph, role, bold=True)
        paragraph = cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, _("(Ký, ghi rõ họ tên)"), italic=True)
        for _blank in range(3):
            cell.add_paragraph()
        paragraph = cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, name, bold=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _labelled(doc, label: str, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    _run(paragraph, label + ":", bold=True)
    for line in text.splitlines() or [""]:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(paragraph, line)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(15)


def _base_style(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    # Word picks the East Asian font slot for some Vietnamese characters: set every slot.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(0)


def _run(paragraph, text: str, *, bold=False, italic=False, size: int | None = None):
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.name = FONT
    if size:
        run.font.size = Pt(size)
    return run


def _header(doc, superior_name: str, unit_name: str) -> None:
    """The two-column heading: the unit on the left, the national motto on the right."""
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    paragraph = left.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if superior_name:
        _run(paragraph, superior_name.upper())
        paragraph = left.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, unit_name.upper(), bold=True)
    paragraph = right.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True)
    paragraph = right.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=14)
