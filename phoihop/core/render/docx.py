"""Write a plan as a Word document laid out as Decree 30/2020/NĐ-CP requires (see ``layout``)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from phoihop.core.render import layout
from phoihop.core.render.model import DocumentModel, Signer, build_model

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# Word's default cell margins (0.08 in each side): the rules are centred inside them.
_CELL_MARGIN_MM = 1.9
# Elements after which the header and footer tables need no extra spacing.
_TIGHT = 0.0


def _set_run_style(run, style: layout.Style) -> None:
    font = run.font
    font.name = layout.FONT_FAMILY
    font.size = Pt(style.size_pt)
    font.bold = style.bold
    font.italic = style.italic
    r_fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    # Vietnamese letters outside Latin-1 must not fall back to an East Asian or complex-script font.
    r_fonts.set(qn("w:eastAsia"), layout.FONT_FAMILY)
    r_fonts.set(qn("w:cs"), layout.FONT_FAMILY)


def _format_paragraph(paragraph, style: layout.Style, *, space_after: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[style.align]
    fmt.first_line_indent = Cm(style.first_line_indent_cm) if style.first_line_indent_cm else None
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(layout.BODY_SPACE_AFTER_PT if space_after is None else space_after)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = layout.BODY_LINE_SPACING if space_after is None else 1.0


def _add_paragraph(
    container, text: str, key: str, *, space_after: float | None = None, paragraph=None
):
    """A paragraph of ``text`` set as element ``key``; ``space_after`` 0 for the stacked header lines."""
    style = layout.ELEMENTS[key]
    if paragraph is None:
        paragraph = container.add_paragraph()
    _format_paragraph(paragraph, style, space_after=space_after)
    if text:
        _set_run_style(paragraph.add_run(text.upper() if style.upper else text), style)
    return paragraph


def _add_rule(container, length_mm: float, box_mm: float) -> None:
    """A centred horizontal rule ``length_mm`` long: the top border of an empty, 2 pt high paragraph.

    Word has no "line under the text" other than underlining; a paragraph border narrowed by
    indents is drawn the same by Word and LibreOffice and stays in the flow of the cell.
    """
    length_mm = min(length_mm, box_mm)
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((box_mm - length_mm) / 2, 0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_before = Pt(1)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), str(round(layout.RULE_WIDTH_PT * 8)))  # eighths of a point
    top.set(qn("w:space"), "0")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    p_pr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )
    paragraph.add_run().font.size = Pt(2)


def _borderless_table(document, widths_mm: tuple[float, ...], rows: int):
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    return table


def _first_paragraph(cell):
    """Cells come with one empty paragraph; use it first so no blank line heads the cell."""
    paragraph = cell.paragraphs[0]
    if not paragraph.runs and not paragraph.text:
        return paragraph
    return None


def _cell_paragraph(cell, text: str, key: str):
    return _add_paragraph(cell, text, key, space_after=_TIGHT, paragraph=_first_paragraph(cell))


def _header(document, model: DocumentModel) -> None:
    """The two-column header: ô 2 and 3 on the left, ô 1 and 4 on the right (Phụ lục I, Phần III)."""
    left_mm, right_mm = layout.HEADER_LEFT_MM, layout.HEADER_RIGHT_MM
    table = _borderless_table(document, (left_mm, right_mm), rows=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left_box = left_mm - 2 * _CELL_MARGIN_MM
    right_box = right_mm - 2 * _CELL_MARGIN_MM

    if model.issuer_superior:
        _cell_paragraph(left, model.issuer_superior, "issuer_superior")
    issuer_style = layout.ELEMENTS["issuer"]
    for issuer in model.issuers:
        _cell_paragraph(left, issuer, "issuer")
    if model.issuers:
        widest = max(
            layout.text_width_mm(i, issuer_style.size_pt, bold=True) for i in model.issuers
        )
        _add_rule(left, layout.SHORT_RULE_RATIO * min(widest, left_box), left_box)

    _cell_paragraph(right, layout.NATIONAL_TITLE, "national_title")
    motto_style = layout.ELEMENTS["motto"]
    _cell_paragraph(right, layout.MOTTO, "motto")
    _add_rule(right, layout.text_width_mm(layout.MOTTO, motto_style.size_pt, bold=True), right_box)

    _cell_paragraph(table.cell(1, 0), model.number_line, "number_line")
    _cell_paragraph(table.cell(1, 1), model.place_date, "place_date")
    for cell in (table.cell(1, 0), table.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(document, model: DocumentModel) -> None:
    first = _add_paragraph(document, model.doc_type_name, "doc_type", space_after=_TIGHT)
    first.paragraph_format.space_before = Pt(18)
    first.paragraph_format.keep_with_next = True
    if model.summary:
        _add_paragraph(document, model.summary, "summary", space_after=_TIGHT)
    style = layout.ELEMENTS["summary"]
    box = layout.TEXT_WIDTH_MM
    width = layout.text_width_mm(model.summary or model.doc_type_name, style.size_pt, bold=True)
    _add_rule(document, layout.SHORT_RULE_RATIO * min(width, box), box)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _signer_cell(cell, signer: Signer) -> None:
    for line in signer.title_lines:
        _cell_paragraph(cell, line, "signer_title")
    for _ in range(layout.SIGNATURE_SPACE_LINES):
        _cell_paragraph(cell, "", "signer_name")
    _cell_paragraph(cell, signer.name, "signer_name")


def _recipients_cell(cell, model: DocumentModel) -> None:
    if not model.recipients:
        return
    _cell_paragraph(cell, layout.RECIPIENTS_LABEL, "recipients_label")
    for line in model.recipients:
        _cell_paragraph(cell, line, "recipients")


def _footer(document, model: DocumentModel) -> None:
    """Signatures on the right (ô 7), Nơi nhận on the left (ô 9), in one borderless table.

    With two signers (a joint plan) each takes a column, in the order the plan lists them, and
    Nơi nhận goes on a row of its own below (Phụ lục I, Phần II, mục 7.d).
    """
    widths = (layout.FOOTER_LEFT_MM, layout.FOOTER_RIGHT_MM)
    if len(model.signers) >= 2:
        half = layout.TEXT_WIDTH_MM / 2
        table = _borderless_table(document, (half, half), rows=2)
        _signer_cell(table.cell(0, 0), model.signers[0])
        _signer_cell(table.cell(0, 1), model.signers[1])
        for signer in model.signers[2:]:  # rare; stacked under the second
            _cell_paragraph(table.cell(0, 1), "", "signer_name")
            _signer_cell(table.cell(0, 1), signer)
        _recipients_cell(table.cell(1, 0), model)
        table.cell(1, 0).paragraphs[0].paragraph_format.space_before = Pt(12)
        return
    table = _borderless_table(document, widths, rows=1)
    _recipients_cell(table.cell(0, 0), model)
    if model.signers:
        _signer_cell(table.cell(0, 1), model.signers[0])


def _page_numbers(section) -> None:
    """Page numbers centred in the top margin, not on the first page (Phụ lục I, Phần I, mục 7)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    section.header_distance = Mm(10)
    paragraph = section.header.paragraphs[0]
    style = layout.ELEMENTS["page_number"]
    _format_paragraph(paragraph, style, space_after=_TIGHT)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = paragraph.add_run()
        _set_run_style(run, style)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(layout.PAGE_WIDTH_MM)
    section.page_height = Mm(layout.PAGE_HEIGHT_MM)
    section.top_margin = Mm(layout.MARGIN_TOP_MM)
    section.bottom_margin = Mm(layout.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(layout.MARGIN_LEFT_MM)
    section.right_margin = Mm(layout.MARGIN_RIGHT_MM)
    normal = document.styles["Normal"]
    normal.font.name = layout.FONT_FAMILY
    normal.font.size = Pt(layout.ELEMENTS["body"].size_pt)
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), layout.FONT_FAMILY)
    r_fonts.set(qn("w:cs"), layout.FONT_FAMILY)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    _page_numbers(section)


