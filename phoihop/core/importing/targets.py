"""Numeric targets (chỉ tiêu): "huy động … ra lớp đạt 100%", "PCGD … đạt trên 90%",
"3 giáo viên lên trình độ đại học".

A target is a measurable promise: a percentage, or a count of people reaching a level. The
comparator comes from the words before the number (trên → >, ít nhất/tối thiểu/trở lên → ≥,
dưới → <, không quá/tối đa → ≤, else =).
"""

from __future__ import annotations

import re

from .text import collapse, fold

_SENTENCES = re.compile(r"(?<=[.;!?])\s+(?=\S)")
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_PEOPLE_NOUNS = (
    r"(giao vien|nhan vien|hoc sinh|dong chi|can bo|nguoi|tre|lop|sang kien|de tai|doan vien|"
    r"dang vien|truong)"
)
_PEOPLE = re.compile(rf"\b(\d{{1,4}})\s+{_PEOPLE_NOUNS}\b")
# "Không có học sinh vi phạm …", "Không để xảy ra ngộ độc …": a promise of zero, in a target list.
_ZERO = re.compile(rf"^(?:phan dau\s+)?khong (?:co|de(?: xay ra| co)?)\s+(?:{_PEOPLE_NOUNS}\b)?")
_PEOPLE_UNITS = {
    "giao vien": "giáo viên",
    "nhan vien": "nhân viên",
    "hoc sinh": "học sinh",
    "dong chi": "người",
    "can bo": "cán bộ",
    "nguoi": "người",
    "tre": "trẻ",
    "lop": "lớp",
    "sang kien": "sáng kiến",
    "de tai": "đề tài",
    "doan vien": "đoàn viên",
    "dang vien": "đảng viên",
    "truong": "trường",
}
_ACHIEVE = re.compile(
    r"trinh do|\bdat\b|dat chuan|\bchuan\b|gioi|xuat sac|tot nghiep|cong nhan|ket nap|"
    r"phan dau"
)
_COMPARATORS = [
    (re.compile(r"(khong duoi|it nhat|toi thieu|tro len)"), ">="),
    (re.compile(r"(khong qua|toi da|khong vuot)"), "<="),
    (re.compile(r"\b(tren|hon|vuot)\b"), ">"),
    (re.compile(r"\bduoi\b"), "<"),
]


def _comparator(before: str, after: str) -> str:
    if re.match(r"\s*tro len", after):
        return ">="
    window = before[-25:]
    for rx, comp in _COMPARATORS:
        if rx.search(window):
            return comp
    return "="


def _number(token: str) -> int | float:
    value = float(token.replace(",", "."))
    return int(value) if value.is_integer() else value


def find_targets(text: str, purpose: bool = False) -> list[dict]:
    """Targets stated in one paragraph; ``purpose`` when it stands in a list of aims or targets,
    where a promise of zero ("Không có học sinh vi phạm …") is a target too."""
    out: list[dict] = []
    for sentence in _SENTENCES.split(text):
        sentence = sentence.strip()
        folded = fold(sentence)
        zero = _ZERO.match(folded) if purpose else None
        if zero and not _PERCENT.search(sentence):
            noun = zero.group(1)
            out.append(
                {
                    "text": sentence,
                    "comparator": "=",
                    "value": 0,
                    "unit": _PEOPLE_UNITS[noun] if noun else "vụ",
                }
            )
            continue
        m = _PERCENT.search(sentence)
        if m:
            out.append(
                {
                    "text": sentence,
                    "comparator": _comparator(folded[: m.start()], folded[m.end() :]),
                    "value": _number(m.group(1)),
                    "unit": "%",
                }
            )
            continue
        offset = 0
        for clause in re.split(r"[,;]", sentence):
            clause_start = offset
            offset += len(clause) + 1
            cf = folded[clause_start : clause_start + len(clause)]
            pm = _PEOPLE.search(cf)
            if not pm or not _ACHIEVE.search(cf):
                continue
            after = cf[pm.end() :].strip(" .")
            piece = clause[pm.start() :] if len(after.split()) >= 2 else clause
            piece = collapse(piece).strip(" .")
            out.append(
                {
                    "text": piece,
                    "comparator": _comparator(cf[: pm.start()], cf[pm.end() :]),
                    "value": _number(pm.group(1)),
                    "unit": _PEOPLE_UNITS[pm.group(2)],
                }
            )
    return out
