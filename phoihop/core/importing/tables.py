"""Plans written as tables: one row per activity, with who leads, who helps and when.

Very many school plans put their content in a table — ``TT | Nội dung | Đơn vị chủ trì | Đơn vị
phối hợp | Thời gian | Ghi chú`` — instead of numbered paragraphs. Every reader gives such a table
the same shape: one ``| cell | cell |`` line per row (.docx tables, HTML ``<table>``, ruled tables
of a PDF, Markdown tables). Here the header row says which column holds what, and every row below
becomes an item whose parties come from the lead and cooperating columns and whose cadence comes
from the time column; a row numbered I, II or A, B with nothing else is a group heading.

A table whose header is not recognised is not a plan table (a list of classes, a budget): its rows
are kept as plain lines so that nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phoihop.core.numerals import roman_value

from .cadence import parse_cadence
from .text import collapse, fold

_ROLES = [
    ("tt", re.compile(r"^(s\s*tt|tt|so tt|so thu tu|thu tu)$")),
    ("coop", re.compile(r"\b(phoi hop|ho tro|cung thuc hien)\b")),
    (
        "lead",
        re.compile(
            r"\b(chu tri|phu trach|chiu trach nhiem|(don vi|bo phan|nguoi|luc luong|to chuc|"
            r"lanh dao) (thuc hien|chu tri)|thuc hien|nguoi lam|trach nhiem)\b"
        ),
    ),  # fmt: skip
    ("time", re.compile(r"\b(thoi gian|thoi diem|tien do|thoi han|ngay thang|thang)\b")),
    ("note", re.compile(r"\b(ghi chu|ket qua|san pham|du kien|kinh phi|dia diem)\b")),
    (
        "content",
        re.compile(
            r"\b(noi dung|hoat dong|cong viec|nhiem vu|chuong trinh|giai phap|"
            r"bien phap|ten hoat dong|viec lam)\b"
        ),
    ),  # fmt: skip
]

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def is_row(line: str) -> bool:
    return bool(_ROW.match(line)) and not _SEPARATOR.match(line)


def row_cells(line: str) -> list[str]:
    m = _ROW.match(line)
    if not m:
        return []
    return [collapse(c) for c in m.group(1).split("|")]


def header_roles(cells: list[str]) -> dict[str, int] | None:
    """Column index per role, when ``cells`` is the header of a plan table."""
    roles: dict[str, int] = {}
    for n, cell in enumerate(cells):
        folded = fold(cell).strip(" .:")
        if not folded or len(folded.split()) > 8:
            continue
        for role, rx in _ROLES:
            if role not in roles and rx.search(folded):
                roles[role] = n
                break
    if "content" not in roles or not ({"lead", "time"} & roles.keys()):
        return None
    return roles


@dataclass
class TableRow:
    """A plan table's row, read by its header."""

    number: str
    content: str
    lead: str
    coop: str
    time: str


def read_row(cells: list[str], roles: dict[str, int]) -> TableRow:
    def cell(role: str) -> str:
        n = roles.get(role)
        return cells[n] if n is not None and n < len(cells) else ""

    return TableRow(cell("tt"), cell("content"), cell("lead"), cell("coop"), cell("time"))


def group_kind(row: TableRow) -> str | None:
    """'roman' / 'upper' for a group heading row ("II | Công tác tuyên truyền | | |")."""
    label = row.number.strip(" .")
    if row.lead or row.time or not row.content:
        return None
    if label and roman_value(label.upper()) and label.isupper():
        return "roman"
    if len(label) == 1 and label.isalpha() and label.isupper():
        return "upper"
    return None


def apply_tables(paras: list) -> None:
    """Read every run of table-row paragraphs (``structure.Para`` of kind "row") in place.

    Under a recognised header, a group row becomes a heading ("roman"/"upper") and every other
    row an item carrying its ``TableRow``; the header row itself is emptied. Rows of tables that
    are not plan tables become plain paragraphs with their cells as columns.
    """
    from .structure import _ordinal

    roles: dict[str, int] | None = None
    header: list[str] | None = None
    previous_row = False
    for para in paras:
        if para.kind != "row":
            previous_row = False
            roles = header = None
            continue
        cells = para.columns
        if not previous_row or roles is None:
            found = header_roles(cells)
            if found:
                roles, header = found, cells
                _empty(para)
                previous_row = True
                continue
        previous_row = True
        if roles is None or cells == header:
            # not a plan table (or the header repeated on a new page)
            if cells == header:
                _empty(para)
            else:
                para.kind = None
                para.text = para.body = "\t".join(c for c in cells if c)
                para.folded = fold(para.text)
            continue
        row = read_row(cells, roles)
        kind = group_kind(row)
        if kind:
            label = row.number.strip(" .")
            para.kind, para.label, para.body = kind, label, row.content
            para.text = f"{label}. {row.content}"
            para.ordinal = _ordinal(kind, label)
        else:
            para.kind = None
            para.text = para.body = row.content or " ".join(c for c in cells if c)
            para.row = row
        para.folded = fold(para.text)