def _draft_mark(document) -> None:
    """“DỰ THẢO” in a box, at the top right of the first page."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.space_after = Pt(6)
    run = paragraph.add_run(layout.DRAFT_MARK)
    run.bold = True
    run.font.size = Pt(13)
    run.font.name = "Times New Roman"
    # A border around the run itself (w:bdr): a box just around the word, not the whole line.
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
        border.set(qn(key), value)
    run._r.get_or_add_rPr().append(border)


def render_docx(plan: dict, *, issuer_superior: str | None = None, draft: bool = False) -> bytes:
    """The plan as a .docx file (bytes), laid out as Decree 30/2020/NĐ-CP, Phụ lục I requires.

    ``issuer_superior`` is the issuing body's direct superior (e.g. "UBND PHƯỜNG TIÊN SƠN"), printed
    above the issuer; the plan format does not carry it. ``draft`` adds the "DỰ THẢO" mark.
    """
    model = build_model(plan, issuer_superior=issuer_superior, draft=draft)
    document = Document()
    _setup(document)
    if model.draft:
        _draft_mark(document)
    _header(document, model)
    _title(document, model)
    for line in model.legal_basis:
        _add_paragraph(document, line, "legal_basis")
    for block in model.body:
        paragraph = _add_paragraph(document, block.text, block.style)
        if block.style.startswith("heading"):
            paragraph.paragraph_format.keep_with_next = True
    _footer(document, model)
    properties = document.core_properties
    properties.title = model.title[:250]
    properties.author = model.issuers[0] if model.issuers else ""
    properties.language = "vi-VN"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
