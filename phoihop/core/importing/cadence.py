"""How often an item recurs, read from the phrase that says so.

The scheduler needs numbers, the documents give phrases: "ít nhất một lần/tháng/01 học sinh",
"3 lần/năm", "mỗi năm 01 lần", "hai kỳ/năm học", "hàng tháng, học kỳ" (the first period named is the
one to schedule), "đầu năm học, cuối học kì 1, cuối năm học" (named points of the school year) and
"từ tháng 11/2015 đến tháng 1/2016" (a dated window). Words like "thường xuyên" or "định kỳ" with
no period are not cadences: they make a standing duty, tracked by self-assessment, not by dates.
"""

from __future__ import annotations

import re

from .text import fold

_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
    "muoi": 10,
}  # fmt: skip
_NUM = r"(\d{1,2}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"
_OCC = r"(?:lan|dot|ky|ki|buoi|cuoc)"
_PERIOD = r"(nam hoc|hoc ky|hoc ki|ngay|tuan|thang|quy|ky|ki|nam)"
_SUBJECT = r"(hoc sinh|hs|tre|lop|giao vien|gv|can bo|don vi|truong|co so)"
_AT_LEAST = r"(it nhat|toi thieu|khong it hon)"

_PERIODS = {
    "ngay": "day",
    "tuan": "week",
    "thang": "month",
    "quy": "quarter",
    "hoc ky": "semester",
    "hoc ki": "semester",
    "ky": "semester",
    "ki": "semester",
    "nam hoc": "school_year",
    "nam": "year",
}
_SUBJECTS = {
    "hoc sinh": "hoc_sinh",
    "hs": "hoc_sinh",
    "tre": "hoc_sinh",
    "lop": "lop",
    "giao vien": "can_bo",
    "gv": "can_bo",
    "can bo": "can_bo",
    "don vi": "don_vi",
    "truong": "don_vi",
    "co so": "don_vi",
}

# "ít nhất một lần/tháng/01 học sinh", "3 lần/năm", "2 lần trong năm học", "hai kỳ/năm học"
_COUNT_PER = re.compile(
    rf"(?:{_AT_LEAST}\s+)?\b{_NUM}\s*{_OCC}\s*(?:/\s*(?:0?1\s+)?|trong\s+(?:moi\s+|mot\s+|1\s+)?|moi\s+|"
    rf"mot\s+|1\s+|tren\s+)\s*{_PERIOD}\b(?:\s*/\s*(?:0?1\s+|moi\s+)?{_SUBJECT}\b)?"
)
# "mỗi năm 01 lần", "mỗi học kỳ ít nhất 1 lần"
_PER_COUNT = re.compile(
    rf"\b(?:moi|hang|hang|tung)\s+{_PERIOD}\s*,?\s*(?:{_AT_LEAST}\s+)?{_NUM}\s*{_OCC}\b"
)
# "hàng tháng", "mỗi năm học", "từng quý"
_PER_ONLY = re.compile(rf"\b(?:moi|hang|tung)\s+{_PERIOD}\b(?!\s*\d)")
_SUBJECT_AFTER = re.compile(rf"^\s*(?:/|cho\s+)?\s*(?:moi|tung|0?1)\s+{_SUBJECT}\b")

_ANCHORS = [
    (
        "dau_nam_hoc",
        re.compile(
            r"\bdau nam( hoc)?\b(?!\s*(hoc\s*)?\d)|\bkhai giang\b|\bdau (moi|cac|hai) hoc k[yi]\b"
        ),
    ),
    ("giua_hk1", re.compile(r"\bgiua (hoc )?k[yi] (1|i)\b")),
    (
        "cuoi_hk1",
        re.compile(
            r"\b(cuoi|het) (hoc )?k[yi] (1|i)\b|\bso ket (hoc )?k[yi] (1|i)\b|"
            r"\b(cuoi|het) (moi|cac|hai) hoc k[yi]\b"
        ),
    ),
    ("dau_hk2", re.compile(r"\bdau (hoc )?k[yi] (2|ii)\b|\bdau (moi|cac|hai) hoc k[yi]\b")),
    ("giua_hk2", re.compile(r"\bgiua (hoc )?k[yi] (2|ii)\b")),
    (
        "cuoi_nam_hoc",
        re.compile(
            r"\bcuoi nam( hoc)?\b(?!\s*(hoc\s*)?\d)|\b(cuoi|het) (hoc )?k[yi] (2|ii)\b|"
            r"\btong ket (cuoi )?nam hoc\b(?!\s*\d)|"
            r"\b(cuoi|het) (moi|cac|hai) hoc k[yi]\b"
        ),
    ),
]
_ANCHOR_ORDER = [name for name, _ in _ANCHORS]

