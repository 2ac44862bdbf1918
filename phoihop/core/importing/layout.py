"""Positioned text of a page (PDF text runs, OCR words) → the lines a person reads.

A PDF knows where each run of text is drawn, not which paragraph it belongs to; OCR knows even
less. What this module rebuilds is what the text readers of the other formats already give the
parser:

* runs at the same height become one line, in reading order; a wide gap between two runs becomes a
  tab, the same cell separator as a flattened table (the parser's two-column header and signature
  rules read it);
* the two-column blocks of Decree 30 (issuer | quốc hiệu at the top, Nơi nhận | signature at the
  end) are read column by column, left then right, as the .docx reader reads a table's cells;
* lines that run to the right margin and are followed by a line starting at the left margin are
  one paragraph that the page width broke: they are joined back;
* page numbers and the running headers/footers repeated on most pages are removed;
* ruled tables (cells drawn with lines) become one ``| cell | cell |`` line per row, the form the
  table reader (``tables``) expects from every format.

Everything here is geometry over plain tuples; the readers (``pdf``, ``ocr``) only fill ``Run``.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .text import collapse, is_upper_text


@dataclass
class Run:
    """A piece of text drawn in one box; coordinates from the top-left corner, in points."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    # OCR confidence 0–1 (None for a text layer)
    confidence: float | None = None

    @property
    def height(self) -> float:
        return max(0.1, self.bottom - self.top)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    runs: list[Run] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(r.x0 for r in self.runs)

    @property
    def x1(self) -> float:
        return max(r.x1 for r in self.runs)

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def height(self) -> float:
        # the tallest run: a dash or a dot drawn as a 1-pt box does not make a line short
        return max(r.height for r in self.runs)

    @property
    def confidence(self) -> float | None:
        values = [r.confidence for r in self.runs if r.confidence is not None]
        return min(values) if values else None


@dataclass
class Page:
    width: float
    height: float
    runs: list[Run]
    # Ruled lines of the page: (x0, top, x1, bottom) of thin horizontal and vertical segments.
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class TextLine:
    """One line of the rebuilt text and the OCR confidence of what it was made from."""

    text: str
    confidence: float | None = None


# A run that is only a list marker ("I.", "1.", "a)", "-", "Điều 1.") is followed by a tab-like
# gap in Word's layout; that gap is a space, not a cell boundary.
_MARKER_ONLY = re.compile(
    r"^\s*(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*|[A-Za-zĐđ]|[-–—•●○◦▪■□❖➢➤►✓*+])\s*[.):/\-–]?\s*$"
)
_PAGE_NUMBER = re.compile(r"^\W*(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?\W*$", re.IGNORECASE)


def page_lines(page: Page) -> list[Line]:
    """Group a page's runs into visual lines, top to bottom, each line left to right."""
    runs = sorted((r for r in page.runs if r.text.strip()), key=lambda r: (r.top, r.x0))
    lines: list[Line] = []
    for run in runs:
        for line in reversed(lines[-6:]):
            if _same_line(line, run):
                line.runs.append(run)
                break
        else:
            lines.append(Line([run]))
    for line in lines:
        line.runs.sort(key=lambda r: r.x0)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _same_line(line: Line, run: Run) -> bool:
    overlap = min(line.bottom, run.bottom) - max(line.top, run.top)
    if overlap <= 0.5 * min(line.height, run.height):
        return False
    # two runs at the same height but overlapping horizontally are two lines of two columns
    return all(run.x0 >= r.x1 - 1 or run.x1 <= r.x0 + 1 for r in line.runs)


def line_text(line: Line, gap_cell: float) -> str:
    """The runs of a line joined by a space, or by a tab where the gap is a column gap."""
    out = ""
    prev: Run | None = None
    for run in line.runs:
        text = run.text.replace("\t", " ")
        if prev is None:
            out = text
        else:
            gap = run.x0 - prev.x1
            if gap >= gap_cell and not _MARKER_ONLY.match(out):
                out = out.rstrip() + "\t" + text.lstrip()
            elif gap > 0.15 * min(prev.height, run.height) and not out.endswith(" "):
                out = out + " " + text.lstrip()
            else:
                out = out + text
        prev = run
    return collapse_keep_tabs(out)


def collapse_keep_tabs(text: str) -> str:
    return "\t".join(collapse(part) for part in text.split("\t") if part.strip())


@dataclass
class _Block:
    kind: str  # "full" | "columns" | "table"
    lines: list[Line]
    rows: list[list[str]] = field(default_factory=list)


