"""Classes from one school year to the next: which class a class becomes, and who leaves.

Vietnamese classes are named by grade and a letter or number ("6A", "10A1", "12 Toán"): moving up a
year raises the grade by one. The school's level sets its last grade (Luật Giáo dục 2019, Điều 28:
primary school has five grades, lower secondary four ending in grade 9, upper secondary three
ending in grade 12); a class of the last grade leaves the school. Kindergarten groups are named by
age ("Mầm", "Chồi", "Lá" for 3-, 4- and 5-year-olds, Chương trình giáo dục mầm non): Mầm becomes
Chồi, Chồi becomes Lá, and Lá leaves for primary school.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAST_GRADE = {"tieu_hoc": 5, "thcs": 9, "thpt": 12, "lien_cap": 12}
KINDERGARTEN_GROUPS = ("nhà trẻ", "mầm", "chồi", "lá")

_GRADE_RE = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")


@dataclass(frozen=True)
class NextClass:
    """What a class becomes next year: ``name`` (None when its pupils leave the school)."""

    name: str | None
    grade: int | None

    @property
    def leaves(self) -> bool:
        return self.name is None


def grade_in(name: str) -> int | None:
    """The grade a class name starts with ("6A" → 6, "Lớp 10A1" → 10), or None."""
    match = _GRADE_RE.search(name)
    return int(match.group(1)) if match else None


def _kindergarten_next(name: str) -> NextClass | None:
    lowered = name.lower()
    for index, group in enumerate(KINDERGARTEN_GROUPS):
        start = lowered.find(group)
        if start < 0 or (start and lowered[start - 1].isalpha()):
            continue
        if index == len(KINDERGARTEN_GROUPS) - 1:
            return NextClass(None, None)
        following = KINDERGARTEN_GROUPS[index + 1]
        original = name[start : start + len(group)]
        replacement = following.capitalize() if original[:1].isupper() else following
        return NextClass(name[:start] + replacement + name[start + len(group) :], None)
    return None


def next_class(name: str, level: str, grade: int | None = None) -> NextClass:
    """The class ``name`` (of grade ``grade``, read from the name when not given) becomes in the
    next school year at a school of ``level``."""
    if level == "mam_non":
        moved = _kindergarten_next(name)
        if moved is not None:
            return moved
    # The name is what people read, so its grade wins over a stored one that disagrees.
    named = grade_in(name)
    current = named if named is not None else grade
    if current is None:
        raise ValueError(f"no grade in class name {name!r}")
    last = LAST_GRADE.get(level)
    if last is not None and current >= last:
        return NextClass(None, None)
    match = _GRADE_RE.search(name)
    # A name without its grade ("Sao Mai") keeps its name in the grade above.
    renamed = f"{name[: match.start()]}{current + 1}{name[match.end() :]}" if match else name
    return NextClass(renamed, current + 1)