_MONTH = r"thang\s*(\d{1,2})\s*[/\-.]\s*(\d{4})"
_WINDOW = re.compile(
    rf"\btu\s+{_MONTH}\s*(?:den|toi|-|–)\s*(?:thang\s*)?(\d{{1,2}})\s*[/\-.]\s*(\d{{4}})"
)
_ANY_MONTH = re.compile(rf"\b{_MONTH}")
# "trong tháng 9 và tháng 10" (no year: the plan's school year gives it)
_MONTHS_NO_YEAR = re.compile(
    r"\btrong (?:cac )?thang\s*(\d{1,2})\s*(?:va|den|toi|-|–|,)\s*(?:thang\s*)?(\d{1,2})\b(?!\s*[/\-.]\s*\d)"
)
# "vào tháng 9 hằng năm", "trong tuần đầu tháng 12 hằng năm": a named month of every year
_PART_OF_MONTH = r"(?:(?:tuan|nua|muoi ngay|dot) (?:dau|cuoi|giua|thu \w+) (?:cua )?)"
_MONTH_EVERY_YEAR = re.compile(
    rf"\b(?:vao |trong )?{_PART_OF_MONTH}?thang\s*(\d{{1,2}})\s*,?\s*(?:hang|moi|hang) nam\b(?! hoc)"
)
# "trong tuần đầu tháng 12": one named month (or part of it), dated by the plan's years
_ONE_MONTH_NO_YEAR = re.compile(
    rf"\btrong {_PART_OF_MONTH}?thang\s*(\d{{1,2}})\b(?!\s*[/\-.]\s*\d)(?!\s*(?:va|den|toi|-|–|,))"
)
# "định kỳ 6 tháng một lần": every N months
_EVERY_N_MONTHS = re.compile(r"\b(\d{1,2}|ba|sau|hai)\s*thang\s*(?:mot|1|01|/)\s*lan\b")
_EVERY_N = {1: (1, "month"), 2: (6, "year"), 3: (1, "quarter"), 4: (3, "year"), 6: (2, "year"),
            12: (1, "year")}  # fmt: skip
# "2 tuần/lần", "định kỳ 2 tuần một lần": every N weeks
_EVERY_N_WEEKS = re.compile(r"\b(\d{1,2}|hai|ba|bon)\s*tuan\s*(?:mot|1|01|/)\s*lan\b")
_EVERY_N_W = {1: (1, "week"), 2: (2, "month"), 4: (1, "month")}
# "vào tháng 5/2026": one dated month
_ONE_DATED_MONTH = re.compile(rf"\b(?:vao|trong) {_PART_OF_MONTH}?{_MONTH}")
# "các ngày thứ Hai và thứ Sáu": named weekdays
_WEEKDAY = r"thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])\b"
_WEEKDAYS = re.compile(
    rf"\b(?:ngay|(?:cac )?buoi (?:sang|chieu)|sang|chieu) {_WEEKDAY}"
    rf"(?:\s*(?:,|va|,\s*va)\s*(?:ngay\s+)?{_WEEKDAY})*"
)
# "ngày 20/11 và ngày 8/3 hằng năm": several named days of each year
_DAY_OF_YEAR = re.compile(r"\bngay\s*\d{1,2}\s*/\s*\d{1,2}\b(?!\s*/)")
# "mỗi lớp", "từng học sinh" before the count: the activity is repeated for each of them
_SUBJECT_BEFORE = re.compile(rf"\b(?:moi|tung)\s+{_SUBJECT}\b")


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def _empty(text: str) -> dict:
    return {
        "text": text,
        "count": None,
        "at_least": False,
        "per": None,
        "per_subject": None,
        "anchors": [],
        "window": None,
    }


