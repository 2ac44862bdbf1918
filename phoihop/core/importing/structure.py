"""The section tree of a coordination document, rebuilt from its numbering.

Vietnamese administrative documents number their parts with a small set of styles — Phần, Chương,
Mục, Điều, A./B., I./II., 1./2., 1.1., a)/b) — and list items with dashes or bullets. The styles have a
customary order but every school mixes them differently, renumbers by hand and makes mistakes, so
the level of a heading is decided by what is open above it (the classic "numbering style stack"),
with two repairs that real documents need:

* a marker that does not continue its own sequence but does continue an open sequence of another
  style ("B." written where "II." was meant) is placed where it continues;
* the genre's top-level parts (Mục đích, Nội dung, Tổ chức thực hiện) are always level 1.

A numbered paragraph is a *section* when something hangs under it (bullets, sub-numbers, short
heading text) and a *leaf* otherwise; leaves and bullets are the document's items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from phoihop.core.numerals import roman_value, to_roman

from .tables import is_row, row_cells
from .text import clean_line, fold, is_upper_text

HEADING_KINDS = ("phan", "chuong", "muc", "dieu", "upper", "roman", "arabic", "arabic2", "lower")
# Kinds that are always sections (never items), whatever follows them.
ALWAYS_SECTION = ("phan", "chuong", "muc", "upper", "roman")

_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "phan",
        re.compile(r"^(?:PHẦN|Phần)\s+(thứ\s+\w+|THỨ\s+\w+|[IVXLC]+|\d+)\b\s*[.:\-–]?\s*(.*)$"),
    ),
    ("chuong", re.compile(r"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b\s*[.:\-–]?\s*(.*)$")),
    ("muc", re.compile(r"^(?:MỤC|Mục)\s+([IVXLC]+|\d+)\b\s*[.:\-–]\s*(.*)$")),
    ("dieu", re.compile(r"^(?:ĐIỀU|Điều)\s+(\d+)\s*[.:\-–]?\s*(.*)$")),
    ("arabic2", re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*(?:[.)\-–:]|/(?=\s+\D))\s*(\S.*)$")),
    ("roman", re.compile(r"^([IVXLC]{1,6})\s*[.\-–:)/]\s*(\S.*)$")),
    ("upper", re.compile(r"^([A-HK-UYĐ])\s*[.\-–)]\s+(\S.*)$")),
    # "a)", "a.", and "a-" / "a –" as a PDF or a web page writes them
    ("lower", re.compile(r"^([a-hk-uyđ])\s*(?:[).]|[\-–](?=\s))\s+(\S.*)$")),
    ("bullet", re.compile(r"^([-–—•●○◦▪■□❖➢➤►✓*])\s*(\S.*)$")),
    ("bullet2", re.compile(r"^(\+)\s*(\S.*)$")),
]

# "I MỤC ĐÍCH", "2 NỘI DUNG PHỐI HỢP": a marker whose dot was lost, before a heading in capitals.
_BARE_MARKER = re.compile(r"^([IVX]{1,5}|\d{1,2})\s+(\S+\s+\S.*)$")
# A numeral alone on its line ("I", "II.", "Chương" kept apart by a page layout): it numbers the
# heading on the next line.
_LONE_NUMERAL = re.compile(r"^([IVX]{1,5}|\d{1,2})\s*[.:\-–/]?$")

_TOP_PARTS = re.compile(
    r"^(muc dich|yeu cau|noi dung|to chuc thuc hien|trach nhiem thuc hien|"
    r"dieu khoan thi hanh|hieu luc thi hanh|kinh phi)\b"
)
_PURPOSE_PARTS = re.compile(
    r"^(muc dich|yeu cau|muc tieu|dac diem|tinh hinh|thuc trang|can cu|co so phap ly|"
    r"quan diem|chi tieu|(nhung )?quy dinh chung|pham vi|doi tuong|nguyen tac)\b"
)
# Closing sentences ("Trên đây là kế hoạch …") belong to no numbered paragraph.
CLOSING = re.compile(
    r"^(tren day (la|la mot so)|trong qua trinh (to chuc |trien khai )?(thuc hien|trien khai)|"
    r"ke hoach nay (co hieu luc|duoc)|quy che nay co hieu luc|noi nhan|"
    r"(chuong trinh|ke hoach)( phoi hop| lien tich)?( nay)? co hieu luc)"
)
# "Điều 1. Phạm vi điều chỉnh. Quy chế này quy định …": the article's title and its text on one
# line; the title is short and the text after it starts a new sentence.
_INLINE_DIEU = re.compile(r"^([^.;:]{3,80}?)\.\s+(\S+(?:\s+\S+){4,})$")
# A flattened table row: cells separated by tabs or long runs of spaces.
_CELL_GAP = re.compile(r"\t+|\s{4,}|\s*(?<!\S)\|(?!\S)\s*")
# Words after which a line broken mid-sentence must continue.
_DANGLING = re.compile(
    r"\b(va|voi|cua|cac|cho|ve|de|trong|nhung|la|duoc|co|theo|tai|tu|den|nham|hoac|"
    r"nhat la|cung|giua|tren|duoi|mot|nay|uy ban)$"
)
# Words that need a name or a number after them, told apart from their look-alikes by their
# marks and case: "số" (number) not "cơ sở", "Bộ" (ministry) not "cán bộ".
_DANGLING_EXACT = re.compile(r"(?:\bsố|\bSố|\bBộ|\bSở)$")
# A line that only names a field whose value the layout put on the next line.
_LABEL_ONLY = re.compile(r"^(?:Số|SỐ|Ngày|NGÀY)\s*[:.]?$")
_ONE_WORD = re.compile(r"^[^\W\d_]+$")


# Two to five capitalised words and nothing else: a person's name under a signature
def _is_person_name(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 5
        and all(w.isalpha() and w[0].isupper() for w in words)
        and not is_upper_text(text)
    )


# "2 lần/năm", "3. …": a line that starts a count or a list item, not the rest of a sentence.
_NUMBERED_LIST = re.compile(r"^\d{1,2}\s*[.)]")


_ORDINAL_WORDS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7}


def _ordinal(kind: str, label: str) -> int:
    if kind in ("upper", "lower"):
        ch = fold(label)
        if label in "Đđ":
            return 5
        return ord(ch) - ord("a") + 1
    if kind in ("roman", "phan", "chuong", "muc") and roman_value(label):
        return roman_value(label) or 0
    if kind == "arabic2":
        return int(label.split(".")[-1])
    if label.isdigit():
        return int(label)
    word = fold(label).split()[-1]
    return _ORDINAL_WORDS.get(word, 0)


@dataclass
class Para:
    """One logical paragraph, cleaned, with its list or heading marker if it has one."""

    text: str
    body: str
    kind: str | None = None
    label: str | None = None
    ordinal: int = 0
    md_heading: bool = False
    # The cells of a flattened table row ("PHÒNG GD&ĐT …      CỘNG HÒA …") and the indentation
    # of the line (a tab counts 8): the two-column header and signature blocks of Decree 30.
    columns: list[str] = field(default_factory=list)
    indent: int = 0
    # Numbers of the text lines the paragraph was made from (for OCR confidence).
    source_lines: list[int] = field(default_factory=list)
    # A plan table's row (``tables.TableRow``) when the paragraph is one
    row: object = None
    # Filled by build_tree
    level: int = 0
    is_section: bool = False
    heading: str = ""
    path: str = ""
    parent: int | None = None
    folded: str = field(default="", repr=False)


def detect_marker(text: str) -> tuple[str | None, str | None, str]:
    """Return (kind, label, body) for a cleaned paragraph."""
    for kind, rx in _MARKERS:
        m = rx.match(text)
        if not m:
            continue
        label, body = m.group(1), m.group(2).strip()
        if kind == "roman" and roman_value(label) is None:
            continue
        if kind == "roman" and len(label) == 1 and label in "CL" and not body[:1].isupper():
            continue
        if kind in ("upper",) and body[:1].islower():
            continue
        return kind, label, body
    m = _BARE_MARKER.match(text)
    if m and is_upper_text(m.group(2)) and (m.group(1).isdigit() or roman_value(m.group(1))):
        kind = "arabic" if m.group(1).isdigit() else "roman"
        return kind, m.group(1), m.group(2).strip()
    return None, None, text


def split_paragraphs(text: str) -> list[Para]:
    """Turn raw text into paragraphs: clean each line and re-join lines broken mid-sentence."""
    paras: list[Para] = []
    for number, raw in enumerate(text.splitlines()):
        if is_row(raw.strip()):
            # a table row: never joined to its neighbours; ``tables`` reads it by its header
            cells = [clean_line(c)[0] for c in row_cells(raw.strip())]
            if any(cells):
                line = "| " + " | ".join(cells) + " |"
                paras.append(Para(text=line, body=line, kind="row", columns=cells,
                                  source_lines=[number], folded=fold(line)))  # fmt: skip
            continue
        line, md_heading = clean_line(raw)
        if not line or not any(c.isalnum() for c in line):
            continue
        if paras and paras[-1].kind is None and _LONE_NUMERAL.match(paras[-1].text):
            # "II" / "MỤC ĐÍCH": the numeral and its heading on two lines
            numeral = paras.pop().text.rstrip(".:-–/ ")
            line = f"{numeral}. {line}"
        kind, label, body = detect_marker(line)
        if paras and kind is None and _continues(paras[-1], line):
            prev = paras[-1]
            prev.text = f"{prev.text} {line}"
            prev.body = f"{prev.body} {line}" if prev.kind else prev.text
            # fold() maps character to character, so fold the new line only: re-folding the
            # whole paragraph on each line made one long paragraph quadratic (minutes).
            prev.folded = f"{prev.folded} {fold(line)}"
            prev.source_lines.append(number)
            continue
        rest = None
        if kind == "dieu":
            m = _INLINE_DIEU.match(body)
            if m and 2 <= len(m.group(1).split()) <= 10 and m.group(2)[0].isupper():
                body, rest = m.group(1), m.group(2)
                line = line[: len(line) - len(line.lstrip())] + line.split(body, 1)[0] + body
        para = Para(
            text=line, body=body, kind=kind, label=label, md_heading=md_heading,
            source_lines=[number],
        )  # fmt: skip
        para.columns, para.indent = _cells(raw)
        if kind and label:
            para.ordinal = _ordinal(kind, label)
        para.folded = fold(line)
        paras.append(para)
        if rest:
            paras.append(Para(text=rest, body=rest, source_lines=[number], folded=fold(rest)))
    return paras


def _cells(raw: str) -> tuple[list[str], int]:
    stripped = raw.lstrip()
    indent = len(raw[: len(raw) - len(stripped)].expandtabs(8))
    cells = [clean_line(c)[0] for c in _CELL_GAP.split(stripped.rstrip())]
    return [c for c in cells if c], indent


def _continues(prev: Para, line: str) -> bool:
    if prev.kind == "row":
        return False
    first = line[0]
    if first.islower():
        return True
    if prev.kind is None and _LABEL_ONLY.match(prev.text):
        return True  # "Số:" / "420/2015/QĐ-UBND"
    if prev.text.endswith((".", ";", ":", "!", "?", ")")):
        return False
    if prev.kind is None and _ONE_WORD.match(prev.text) and not _LONE_NUMERAL.match(prev.text):
        return True  # "ỦY" / "BAN NHÂN DÂN", "Bắc" / "Giang, ngày …": a word the layout cut off
    if first.isdigit() and not is_upper_text(prev.text) and not _NUMBERED_LIST.match(line):
        return True  # "… Thông tư số" / "44/2010/TT-BGDĐT ngày …"
    if is_upper_text(prev.text) and not is_upper_text(line):
        return False
    if prev.kind is None and _is_person_name(prev.text):
        return False  # "Phạm Thị Hồng Nhung": a signer's name, whatever its last word folds to
    dangling = _DANGLING.search(prev.folded) or _DANGLING_EXACT.search(prev.text)
    return bool(dangling) and not is_upper_text(line)


def _is_top_part(para: Para) -> bool:
    if para.kind not in ("upper", "roman", "phan", "chuong"):
        return False
    body = fold(para.body).strip(" .:")
    return bool(_TOP_PARTS.match(body)) and len(body.split()) <= 8


def is_purpose_heading(heading_body: str) -> bool:
    return bool(_PURPOSE_PARTS.match(fold(heading_body).strip(" .:-")))


@dataclass
class _Open:
    kind: str
    ordinal: int
    index: int


def build_tree(paras: list[Para], start: int, end: int) -> list[int]:
    """Assign levels, sections and paths to ``paras[start:end]`` (the document body).

    Returns the indexes of the paragraphs that are items (leaves), in order.
    """
    stack: list[_Open] = []
    i = start
    while i < end:
        para = paras[i]
        if para.kind in HEADING_KINDS:
            level = _place(stack, para, paras)
            del stack[level - 1 :]
            stack.append(_Open(para.kind, para.ordinal, i))
            para.level = level
            para.parent = stack[-2].index if len(stack) > 1 else None
            i = _absorb_heading_lines(paras, i, end)
        else:
            para.level = len(stack) + 1
            para.parent = stack[-1].index if stack else None
        i += 1

    items: list[int] = []
    for i in range(start, end):
        para = paras[i]
        if para.kind is None and para.level == 0:
            continue  # absorbed into a heading
        if para.kind in HEADING_KINDS:
            para.is_section = _is_section(paras, i, end)
            if para.is_section:
                para.heading = para.text
                if para.kind == "dieu" and not _has_children(paras, i, end):
                    para.heading = _dieu_label(para)
                    items.append(i)
                continue
        items.append(i)
    _assign_paths(paras, start, end)
    return items


def _place(stack: list[_Open], para: Para, paras: list[Para]) -> int:
    if _is_top_part(para) and not _nested_purpose(stack, para, paras):
        return 1
    same = [n for n, o in enumerate(stack) if o.kind == para.kind]
    for n in reversed(same):
        if para.ordinal == stack[n].ordinal + 1:
            return n + 1
    if not same:
        return len(stack) + 1
    if para.kind in ("phan", "chuong", "muc", "dieu"):
        # these never nest in themselves: a repeated "Điều 1." is a numbering slip
        return same[-1] + 1
    if para.ordinal == 1:
        top = stack[-1]
        if (
            top.kind == para.kind
            and top.ordinal == 1
            and not paras[top.index].body.rstrip().endswith(":")
        ):
            # "1. …" right after a "1. …" that opens no list: numbered twice by mistake (or by
            # a converter), a sibling — a sub-list is written in another style (a), -, 1.1)
            return len(stack)
        return len(stack) + 1
    if para.ordinal > 1:
        for n in range(len(stack) - 1, -1, -1):
            if stack[n].kind != para.kind and para.ordinal == stack[n].ordinal + 1:
                return n + 1
    return same[-1] + 1


def _nested_purpose(stack: list[_Open], para: Para, paras: list[Para]) -> bool:
    """ "I. Mục đích" under "A. MỤC ĐÍCH, YÊU CẦU": a part of the aims, not a new top part."""
    if not stack or stack[0].kind == para.kind:
        return False
    return is_purpose_heading(paras[stack[0].index].body) and is_purpose_heading(para.body)


def _absorb_heading_lines(paras: list[Para], i: int, end: int) -> int:
    """Join the lines of a heading that Word or the author broke over several paragraphs."""
    para = paras[i]
    if para.kind not in ("phan", "chuong", "muc", "upper", "roman"):
        return i
    j = i + 1
    while j < end:
        nxt = paras[j]
        if nxt.kind is not None:
            break
        empty_body = not para.body.strip(" .:-–")
        if not (empty_body or (is_upper_text(para.body) and is_upper_text(nxt.text))):
            break
        if not empty_body and len(nxt.text.split()) > 20:
            break
        para.text = f"{para.text} {nxt.text}"
        para.body = f"{para.body} {nxt.text}".strip()
        para.folded = fold(para.text)
        para.source_lines += nxt.source_lines
        nxt.level = 0
        j += 1
        if not is_upper_text(nxt.text):
            break
    return j - 1


def _children(paras: list[Para], i: int, end: int) -> list[Para]:
    level = paras[i].level
    out = []
    for j in range(i + 1, end):
        nxt = paras[j]
        if nxt.level == 0:
            continue
        if nxt.level <= level:
            break
        out.append(nxt)
    return out


def _has_children(paras: list[Para], i: int, end: int) -> bool:
    return bool(_children(paras, i, end))


def _is_section(paras: list[Para], i: int, end: int) -> bool:
    para = paras[i]
    if para.kind in ALWAYS_SECTION:
        return True
    if para.kind == "dieu":
        return True
    children = _children(paras, i, end)
    if para.kind in ("arabic", "arabic2", "lower"):
        children = [c for c in children if c.kind or not CLOSING.match(c.folded)]
    if not children:
        return False
    if any(c.kind is not None for c in children):
        return True
    body = para.body
    return (
        para.md_heading
        or body.rstrip().endswith(":")
        or len(body.split()) <= 30
        or is_upper_text(body)
    )


def _dieu_label(para: Para) -> str:
    m = re.match(r"^\s*(\S+\s+\d+\s*[.:\-–]?)", para.text)
    return m.group(1).strip() if m else para.text


_LETTERS = "ABCDEFGHIKLMNOPQRSTUVXY"


def _assign_paths(paras: list[Para], start: int, end: int) -> None:
    """Give each section a path like "B.I.3": level 1 keeps its own style, deeper levels go
    letter → roman → arabic, the customary Vietnamese order."""
    counters: dict[int | None, int] = {}
    top_style = None
    for i in range(start, end):
        para = paras[i]
        if not (para.kind in HEADING_KINDS and para.is_section):
            continue
        parent = para.parent
        while parent is not None and not paras[parent].is_section:
            parent = paras[parent].parent
        para.parent = parent
        count = counters.get(parent, 0) + 1
        number = max(count, para.ordinal)
        counters[parent] = number
        if parent is None:
            if top_style is None:
                top_style = "letter" if para.kind == "upper" else "roman"
            label = (
                _LETTERS[(number - 1) % len(_LETTERS)]
                if top_style == "letter"
                else (to_roman(number) or "0")
            )
            para.path = label
        else:
            parent_para = paras[parent]
            depth = parent_para.path.count(".") + 1
            use_roman = top_style == "letter" and depth == 1
            para.path = f"{parent_para.path}.{(to_roman(number) or '0') if use_roman else number}"


def item_section(paras: list[Para], index: int) -> str:
    """Path of the item at ``index``: its section's path, plus its own number if it has one."""
    para = paras[index]
    parent = para.parent
    while parent is not None and not paras[parent].is_section:
        parent = paras[parent].parent
    base = paras[parent].path if parent is not None else ""
    if para.kind in HEADING_KINDS and para.is_section:
        return para.path
    if para.kind in ("arabic", "lower", "arabic2") and para.label:
        label = para.label.split(".")[-1]
        return f"{base}.{label}" if base else label
    return base


def ancestors(paras: list[Para], index: int) -> list[int]:
    """Section indexes above ``index``, nearest first."""
    out = []
    parent = paras[index].parent
    while parent is not None:
        if paras[parent].is_section:
            out.append(parent)
        parent = paras[parent].parent
    return out
