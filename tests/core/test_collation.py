"""Names sorted as Vietnamese readers expect."""

from phoihop.core.collation import natural_key


def test_numbers_in_names_sort_by_value():
    names = ["Trường THCS số 17", "Trường THCS số 2", "Trường THCS số 10", "Trường THCS số 1"]
    assert sorted(names, key=natural_key) == [
        "Trường THCS số 1",
        "Trường THCS số 2",
        "Trường THCS số 10",
        "Trường THCS số 17",
    ]


def test_letters_follow_the_vietnamese_alphabet():
    names = ["Đức", "Dũng", "Ân", "An", "Ăn", "Bình", "Ơn", "Ông", "Oanh", "Ưng", "Uyên"]
    assert sorted(names, key=natural_key) == [
        "An", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Oanh", "Ông", "Ơn", "Uyên", "Ưng"
    ]  # fmt: skip


def test_tones_only_break_ties():
    assert sorted(["má", "ma", "mà", "mả", "mạ", "mã"], key=natural_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ"
    ]  # fmt: skip
    assert sorted(["mạnh", "manh", "mai"], key=natural_key) == ["mai", "manh", "mạnh"]


def test_classes_sort_by_grade():
    assert sorted(["10A1", "6A", "9B", "6B", "7A"], key=natural_key) == [
        "6A", "6B", "7A", "9B", "10A1"
    ]  # fmt: skip