def _side(line: Line, mid: float, margin: float) -> str:
    """Where a line sits against the page's middle: left, right, split (both) or full.

    Two runs a tenth of the page apart are two cells, whichever side of the middle the right-hand
    one starts (a left-aligned signature cell often starts just before it)."""
    if any(b.x0 - a.x1 >= 5 * margin for a, b in zip(line.runs, line.runs[1:], strict=False)):
        return "split"
    crossing = [r for r in line.runs if r.x0 < mid - margin and r.x1 > mid + margin]
    if crossing:
        return "full"
    left = any(r.x1 <= mid + margin for r in line.runs)
    right = any(r.x0 >= mid - margin for r in line.runs)
    if left and right:
        return "split"
    return "left" if left else "right"


def _column_blocks(lines: list[Line], mid: float, margin: float) -> list[_Block]:
    """Runs of lines that sit in two columns (a right or split line with left ones around it)."""
    sides = [_side(ln, mid, margin) for ln in lines]
    # where the right-hand cells of this page start, seen on the lines with a wide gap: a line
    # with a run starting there (after a gap) is in two columns too, even if it crosses the middle
    starts = [
        b.x0
        for ln, side in zip(lines, sides, strict=True)
        if side == "split"
        for a, b in zip(ln.runs, ln.runs[1:], strict=False)
        if b.x0 - a.x1 >= 5 * margin
    ]
    for n, ln in enumerate(lines):
        if sides[n] != "full" or not starts:
            continue
        for k, run in enumerate(ln.runs):
            at_start = any(abs(run.x0 - x) <= margin for x in starts)
            if at_start and k and run.x0 - ln.runs[k - 1].x1 >= margin:
                sides[n] = "split"
            elif at_start and k == 0 and len(ln.runs) == 1:
                sides[n] = "right"
    blocks: list[_Block] = []
    i = 0
    while i < len(lines):
        if sides[i] in ("right", "split"):
            start = i
            # take the left-only lines just above that belong to the same block
            while (
                start > 0
                and sides[start - 1] == "left"
                and _close(lines[start - 1], lines[start])
                and not (blocks and blocks[-1].lines and blocks[-1].lines[-1] is lines[start - 1])
            ):
                start -= 1
            if blocks and blocks[-1].kind == "full" and start < i:
                del blocks[-1].lines[-(i - start) :]
                if not blocks[-1].lines:
                    blocks.pop()
            end = i + 1
            while (
                end < len(lines)
                and sides[end] in ("left", "right", "split")
                and _close(lines[end - 1], lines[end])
            ):
                end += 1
            blocks.append(_Block("columns", lines[start:end]))
            i = end
            continue
        if blocks and blocks[-1].kind == "full":
            blocks[-1].lines.append(lines[i])
        else:
            blocks.append(_Block("full", [lines[i]]))
        i += 1
    return blocks


def _close(a: Line, b: Line) -> bool:
    # a signature block leaves room for the signature and the seal: several lines high
    return b.top - a.bottom <= 8 * max(a.height, b.height)


def _split_columns(block: _Block, mid: float, gap: float) -> tuple[list[Line], list[Line]]:
    """The block's left and right columns. The boundary is where the right-hand cells start (a
    left-aligned signature cell may start just before the page's middle), else the middle."""
    starts = [
        b.x0
        for line in block.lines
        for a, b in zip(line.runs, line.runs[1:], strict=False)
        if b.x0 - a.x1 >= gap and b.x0 > 0.75 * mid
    ]
    split = min(starts) - 0.5 if starts else mid
    left: list[Line] = []
    right: list[Line] = []
    for line in block.lines:
        lruns = [r for r in line.runs if r.x0 < split]
        rruns = [r for r in line.runs if r.x0 >= split]
        if lruns:
            left.append(Line(lruns))
        if rruns:
            right.append(Line(rruns))
    return left, right