def _empty(para) -> None:
    para.kind = None
    para.text = para.body = ""
    para.folded = ""


# -- the time column ----------------------------------------------------------------------------

_HK = re.compile(r"\bhk\s*(1|2|i{1,2})\b")
_MONTH_YEAR = r"(\d{1,2})\s*[/\-.]\s*(\d{4})"
_RANGE = re.compile(
    rf"(?:thang|tu thang|tu)?\s*{_MONTH_YEAR}\s*(?:-|–|den|toi)\s*(?:thang\s*)?{_MONTH_YEAR}"
)
_MONTHS_ONE_YEAR = re.compile(
    r"thang\s*(\d{1,2})((?:\s*(?:,|-|–|va|den)\s*(?:thang\s*)?\d{1,2})*)\s*[/\-.]\s*(\d{4})"
)
_MONTHS_NO_YEAR = re.compile(
    r"thang\s*(\d{1,2})((?:\s*(?:,|-|–|va|den)\s*(?:thang\s*)?\d{1,2})*)\b"
)
_QUARTER = re.compile(r"\bquy\s*(i{1,3}|iv|[1-4])\s*(?:[/\-.]\s*|nam\s*)(\d{4})")
_STANDING = re.compile(r"^(thuong xuyen|ca nam( hoc)?|trong (ca )?nam hoc|suot nam hoc|lien tuc)$")


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _school_year_month(month: int, years: tuple[int, int] | None) -> str | None:
    if not years or not 1 <= month <= 12:
        return None
    return _month(years[0] if month >= 8 else years[1], month)


def _once(text: str, start: str, end: str) -> dict:
    return {"text": text, "count": None, "at_least": False, "per": "once", "per_subject": None,
            "anchors": [], "window": {"start": start, "end": end}}  # fmt: skip


def time_cadence(text: str, years: tuple[int, int] | None = None) -> dict | None:
    """The cadence of a plan table's time cell: "Hàng tháng", "Tháng 9/2025", "Tháng 11/2025 -
    01/2026", "Tháng 9, 10", "Quý I/2026", "Cuối HK I", "Thường xuyên" (a standing duty: None)."""
    text = collapse(text)
    if not text:
        return None
    folded = fold(text).strip(" .;")
    if _STANDING.match(folded):
        return None
    expanded = _HK.sub(lambda m: "hoc ky " + m.group(1), folded)
    m = _RANGE.search(expanded)
    if m:
        a_month, a_year, b_month, b_year = (int(g) for g in m.groups())
        if 1 <= a_month <= 12 and 1 <= b_month <= 12:
            return _once(text, _month(a_year, a_month), _month(b_year, b_month))
    m = _MONTHS_ONE_YEAR.search(expanded)
    if m:
        months = [int(m.group(1))] + [int(x) for x in re.findall(r"\d{1,2}", m.group(2))]
        year = int(m.group(3))
        if all(1 <= x <= 12 for x in months):
            if min(months) < max(months) - 6 and months[0] > months[-1]:
                return _once(text, _month(year - 1, months[0]), _month(year, months[-1]))
            return _once(text, _month(year, min(months)), _month(year, max(months)))
    m = _QUARTER.search(expanded)
    if m:
        q = m.group(1)
        quarter = int(q) if q.isdigit() else roman_value(q.upper()) or 1
        year = int(m.group(2))
        return _once(text, _month(year, 3 * quarter - 2), _month(year, 3 * quarter))
    general = parse_cadence(expanded, years=years)
    if general is not None:
        general["text"] = text
        return general
    m = _MONTHS_NO_YEAR.search(expanded)
    if m and years:
        months = [int(m.group(1))] + [int(x) for x in re.findall(r"\d{1,2}", m.group(2))]
        bounds = [_school_year_month(x, years) for x in (months[0], months[-1])]
        if all(bounds):
            return _once(text, bounds[0], bounds[1])
    return None