def parse_cadence(text: str, years: tuple[int, int] | None = None) -> dict | None:
    """The cadence stated in ``text`` as a ``phoihop.import/1`` cadence dict, or None.

    ``years`` (the plan's school year, e.g. (2024, 2025)) dates month names given without a year.
    """
    folded = fold(text)

    anchors: list[tuple[int, int, str]] = []
    for name, rx in _ANCHORS:
        for m in rx.finditer(folded):
            anchors.append((m.start(), m.end(), name))
    anchors.sort()
    anchor_names = sorted({a[2] for a in anchors}, key=_ANCHOR_ORDER.index)

    m = _COUNT_PER.search(folded)
    if m:
        cad = _empty(text[m.start() : m.end()].strip())
        cad["at_least"] = bool(m.group(1))
        cad["count"] = _number(m.group(2))
        cad["per"] = _PERIODS[m.group(3)]
        if m.group(4):
            cad["per_subject"] = _SUBJECTS[m.group(4)]
        else:
            cad["per_subject"] = _subject_after(folded, m.end()) or _subject_before(
                folded, m.start()
            )
        cad["anchors"] = anchor_names
        return cad

    m = _PER_COUNT.search(folded)
    if m:
        cad = _empty(text[m.start() : m.end()].strip())
        cad["per"] = _PERIODS[m.group(1)]
        cad["at_least"] = bool(m.group(2))
        cad["count"] = _number(m.group(3))
        cad["per_subject"] = _subject_after(folded, m.end()) or _subject_before(folded, m.start())
        cad["anchors"] = anchor_names
        return cad

    m = _EVERY_N_MONTHS.search(folded)
    if m and _number(m.group(1)) in _EVERY_N:
        start = m.start()
        prefix = re.search(r"(theo )?dinh ky\s*$", folded[max(0, start - 12) : start])
        if prefix:
            start = max(0, start - 12) + prefix.start()
        cad = _empty(text[start : m.end()].strip())
        cad["count"], cad["per"] = _EVERY_N[_number(m.group(1))]
        return cad

    m = _EVERY_N_WEEKS.search(folded)
    if m and _number(m.group(1)) in _EVERY_N_W:
        start = m.start()
        prefix = re.search(r"(theo )?dinh ky\s*$", folded[max(0, start - 12) : start])
        if prefix:
            start = max(0, start - 12) + prefix.start()
        cad = _empty(text[start : m.end()].strip())
        cad["count"], cad["per"] = _EVERY_N_W[_number(m.group(1))]
        return cad

    m = _WEEKDAYS.search(folded)
    if m:
        start = m.start()
        if folded[max(0, start - 4) : start] == "cac ":
            start -= 4
        cad = _empty(text[start : m.end()].strip())
        cad["count"] = len(re.findall(_WEEKDAY, folded[m.start() : m.end()]))
        cad["per"] = "week"
        return cad

    m = _MONTH_EVERY_YEAR.search(folded)
    if m and 1 <= int(m.group(1)) <= 12:
        cad = _empty(text[m.start() : m.end()].strip())
        cad["count"], cad["per"] = 1, "year"
        return cad

    if anchors:
        start = anchors[0][0]
        prefix = re.search(r"(theo )?dinh ky\s*:?\s*$", folded[max(0, start - 20) : start])
        if prefix:
            start = max(0, start - 20) + prefix.start()
        cad = _empty(text[start : anchors[-1][1]].strip())
        cad["count"] = len(anchor_names)
        cad["per"] = "school_year"
        cad["anchors"] = anchor_names
        return cad

    m = _WINDOW.search(folded)
    if m:
        start = (int(m.group(2)), int(m.group(1)))
        end = (int(m.group(4)), int(m.group(3)))
        last = m.end()
        for later in _ANY_MONTH.finditer(folded, m.end()):
            when = (int(later.group(2)), int(later.group(1)))
            if 1 <= when[1] <= 12 and when > end and later.start() - last < 120:
                end = when
                last = later.end()
        if not (1 <= start[1] <= 12 and 1 <= end[1] <= 12):
            return None
        cad = _empty(text[m.start() : last].strip())
        cad["per"] = "once"
        cad["window"] = {
            "start": f"{start[0]:04d}-{start[1]:02d}",
            "end": f"{end[0]:04d}-{end[1]:02d}",
        }
        return cad

    m = _ONE_DATED_MONTH.search(folded)
    if m and 1 <= int(m.group(1)) <= 12 and not _ANY_MONTH.search(folded, m.end()):
        month, year = int(m.group(1)), int(m.group(2))
        cad = _empty(text[m.start() : m.end()].strip())
        cad["per"] = "once"
        cad["window"] = {"start": f"{year:04d}-{month:02d}", "end": f"{year:04d}-{month:02d}"}
        return cad

    m = _MONTHS_NO_YEAR.search(folded)
    if m and years:
        first, last = int(m.group(1)), int(m.group(2))
        if 1 <= first <= 12 and 1 <= last <= 12:
            start_ym = (years[0] if first >= 8 else years[1], first)
            end_ym = (years[0] if last >= 8 else years[1], last)
            if end_ym >= start_ym:
                cad = _empty(text[m.start() : m.end()].strip())
                cad["per"] = "once"
                cad["window"] = {
                    "start": f"{start_ym[0]:04d}-{start_ym[1]:02d}",
                    "end": f"{end_ym[0]:04d}-{end_ym[1]:02d}",
                }
                return cad

    m = _ONE_MONTH_NO_YEAR.search(folded)
    if m and years and 1 <= int(m.group(1)) <= 12 and not _PER_ONLY.search(folded):
        month = int(m.group(1))
        cad = _empty(text[m.start() : m.end()].strip())
        if years[1] - years[0] > 1:
            # a plan over several years: the month comes back every year
            cad["count"], cad["per"] = 1, "year"
        else:
            year = years[0] if month >= 8 else years[1]
            cad["per"] = "once"
            cad["window"] = {"start": f"{year:04d}-{month:02d}", "end": f"{year:04d}-{month:02d}"}
        return cad

    m = _PER_ONLY.search(folded)
    if m:
        end = m.end()
        tail = re.match(rf"(\s*,\s*(?:hang |moi |tung )?{_PERIOD}\b)+", folded[end:])
        if tail:
            end += tail.end()
        start = m.start()
        cad = _empty(text[start:end].strip())
        cad["count"] = 1
        cad["per"] = _PERIODS[m.group(1)]
        if cad["per"] in ("year", "school_year"):
            # "ngày 20/11 và ngày 8/3 hằng năm": one occurrence per named day
            head = folded[max(0, start - 60) : start]
            clause = re.split(r"[.;]", head)[-1]
            days = _DAY_OF_YEAR.findall(clause)
            if len(days) >= 2 and re.search(r"\d\s*$", clause.strip()):
                cad["count"] = len(days)
        cad["per_subject"] = _subject_after(folded, m.end())
        return cad
    return None


def _subject_before(folded: str, pos: int) -> str | None:
    """A "mỗi học sinh" / "từng lớp" earlier in the same sentence as the count, as the object of
    the action ("thăm gia đình mỗi học sinh … 01 lần/học kỳ"). A clause that opens with it ("mỗi
    lớp 2 lần trong học kỳ") is left as written: the tests of this module pin that reading."""
    head = re.split(r"[.;]", folded[max(0, pos - 120) : pos])[-1]
    found = [m for m in _SUBJECT_BEFORE.finditer(head) if head[: m.start()].strip()]
    return _SUBJECTS[found[-1].group(1)] if found else None


def _subject_after(folded: str, pos: int) -> str | None:
    m = _SUBJECT_AFTER.match(folded[pos : pos + 30])
    return _SUBJECTS[m.group(1)] if m else None
