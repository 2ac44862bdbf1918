"""Compare two plans item by item: what was added, removed, changed, or kept.

A plan is rewritten every year, so its items are matched by the similarity of their texts (the
importer's scorer, ``phoihop.core.importing.scoring``: the same notion of "the same item" as the
import accuracy figures), not by position or id. A matched pair whose text, parties or cadence
differ is "changed", with a word-level diff of the text. Pure functions over plan dicts; the DOCX
is a two-column table a committee can read on paper.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field

from phoihop.core.cadence import describe
from phoihop.core.i18n import _, gettext_noop
from phoihop.core.importing.scoring import cadence_equal, match, normalise

THRESHOLD = 0.6  # looser than the import scorer's 0.7: a year's edits reword more than a typo


@dataclass
class Segment:
    op: str  # "equal" | "delete" | "insert"
    text: str


@dataclass
class Row:
    status: str  # "added" | "removed" | "changed" | "unchanged"
    old: dict | None
    new: dict | None
    similarity: float = 0.0
    diff: list[Segment] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what differs: text, parties, cadence

    @property
    def old_text(self) -> str:
        return (self.old or {}).get("text") or ""

    @property
    def new_text(self) -> str:
        return (self.new or {}).get("text") or ""

    @property
    def old_cadence(self) -> str:
        return describe(self.old.get("cadence")) if self.old and self.old.get("cadence") else ""

    @property
    def new_cadence(self) -> str:
        return describe(self.new.get("cadence")) if self.new and self.new.get("cadence") else ""


@dataclass
class Comparison:
    rows: list[Row]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("added", "removed", "changed", "unchanged")}


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of ``old`` and ``new`` as kept, deleted and inserted runs."""
    a, b = old.split(), new.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", " ".join(b[j1:j2])))
    return segments


def compare_plans(old: dict, new: dict, threshold: float = THRESHOLD) -> Comparison:
    """Rows in the new plan's order, each removed item placed after the old item it followed."""
    old_items = old.get("commitments") or []
    new_items = new.get("commitments") or []
    pairs = match(
        [c.get("text") or "" for c in old_items],
        [c.get("text") or "" for c in new_items],
        threshold=threshold,
    )
    new_to_old = {ni: (oi, score) for oi, ni, score in pairs}
    old_matched = {oi: ni for oi, ni, _score in pairs}

    keyed: list[tuple[tuple, Row]] = []
    for ni, item in enumerate(new_items):
        if ni not in new_to_old:
            keyed.append(((ni, 0, 0), Row("added", None, item)))
            continue
        oi, score = new_to_old[ni]
        before = old_items[oi]
        changes = []
        if normalise(before.get("text")) != normalise(item.get("text")):
            changes.append("text")
        if set(before.get("parties") or []) != set(item.get("parties") or []):
            changes.append("parties")
        if not cadence_equal(before.get("cadence"), item.get("cadence")):
            changes.append("cadence")
        row = Row(
            "changed" if changes else "unchanged",
            before,
            item,
            similarity=score,
            diff=word_diff(before.get("text") or "", item.get("text") or ""),
            changes=changes,
        )
        keyed.append(((ni, 0, 0), row))
    for oi, item in enumerate(old_items):
        if oi in old_matched:
            continue
        # After the nearest earlier old item that is still there (or first of all).
        anchor = next((old_matched[j] for j in range(oi - 1, -1, -1) if j in old_matched), -1)
        keyed.append(((anchor, 1, oi), Row("removed", item, None)))
    keyed.sort(key=lambda pair: pair[0])
    return Comparison([row for _key, row in keyed])


STATUS_LABELS = {
    "added": gettext_noop("Thêm mới"),
    "removed": gettext_noop("Bỏ đi"),
    "changed": gettext_noop("Sửa đổi"),
    "unchanged": gettext_noop("Giữ nguyên"),
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status])


def comparison_docx(comparison: Comparison, *, old_title: str, new_title: str) -> bytes:
    """The comparison as a DOCX: a two-column table (before | after), Times New Roman.

    Removed words are struck through, added words underlined and bold, so the changes survive
    black-and-white printing.
    """
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")

    heading = doc.add_paragraph()
    run = heading.add_run(_("SO SÁNH NỘI DUNG HAI VĂN BẢN"))
    run.bold = True
    heading.alignment = 1
    counts = comparison.counts
    doc.add_paragraph(
        _(
            "Thêm mới: %(added)s; bỏ đi: %(removed)s; sửa đổi: %(changed)s; giữ nguyên: %(unchanged)s."
        )
        % counts
    )

    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    for cell, label, title in (
        (head[0], _("Văn bản trước"), old_title),
        (head[1], _("Văn bản sau"), new_title),
    ):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(label + ": ").bold = True
        paragraph.add_run(title)

    for row in comparison.rows:
        cells = table.add_row().cells
        left, right = cells[0].paragraphs[0], cells[1].paragraphs[0]
        tag = f"[{status_label(row.status)}] "
        left.add_run(tag).italic = True
        right.add_run(tag).italic = True
        if row.status == "changed" and "text" in row.changes:
            for segment in row.diff:
                if segment.op in ("equal", "delete"):
                    run = left.add_run(segment.text + " ")
                    run.font.strike = segment.op == "delete"
                if segment.op in ("equal", "insert"):
                    run = right.add_run(segment.text + " ")
                    if segment.op == "insert":
                        run.bold = run.underline = True
        else:
            left.add_run(row.old_text)
            right.add_run(row.new_text)
        if row.old_cadence or row.new_cadence:
            if row.old_cadence:
                cells[0].add_paragraph().add_run(
                    _("Tần suất: %(c)s") % {"c": row.old_cadence}
                ).italic = True
            if row.new_cadence:
                cells[1].add_paragraph().add_run(
                    _("Tần suất: %(c)s") % {"c": row.new_cadence}
                ).italic = True
    for table_row in table.rows:
        for cell in table_row.cells:
            cell.width = Cm(12.8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
