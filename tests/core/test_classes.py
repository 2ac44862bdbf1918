"""Which class a class becomes next year, and who leaves."""

import pytest

from phoihop.core.classes import next_class


@pytest.mark.parametrize(
    ("name", "level", "becomes"),
    [
        ("6A", "thcs", "7A"),
        ("8A3", "thcs", "9A3"),
        ("9B", "thcs", None),
        ("Lớp 1A", "tieu_hoc", "Lớp 2A"),
        ("5C", "tieu_hoc", None),
        ("10A1", "thpt", "11A1"),
        ("12 Toán", "thpt", None),
        ("9A", "lien_cap", "10A"),
        ("Mầm 1", "mam_non", "Chồi 1"),
        ("Chồi A", "mam_non", "Lá A"),
        ("Lá 2", "mam_non", None),
    ],
)
def test_next_class(name, level, becomes):
    assert next_class(name, level).name == becomes


def test_a_name_without_its_grade_keeps_its_name_in_the_grade_above():
    moved = next_class("Sao Mai", "thcs", grade=7)
    assert (moved.name, moved.grade) == ("Sao Mai", 8)
    assert next_class("7A", "thcs", grade=6).name == "8A"  # the name's grade wins
    with pytest.raises(ValueError):
        next_class("Sao Mai", "thcs")
