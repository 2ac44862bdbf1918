"""Text of a .docx file, with Word's automatic list numbers put back.

In a Word file, "I.", "1.", "a)" and bullets made with the numbering button are not in the text:
the paragraph only says "list 3, level 0", and ``numbering.xml`` says how that list is drawn
("%1." in upper-case Roman numerals, starting at 1). The importer needs those numbers to rebuild the
section tree, so they are recomputed here the way Word does: one counter per list and level,
deeper levels restart when a higher one advances, ``startOverride`` restarts a list.

The archive is untrusted: members are size- and ratio-checked before inflating (``safety``) and
XML is parsed without entities, DTDs or network.
"""

from __future__ import annotations

import re

from phoihop.core.i18n import _
from phoihop.core.numerals import to_roman

from .errors import ImportFailure
from .safety import open_zip, parse_xml, read_member
from .text import nfc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


def _val(el, name: str = "val") -> str | None:
    if el is None:
        return None
    return el.get(f"{_W}{name}")


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _letter(n: int) -> str:
    # Word: A..Z, then AA..ZZ, AAA…
    n = max(1, n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman",):
        return to_roman(n)
    if fmt == "lowerRoman":
        return to_roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Word's list definitions and the running counters of one document."""

    def __init__(self, root) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for an in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in an.iter(f"{_W}lvl"):
                levels[_int(_val(lvl, "ilvl"))] = {
                    "start": _int(_val(lvl.find(f"{_W}start")), 1),
                    "fmt": _val(lvl.find(f"{_W}numFmt")) or "decimal",
                    "text": _val(lvl.find(f"{_W}lvlText")) or "",
                }
            self.abstract[_val(an, "abstractNumId") or ""] = levels
        for num in root.iter(f"{_W}num"):
            overrides = {}
            for ov in num.iter(f"{_W}lvlOverride"):
                start = ov.find(f"{_W}startOverride")
                if start is not None:
                    overrides[_int(_val(ov, "ilvl"))] = _int(_val(start), 1)
            self.nums[_val(num, "numId") or ""] = (
                _val(num.find(f"{_W}abstractNumId")) or "",
                overrides,
            )

    def label(self, num_id: str, ilvl: int) -> str | None:
        if num_id in ("", "0") or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels or ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
                for deeper in [k for k in counters if k > lvl]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level["fmt"] == "bullet":
            return "-"

        def repl(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, {"start": 1, "fmt": "decimal"})
            value = counters.get(k, lv["start"])
            return format_number(value, lv["fmt"])

        return re.sub(r"%(\d)", repl, level["text"]).strip()


def _style_numbering(styles_root) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    if styles_root is None:
        return out
    for style in styles_root.iter(f"{_W}style"):
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            continue
        num_id = _val(num_pr.find(f"{_W}numId"))
        if num_id:
            out[_val(style, "styleId") or ""] = (num_id, _int(_val(num_pr.find(f"{_W}ilvl"))))
    return out


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText"):
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _walk(container, numbering: Numbering, style_num: dict, out: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            text = _paragraph_text(child)
            num_pr = child.find(f"{_W}pPr/{_W}numPr")
            num_id, ilvl = None, 0
            if num_pr is not None:
                num_id = _val(num_pr.find(f"{_W}numId"))
                ilvl = _int(_val(num_pr.find(f"{_W}ilvl")))
            else:
                style = _val(child.find(f"{_W}pPr/{_W}pStyle"))
                if style in style_num:
                    num_id, ilvl = style_num[style]
            label = numbering.label(num_id, ilvl) if num_id and text.strip() else None
            out.append(f"{label} {text}" if label else text)
        elif tag == f"{_W}tbl":
            _table(child, numbering, style_num, out)
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"):
            _walk(child, numbering, style_num, out)
        elif tag == f"{_W}sdtContent":
            _walk(child, numbering, style_num, out)


# The indentation that marks a line of the right-hand column (``header._RIGHT_INDENT`` reads it).
_RIGHT_COLUMN = " " * 40


def _table(table, numbering: Numbering, style_num: dict, out: list[str]) -> None:
    """A table of three columns or more as ``| a | b | c |`` rows (a plan written as a table,
    read by ``tables``); a narrower one (the Decree 30 header and signature blocks are two-column
    tables) column after column, as paragraphs, the way the PDF reader reads the same page."""
    rows = []
    for row in table.findall(f"{_W}tr"):
        cells = []
        for cell in row.findall(f"{_W}tc"):
            lines: list[str] = []
            _walk(cell, numbering, style_num, lines)
            cells.append(lines)
        rows.append(cells)
    if any(len(cells) >= 3 for cells in rows):
        for cells in rows:
            texts = [" ".join(t.strip() for t in lines if t.strip()) for lines in cells]
            if any(texts):
                out.append("| " + " | ".join(t.replace("|", "/") for t in texts) + " |")
        out.append("")
        return
    # Column by column, the right-hand one indented as a flattened .txt has it: a row may hold
    # "Nơi nhận:" and "HIỆU TRƯỞNG", the next rows the recipients with an empty right cell.
    width = max((len(cells) for cells in rows), default=0)
    for column in range(width):
        for cells in rows:
            if column < len(cells):
                lines = [t for t in cells[column] if t.strip()]
                out.extend((_RIGHT_COLUMN + t) if column else t for t in lines)
        out.append("")


def docx_text(data: bytes, max_bytes: int) -> str:
    """Paragraphs of the headers, body (tables included) and footers, one per line."""
    archive = open_zip(data, max_bytes)
    document = read_member(archive, "word/document.xml")
    if document is None:
        raise ImportFailure(
            _("Tệp không phải tài liệu Word (.docx): thiếu phần nội dung word/document.xml.")
        )
    numbering_xml = read_member(archive, "word/numbering.xml")
    styles_xml = read_member(archive, "word/styles.xml")
    numbering = Numbering(parse_xml(numbering_xml) if numbering_xml else None)
    style_num = _style_numbering(parse_xml(styles_xml) if styles_xml else None)

    names = archive.namelist()
    headers = sorted(n for n in names if re.fullmatch(r"word/header\d*\.xml", n))
    footers = sorted(n for n in names if re.fullmatch(r"word/footer\d*\.xml", n))
    lines: list[str] = []
    for name in headers:
        part = read_member(archive, name)
        if part:
            _walk(parse_xml(part), Numbering(None), {}, lines)
    root = parse_xml(document)
    body = root.find(f"{_W}body")
    if body is None:
        raise ImportFailure(_("Tệp Word (.docx) không có phần thân văn bản."))
    _walk(body, numbering, style_num, lines)
    for name in footers:
        part = read_member(archive, name)
        if part:
            _walk(parse_xml(part), Numbering(None), {}, lines)
    return nfc("\n".join(lines))
