"""The printable monthly work calendar (Lịch công tác tháng) as a Word file.

Schools pin this sheet on the staff-room board and send it to their partners each month; it is
built from plain rows (no database here) so that its layout is tested on its own. Layout follows
the habits of Decree 30/2020/NĐ-CP for administrative papers: A4, Times New Roman, the unit's name
top left and the national motto top right, margins 20/20/30/15 mm (top/bottom/left/right).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from phoihop.core.calendar import weekday_name
from phoihop.core.render.office import add_heading_table as _header
from phoihop.core.render.office import add_run as _run
from phoihop.core.render.office import official_document


@dataclass(frozen=True)
class WorksheetRow:
    """One line of the sheet: what happens on ``day``, who leads it and who takes part."""

    day: dt.date
    content: str
    lead: str = ""
    cooperating: str = ""
    is_day_off: bool = False


def build_month_worksheet(
    *,
    unit_name: str,
    year: int,
    month: int,
    rows: Sequence[WorksheetRow],
    superior_name: str = "",
    landscape: bool = True,
) -> bytes:
    """The .docx bytes of the work calendar of ``month``/``year`` for ``unit_name``.

    ``rows`` are printed in date order; the date and weekday are written on the first row of
    each day only, so a busy day reads as one block.
    """
    doc = official_document(landscape=landscape)
    _header(doc, superior_name, unit_name)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    _run(
        title,
        _("LỊCH CÔNG TÁC THÁNG %(month)s NĂM %(year)s") % {"month": month, "year": year},
        bold=True,
        size=14,
    )
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(6)
    _run(subtitle, unit_name, italic=True)

    headings = (_("Ngày"), _("Thứ"), _("Nội dung công việc"), _("Chủ trì"), _("Phối hợp"))
    widths = (Mm(24), Mm(20), Mm(128), Mm(40), Mm(40)) if landscape else None
    if widths is None:
        widths = (Mm(20), Mm(16), Mm(75), Mm(27), Mm(27))
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header_row = table.rows[0]
    _repeat_as_header(header_row)
    for cell, text, width in zip(header_row.cells, headings, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, bold=True)

    previous_day = None
    for row in sorted(rows, key=lambda r: (r.day, not r.is_day_off)):
        cells = table.add_row().cells
        first_of_day = row.day != previous_day
        previous_day = row.day
        values = (
            row.day.strftime("%d/%m/%Y") if first_of_day else "",
            weekday_name(row.day) if first_of_day else "",
            row.content,
            row.lead,
            row.cooperating,
        )
        for index, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            paragraph = cell.paragraphs[0]
            if index < 2:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, text, italic=row.is_day_off)
    if not rows:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _run(merged.paragraphs[0], _("Không có công việc nào trong tháng."), italic=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _repeat_as_header(row) -> None:
    """Print the column headings again at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