def _table_cells(page: Page) -> list[tuple[tuple[float, float, float, float], list]]:
    """Ruled tables of a page: their bounding box and the grid of cell rectangles, row by row."""
    horizontal = sorted(
        (r for r in page.rules if (r[3] - r[1]) <= 2.5 and (r[2] - r[0]) > 15),
        key=lambda r: r[1],
    )
    vertical = [r for r in page.rules if (r[2] - r[0]) <= 2.5 and (r[3] - r[1]) > 5]
    if len(horizontal) < 2 or len(vertical) < 3:
        return []
    # cluster horizontal rules into tables by vertical contact with vertical rules
    tables: list[list[tuple[float, float, float, float]]] = []
    for h in horizontal:
        y = (h[1] + h[3]) / 2
        if tables and y - max((t[3] + t[1]) / 2 for t in tables[-1]) < page.height * 0.5:
            last = tables[-1]
            touching = any(
                v[1] - 3 <= y <= v[3] + 3
                and v[1] - 3 <= (last[-1][1] + last[-1][3]) / 2 <= v[3] + 3
                for v in vertical
            )
            if touching:
                last.append(h)
                continue
        tables.append([h])
    out = []
    for rows in tables:
        if len(rows) < 2:
            continue
        x0 = min(r[0] for r in rows)
        x1 = max(r[2] for r in rows)
        top = (rows[0][1] + rows[0][3]) / 2
        bottom = (rows[-1][1] + rows[-1][3]) / 2
        ys = _dedupe_positions([(r[1] + r[3]) / 2 for r in rows])
        grid = []
        for y_top, y_bottom in zip(ys, ys[1:], strict=False):
            cuts = _dedupe_positions(
                [
                    (v[0] + v[2]) / 2
                    for v in vertical
                    if v[1] <= y_top + 2 and v[3] >= y_bottom - 2 and x0 - 3 <= v[0] <= x1 + 3
                ]
            )
            if len(cuts) < 2:
                continue
            grid.append([(a, y_top, b, y_bottom) for a, b in zip(cuts, cuts[1:], strict=False)])
        if grid and max(len(r) for r in grid) >= 2:
            out.append(((x0, top, x1, bottom), grid))
    return out


