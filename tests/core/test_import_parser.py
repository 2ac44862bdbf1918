"""Text is read into the phoihop.import/1 shape, whatever the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phoihop.core.importing import FORMAT, parse_text
from phoihop.core.importing.parties import item_parties

PLAN = """UBND HUYỆN GIA LÂM
TRƯỜNG THCS DƯƠNG HÀ
Số: 15/KH-THCSDH
Dương Hà, ngày 20 tháng 9 năm 2024
KẾ HOẠCH
Phối hợp giữa nhà trường và Công đoàn năm học 2024 - 2025
Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15/9/2020 của Bộ GD&ĐT; căn cứ tình hình thực tế,
nhà trường và Công đoàn thống nhất xây dựng kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
- Tỷ lệ học sinh lên lớp đạt trên 95%.
II. NỘI DUNG
1. Giữa nhà trường với Ban đại diện CMHS:
a) Nhà trường cùng Ban đại diện CMHS họp phụ huynh 3 lần/năm.
b) GVCN thăm gia đình học sinh ít nhất 1 lần/học kỳ/01 học sinh.
2. Đối với Công an xã:
- Phối hợp đảm bảo an ninh trường học.
III. TỔ CHỨC THỰC HIỆN
Trên đây là kế hoạch phối hợp năm học 2024 - 2025.
Nơi nhận:
- Phòng GD&ĐT (b/c);
- Lưu VT.
KT. HIỆU TRƯỞNG
PHÓ HIỆU TRƯỞNG
Nguyễn Văn An
"""

WORDS = st.sampled_from(
    ["I.", "1.", "a)", "-", "Điều 2.", "Chương I", "PHẦN II", "Nhà trường", "Công đoàn", "3 lần/năm",
     "Căn cứ", "Nơi nhận:", "TM.", "KẾ HOẠCH", "\n", "\n\n", "ngày 5 tháng 9 năm 2025", "Số: 1/KH",
     "từ tháng 11/2015 đến tháng 1/2016", "đạt 100%", "**", "#", "\t", "(", ")", ";", ":"]
)  # fmt: skip


def test_plan_has_the_import_format_fields():
    plan = parse_text(PLAN)
    assert plan["format"] == FORMAT
    assert (plan["doc_type"], plan["number"], plan["date"]) == (
        "ke_hoach",
        "15/KH-THCSDH",
        "2024-09-20",
    )
    assert plan["place"] == "Dương Hà"
    assert plan["period"] == {"text": "2024 - 2025", "start_year": 2024, "end_year": 2025}
    assert plan["issuer"] == "Trường THCS Dương Hà" and plan["school_level"] == "thcs"


def test_legal_basis_clauses_are_split_and_their_documents_cited():
    basis = parse_text(PLAN)["legal_basis"]
    assert basis[0]["ref"] == {"number": "32/2020/TT-BGDĐT", "date": "2020-09-15"}
    assert (basis[1]["text"], basis[1]["ref"]) == ("căn cứ tình hình thực tế", None)


def test_section_levels_follow_the_numbering():
    sections = parse_text(PLAN)["sections"]
    assert [(s["path"], s["level"]) for s in sections] == [
        ("I", 1),
        ("II", 1),
        ("II.1", 2),
        ("II.2", 2),
        ("III", 1),
    ]


def test_items_carry_parties_lead_first_and_cadences():
    items = parse_text(PLAN)["commitments"]
    assert items[0]["section"] == "II.1.a"
    assert items[0]["parties"] == ["lanh_dao", "cmhs"]
    assert items[0]["cadence"]["count"] == 3
    assert items[1]["parties"][0] == "gvcn"
    assert items[1]["cadence"]["per_subject"] == "hoc_sinh"
    assert items[2]["parties"] == ["lanh_dao", "cong_an"]


def test_purpose_sentences_are_targets_not_items():
    plan = parse_text(PLAN)
    assert plan["targets"][0]["comparator"] == ">" and plan["targets"][0]["value"] == 95
    assert all("95%" not in c["text"] for c in plan["commitments"])


def test_closing_sentence_is_not_an_item():
    assert all(not c["text"].startswith("Trên đây") for c in parse_text(PLAN)["commitments"])


def test_recipients_and_signers_are_read():
    plan = parse_text(PLAN)
    assert [r["purpose"] for r in plan["recipients"]] == ["bao_cao", "luu"]
    assert [{k: s[k] for k in ("authority", "title", "name")} for s in plan["signers"]] == [
        {"authority": "KT.", "title": "HIỆU TRƯỞNG — PHÓ HIỆU TRƯỞNG", "name": "Nguyễn Văn An"}
    ]


def test_beneficiaries_are_not_parties():
    assert item_parties("Chăm lo đời sống cho CBGV, NV.", ["lanh_dao"]) == ["lanh_dao"]


def test_blank_number_and_date_are_null_with_a_warning():
    plan = parse_text("KẾ HOẠCH\nSố:    /KH-THCS\nI. NỘI DUNG\n1. Nhà trường họp.")
    assert plan["number"] is None and plan["date"] is None and plan["warnings"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_parser_never_crashes_on_arbitrary_text(text):
    assert parse_text(text)["format"] == FORMAT


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=80).map(" ".join))
def test_parser_never_crashes_on_document_like_text(text):
    plan = parse_text(text)
    assert all(s["level"] >= 1 for s in plan["sections"])
