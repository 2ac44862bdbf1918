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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from phoihop.core.render.office import add_heading_table as _header
from phoihop.core.render.office import add_run as _run
from phoihop.core.render.office import official_document


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
    doc = official_document()
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
