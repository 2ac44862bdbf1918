"""Roman numerals as Vietnamese documents number their parts (I, II, … XIV): one writer and one
reader for the importer, its Word numbering and the lint."""

from __future__ import annotations

import re

# Read up to CCCXCIX only: "D." and "M." head lettered parts (A, B, C, D …), never part 500.
_CANONICAL = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SYMBOLS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def to_roman(n: int) -> str:
    """``n`` in upper-case Roman numerals; empty below 1."""
    out = []
    for value, symbol in _SYMBOLS:
        while n >= value:
            out.append(symbol)
            n -= value
    return "".join(out)


def roman_value(label: str) -> int | None:
    """The value of an upper-case Roman numeral below 400 written the usual way ("IV", not
    "IIII"), else None."""
    if not _CANONICAL.match(label):
        return None
    total = 0
    for i, char in enumerate(label):
        value = _VALUES[char]
        following = _VALUES[label[i + 1]] if i + 1 < len(label) else 0
        total += -value if value < following else value
    return total


def plain_number(value, places: int = 2) -> int | float | None:
    """A measured value as people write it: a whole number without decimals (90, not 90.00 or
    1E+2), otherwise rounded to ``places`` decimals (103.61, not 103.610000000000)."""
    if value is None:
        return None
    rounded = round(float(value), places)
    return int(rounded) if rounded == int(rounded) else rounded


# A heading that carries its own number or letter: "1. …", "2) …", "IV. …", "a) …", "Điều 3.".
_OWN_NUMBER_RE = re.compile(
    r"^(?:(?:phần|chương|mục|điều)\s+)?(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])\s*[.):]\s", re.I
)


def numbered_heading(label: str | None, heading: str | None) -> str:
    """A section's heading with its label in front once: ("III", "TỔ CHỨC THỰC HIỆN") →
    "III. TỔ CHỨC THỰC HIỆN", and ("III", "III. TỔ CHỨC THỰC HIỆN") the same, never
    "III. III. …" (imported headings keep their own numbering)."""
    label = (label or "").strip().rstrip(".")
    heading = (heading or "").strip()
    if not label:
        return heading
    if re.match(rf"^{re.escape(label)}\s*[.)/:\-–]?(\s|$)", heading, re.I):
        return heading
    if _OWN_NUMBER_RE.match(heading):  # "1. Với Công đoàn" under the path "II.1"
        return heading
    return f"{label}. {heading}" if heading else f"{label}."
