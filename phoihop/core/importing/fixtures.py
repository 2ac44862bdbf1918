"""Realistic input files made from a plan's plain text, for tests and the benchmark.

``text_to_docx`` writes the kind of Word file schools exchange: list markers ("I.", "1.", "a)",
dashes, "Điều 1.") turned into *real* Word numbering — abstractNum/num definitions in
``numbering.xml`` and ``numPr`` on the paragraphs, so the numbers are not in the text —, heading
styles for the parts, the number/date header and the recipients/signature block as two-column
tables (Decree 30 layout). The legacy-encoding and NFD variants are one-liners over
``encodings``; they live here so every caller makes them the same way.
"""

from __future__ import annotations

import io
import re
import unicodedata

from .encodings import encode_tcvn3, encode_vni
from .structure import detect_marker
from .text import clean_line, fold, is_upper_text

_FORMATS = {
    "roman": "upperRoman",
    "arabic": "decimal",
    "upper": "upperLetter",
    "lower": "lowerLetter",
    "bullet": "bullet",
    "bullet2": "bullet",
    "dieu": "decimal",
}


def _roman_ordinal(kind: str, label: str) -> int:
    from .structure import _ordinal

    return _ordinal(kind, label)


def text_to_docx(text: str) -> bytes:
    """A .docx rendering of ``text`` with Word automatic numbering, headings and tables."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    numbering = doc.part.numbering_part.element
    lists: dict[tuple[str, str], dict] = {}
    next_abstract = [900]
    next_num = [900]

    def new_num(abstract_id: int, start: int | None) -> int:
        num_id = next_num[0]
        next_num[0] += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(abstract_id))
        num.append(ref)
        if start is not None:
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            so = OxmlElement("w:startOverride")
            so.set(qn("w:val"), str(start))
            override.append(so)
            num.append(override)
        numbering.append(num)
        return num_id

    def list_for(kind: str, sep: str) -> dict:
        key = (kind, sep)
        if key in lists:
            return lists[key]
        abstract_id = next_abstract[0]
        next_abstract[0] += 1
        an = OxmlElement("w:abstractNum")
        an.set(qn("w:abstractNumId"), str(abstract_id))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, val in (
            ("w:start", "1"),
            ("w:numFmt", _FORMATS[kind]),
            ("w:lvlText", _lvl_text(kind, sep)),
            ("w:lvlJc", "left"),
        ):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        an.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            numbering.append(an)
        entry = {"abstract": abstract_id, "num": None, "next": 1}
        lists[key] = entry
        return entry

    def add_numbered(para_text: str, kind: str, sep: str, ordinal: int, style: str | None):
        entry = list_for(kind, sep)
        if entry["num"] is None or (kind not in ("bullet", "bullet2") and ordinal != entry["next"]):
            entry["num"] = new_num(entry["abstract"], ordinal if ordinal != 1 else 1)
            entry["next"] = ordinal
        entry["next"] += 1
        p = doc.add_paragraph(para_text, style=style)
        p_pr = p._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        num_id = OxmlElement("w:numId")
        num_id.set(qn("w:val"), str(entry["num"]))
        num_pr.append(ilvl)
        num_pr.append(num_id)
        p_pr.append(num_pr)
        return p

    lines = [clean_line(raw) for raw in text.splitlines()]
    header_cells: list[str] = []
    # Decree 30 header: number (left) and place/date (right) in a borderless two-column table.
    body_lines: list[tuple[str, bool]] = []
    for line, md in lines:
        folded = fold(line)
        if not header_cells and not body_lines and re.match(r"^so\s*:", folded):
            header_cells.append(line)
            continue
        if len(header_cells) == 1 and not body_lines and re.search(r"ngay\s+\d", folded):
            header_cells.append(line)
            continue
        body_lines.append((line, md))
    if header_cells:
        table = doc.add_table(rows=1, cols=2)
        for n, cell_text in enumerate(header_cells[:2]):
            table.rows[0].cells[n].text = cell_text

    # The closing block (Nơi nhận + signatures) goes into a two-column table.
    tail_start = len(body_lines)
    for n, (line, _md) in enumerate(body_lines):
        if re.match(r"^n[oơ]i nh[aậ]n", line, re.IGNORECASE) or _is_signature_line(line):
            tail_start = n
            break
    main, tail = body_lines[:tail_start], body_lines[tail_start:]

    for line, md in main:
        if not line:
            continue
        kind, label, body = detect_marker(line)
        if kind in ("phan", "chuong"):
            doc.add_heading(line, level=1)
        elif kind in _FORMATS and label:
            sep = _separator(line, label, kind)
            style = None
            if kind in ("upper", "roman") and (is_upper_text(body) or md):
                style = "Heading 2"
            elif md:
                style = "Heading 3"
            ordinal = _roman_ordinal(kind, label) if kind not in ("bullet", "bullet2") else 1
            if kind == "dieu":
                add_numbered(body, kind, ".", ordinal, "Heading 3")
            else:
                add_numbered(body, kind, sep, ordinal, style)
        elif md and is_upper_text(line) and len(line.split()) <= 4:
            doc.add_heading(line, level=1)
        else:
            doc.add_paragraph(line)

    if tail:
        left = [ln for ln, _ in tail if _in_recipients(ln, tail)]
        right = [ln for ln, _ in tail if ln and ln not in left]
        table = doc.add_table(rows=1, cols=2)
        left_cell, right_cell = table.rows[0].cells
        _fill(left_cell, left)
        _fill(right_cell, right)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _lvl_text(kind: str, sep: str) -> str:
    if kind in ("bullet", "bullet2"):
        return "-" if kind == "bullet" else "+"
    if kind == "dieu":
        return "Điều %1."
    return f"%1{sep}"


def _separator(line: str, label: str, kind: str) -> str:
    if kind in ("bullet", "bullet2"):
        return ""
    rest = line[len(label) :].lstrip()
    return rest[:1] if rest[:1] in ".)-–:" else "."


def _is_signature_line(line: str) -> bool:
    return bool(re.match(r"^\s*(T\s*/\s*M|TM|KT|Q)\s*[./]?\s*[A-ZĐ]", line)) and is_upper_text(line)


def _in_recipients(line: str, tail: list[tuple[str, bool]]) -> bool:
    """Lines of the "Nơi nhận" block: its title and the dash lines right after it."""
    in_block = False
    for ln, _ in tail:
        if re.match(r"^n[oơ]i nh[aậ]n", ln, re.IGNORECASE):
            in_block = True
            if ln == line:
                return True
            continue
        if in_block:
            if not ln:
                continue
            if ln.startswith(("-", "–", "+", "•")) or re.match(r"^lưu\b", ln, re.IGNORECASE):
                if ln == line:
                    return True
                continue
            in_block = False
    return False


def _fill(cell, lines: list[str]) -> None:
    lines = [ln for ln in lines if ln]
    if not lines:
        return
    cell.text = lines[0]
    for ln in lines[1:]:
        cell.add_paragraph(ln)


def to_tcvn3(text: str) -> bytes:
    return encode_tcvn3(text)


def to_vni(text: str) -> bytes:
    return encode_vni(text)


def to_nfd(text: str) -> bytes:
    return unicodedata.normalize("NFD", text).encode("utf-8")


def transform_docx(text: str, stem: str) -> tuple[bytes, str]:
    """Scorer source transform: the seed as a Word file with real numbering."""
    return text_to_docx(text), f"{stem}.docx"


def transform_tcvn3(text: str, stem: str) -> tuple[bytes, str]:
    return to_tcvn3(text), f"{stem}.txt"


def transform_vni(text: str, stem: str) -> tuple[bytes, str]:
    return to_vni(text), f"{stem}.txt"


def transform_nfd(text: str, stem: str) -> tuple[bytes, str]:
    return to_nfd(text), f"{stem}.txt"


VARIANTS = {
    "docx": transform_docx,
    "tcvn3": transform_tcvn3,
    "vni": transform_vni,
    "nfd": transform_nfd,
}


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BOMB_WORDS = (
    "kế hoạch phối hợp nhà trường công đoàn năm học thực hiện tổ chức hoạt động tuyên truyền "
    "học sinh phụ huynh giáo viên"
).split()


def xml_bomb_docx(xml_bytes: int, seed: int = 13) -> bytes:
    """A .docx whose word/document.xml expands to about ``xml_bytes`` of plain paragraphs.

    The attack of issue 13: it compresses about eightfold, well under the archive ratio limit,
    so only a cap on a part's expanded size stops it. One megabyte of random paragraphs is
    repeated (deflate sees 32 KB back, so repeating does not raise the ratio) and written at
    deflate's default level.
    """
    import random
    import zipfile

    rng = random.Random(seed)
    paras: list[bytes] = []
    size = 0
    while size < 1024 * 1024:
        words = " ".join(rng.choice(_BOMB_WORDS) for _n in range(rng.randint(5, 30)))
        para = f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>".encode()
        paras.append(para)
        size += len(para)
    block = b"".join(paras)
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}"><w:body>'.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            for _n in range(max(1, -(-xml_bytes // len(block)))):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buf.getvalue()