def _dedupe_positions(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _inside(run: Run, box: tuple[float, float, float, float]) -> bool:
    cx = (run.x0 + run.x1) / 2
    return box[0] <= cx <= box[2] and box[1] <= run.middle <= box[3]


def read_pages(pages: list[Page]) -> list[TextLine]:
    """The lines of the whole document, headers/footers and page numbers removed."""
    all_lines: list[Line] = []
    prepared = []
    for page in pages:
        tables = _table_cells(page)
        table_runs: set[int] = set()
        table_rows: list[tuple[float, TextLine]] = []
        for box, grid in tables:
            for row in grid:
                cells = []
                for cell in row:
                    inside = [r for r in page.runs if _inside(r, cell)]
                    table_runs.update(id(r) for r in inside)
                    lines = page_lines(Page(page.width, page.height, inside))
                    cells.append(" ".join(line_text(ln, 1e9) for ln in lines))
                if any(c.strip() for c in cells):
                    confs = [
                        r.confidence
                        for r in page.runs
                        if r.confidence is not None
                        and _inside(r, (box[0], row[0][1], box[2], row[0][3]))
                    ]
                    text = "| " + " | ".join(c.strip() for c in cells) + " |"
                    table_rows.append((row[0][1], TextLine(text, min(confs) if confs else None)))
        # a glyph drawn inside a table's frame but in no cell (an accent placed apart) is dropped
        rest = [
            r
            for r in page.runs
            if id(r) not in table_runs and not any(_inside(r, box) for box, _grid in tables)
        ]
        lines = page_lines(Page(page.width, page.height, rest))
        all_lines.extend(lines)
        prepared.append((page, lines, table_rows))

    heights = [ln.height for ln in all_lines] or [10.0]
    body_height = statistics.median(heights)
    left_margin = _percentile([ln.x0 for ln in all_lines], 0.05) if all_lines else 0.0
    right_margin = _percentile([ln.x1 for ln in all_lines], 0.95) if all_lines else 0.0
    repeated = _running_texts(prepared)

    out: list[TextLine] = []
    previous: tuple[Line, float, float] | None = None  # last full-width line and its margins
    for page, lines, table_rows in prepared:
        mid = (left_margin + right_margin) / 2 if all_lines else page.width / 2
        gap_cell = max(3.0 * body_height, 0.06 * page.width)
        # (y, lines of one stream, its left and right edge); a stream is read top to bottom
        streams: list[tuple[float, list[Line], float, float, bool]] = []
        kept = [ln for ln in lines if not _is_running(ln, page, repeated, gap_cell)]
        for block in _column_blocks(kept, mid, 0.02 * page.width):
            if block.kind == "columns":
                left, right = _split_columns(block, mid, gap_cell)
                y = block.lines[0].top
                if left:
                    edge = max(ln.x1 for ln in left)
                    streams.append((y, left, min(ln.x0 for ln in left), edge, False))
                if right:
                    edge = max(ln.x1 for ln in right)
                    streams.append((y + 1e-3, right, min(ln.x0 for ln in right), edge, True))
            else:
                # line by line, so that a table drawn between two lines lands between them
                streams += [(ln.top, [ln], left_margin, right_margin, False) for ln in block.lines]
        rows = [(y, [TextLine(tl.text, tl.confidence)], 0.0, 0.0, None) for y, tl in table_rows]
        for item in sorted(streams + rows, key=lambda e: e[0]):
            _y, content, left, right, indented = item
            if indented is None:  # a table row
                out.extend(content)
                previous = None
                continue
            # a column of a two-column block is its own region: nothing above flows into it
            full = not indented and left == left_margin and right == right_margin
            before = previous if full else None
            for line in content:
                text = line_text(line, gap_cell)
                if out and before is not None and _joins(out[-1].text, text, before[0], line,
                                                         left, right, body_height, full):  # fmt: skip
                    merged = out[-1]
                    # a hyphen at the end of a line is the word's own (DS-KHHGĐ): no space
                    glue = "" if merged.text.endswith("-") else " "
                    merged.text = f"{merged.text}{glue}{text}"
                    if line.confidence is not None:
                        merged.confidence = min(merged.confidence or 1.0, line.confidence)
                else:
                    # right-hand column lines are indented, as a flattened .txt has them
                    out.append(TextLine((" " * 40 + text) if indented else text, line.confidence))
                before = (line, left, right)
            previous = before if full else None
    return out


_MARKER_START = re.compile(
    r"^\s*(?:[IVXLC]{1,6}\s*[.:/)\-–]|\d{1,2}(?:\.\d{1,2})*\s*(?:[.):\-–]|/(?!\d))|[a-zđ]\s*[).]|"
    r"[-–—•●○◦▪■□❖➢➤►✓*+]\s|(?:Điều|ĐIỀU|Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+\w+)"
)


def _joins(
    prev_text: str,
    text: str,
    prev: Line,
    line: Line,
    left: float,
    right: float,
    body_height: float,
    full: bool,
) -> bool:
    """Whether ``text`` continues the paragraph ``prev_text`` (see ``_wrapped``).

    In a column of a two-column block (a recipient list, the issuer's name) only an obvious
    continuation joins: one that starts in lower case or with a bracket, or that follows an
    unfinished item of a dashed list.
    """
    if _MARKER_START.match(text) or prev_text.rstrip().endswith(("./.", ":", ";")):
        return False
    if is_upper_text(text) and prev_text.rstrip().endswith((".", "!", "?", ")")):
        return False  # a heading or a signature title after a finished paragraph
    if not full:
        if prev_text.rstrip().endswith("."):
            return False
        # an item of a dashed list (Nơi nhận) broken by the column's width
        in_list = bool(re.match(r"^\s*[-–•+*]\s", prev_text))
        return text[:1].islower() or text[:1] == "(" or in_list
    return _wrapped(prev, line, left, right, body_height)


def _wrapped(prev: Line, line: Line, left: float, right: float, body_height: float) -> bool:
    """Whether ``line`` continues ``prev``: the first word of ``line`` would not have fitted at
    the end of ``prev`` (so the break was the page width's, not the author's), ``line`` starts at
    the left edge (no first-line indent), and the two are one line spacing apart (or ``prev``
    ended a page and ``line`` starts the next)."""
    width = max(1.0, right - left)
    if abs(line.x0 - left) > 0.03 * width:
        return False
    if abs(prev.height - line.height) > 0.35 * body_height:
        return False
    gap = line.top - prev.bottom
    if gap > 1.2 * body_height:
        return False
    first = line.runs[0]
    word = first.text.strip().split(" ")[0] if first.text.strip() else ""
    word_width = (first.x1 - first.x0) * _advance(word) / max(1.0, _advance(first.text.strip()))
    space = 0.3 * line.height
    return prev.x1 + space + word_width > right - 0.02 * width


def _advance(text: str) -> float:
    """Rough width of ``text`` in average characters (capitals are wider, spaces narrower)."""
    return sum(0.5 if ch == " " else 1.35 if ch.isupper() else 1.0 for ch in text)


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(q * len(values))))]


def _normalised(text: str) -> str:
    return re.sub(r"\d+", "#", collapse(text).lower())


def _running_texts(prepared) -> set[str]:
    """Texts found at the top or bottom of at least half of the pages (running headers)."""
    if len(prepared) < 2:
        return set()
    counts: Counter[str] = Counter()
    for _page, lines, _rows in prepared:
        edge = {_normalised(line_text(ln, 1e9)) for ln in lines[:2] + lines[-2:]}
        counts.update(edge)
    return {t for t, n in counts.items() if n >= max(2, len(prepared) // 2 + 1)}


def _is_running(line: Line, page: Page, repeated: set[str], gap_cell: float) -> bool:
    text = line_text(line, gap_cell)
    in_margin = line.top < 0.08 * page.height or line.bottom > 0.92 * page.height
    if _PAGE_NUMBER.match(text) and in_margin:
        return True
    return in_margin and _normalised(line_text(line, 1e9)) in repeated
