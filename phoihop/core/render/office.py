"""The school's own working papers (the monthly work calendar, meeting minutes) in the same
official look as its documents: A4 with the Decree 30 margins, Times New Roman, and the two-column
heading (the unit under its superior; the national title and motto). Kept in one place so that
every paper the application prints looks the same."""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
# Fixed text of the national heading: document content, Vietnamese by law, never translated.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def official_document(*, landscape: bool = False):
    """A new python-docx Document on A4 (Decree 30 margins: 20/20/30/15 mm) in Times New Roman 13."""
    doc = Document()
    section = doc.sections[0]
    short, long = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    # Word picks the East Asian font slot for some Vietnamese characters: set every slot.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(0)
    return doc


def add_run(paragraph, text: str, *, bold=False, italic=False, size: int | None = None):
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.name = FONT
    if size:
        run.font.size = Pt(size)
    return run


def add_heading_table(doc, superior_name: str, unit_name: str) -> None:
    """The two-column heading: the unit (under its superior) left, the national motto right."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = True
    left, right = table.rows[0].cells
    paragraph = left.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if superior_name:
        add_run(paragraph, superior_name.upper(), size=13)
        paragraph = left.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, unit_name.upper(), bold=True, size=13)
    paragraph = right.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, NATIONAL_TITLE, bold=True, size=13)
    paragraph = right.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, MOTTO, bold=True, size=14)
