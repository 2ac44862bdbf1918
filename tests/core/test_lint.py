"""Kiểm tra văn bản: each rule, the mistakes of the seed documents, and a clean plan with none."""

from __future__ import annotations

import copy
import json

import pytest

from phoihop.core.lint import Finding, blocking, format_findings, lint
from tests.seeds import SEEDS_DIR

SEEDS = SEEDS_DIR

CLEAN_PLAN: dict = {
    "format": "phoihop.import/1",
    "doc_type": "ke_hoach",
    "title": "KẾ HOẠCH Phối hợp giữa nhà trường và Công đoàn năm học 2022-2023",
    "issuer": "Trường THCS Hợp Hòa",
    "co_issuer": None,
    "school_level": "thcs",
    "number": "05/KH-THCSHH",
    "date": "2022-09-08",
    "place": "Hợp Hòa",
    "period": {"text": "2022-2023", "start_year": 2022, "end_year": 2023},
    "legal_basis": [
        {
            "text": "Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15/9/2020 của Bộ trưởng Bộ GD&ĐT ban hành Điều lệ trường THCS, THPT và trường phổ thông có nhiều cấp học",
            "ref": {"number": "32/2020/TT-BGDĐT", "date": "2020-09-15"},
        },
        {
            "text": "Căn cứ Kế hoạch số 12/KH-PGDĐT ngày 05/9/2022 của Phòng GD&ĐT về nhiệm vụ năm học 2022-2023",
            "ref": {"number": "12/KH-PGDĐT", "date": "2022-09-05"},
        },
    ],
    "partners": ["lanh_dao", "cong_doan", "gvcn", "cmhs"],
    "sections": [
        {"path": "I", "heading": "I. MỤC ĐÍCH, YÊU CẦU", "level": 1},
        {"path": "II", "heading": "II. NỘI DUNG PHỐI HỢP", "level": 1},
        {"path": "II.1", "heading": "1. Với Công đoàn", "level": 2},
        {"path": "II.2", "heading": "2. Với cha mẹ học sinh", "level": 2},
        {"path": "III", "heading": "III. TỔ CHỨC THỰC HIỆN", "level": 1},
    ],
    "commitments": [
        {
            "section": "II.1",
            "text": "Nhà trường phối hợp với Công đoàn tổ chức Hội nghị viên chức đầu năm học, đánh giá kết quả thực hiện Nghị quyết hội nghị năm học 2021-2022.",
            "parties": ["lanh_dao", "cong_doan"],
            "cadence": {
                "text": "đầu năm học",
                "count": 1,
                "at_least": False,
                "per": "school_year",
                "per_subject": None,
                "anchors": ["dau_nam_hoc"],
                "window": None,
            },
            "target": None,
        },
        {
            "section": "II.1",
            "text": "Công đoàn phát động thi đua chào mừng xuân Quý Mão.",
            "parties": ["cong_doan"],
            "cadence": None,
            "target": None,
        },
        {
            "section": "II.2",
            "text": "GVCN thăm gia đình học sinh ít nhất một lần/học kỳ/01 học sinh.",
            "parties": ["gvcn", "cmhs"],
            "cadence": {
                "text": "ít nhất một lần/học kỳ/01 học sinh",
                "count": 1,
                "at_least": True,
                "per": "semester",
                "per_subject": "hoc_sinh",
                "anchors": [],
                "window": None,
            },
            "target": None,
        },
        {
            "section": "III",
            "text": "Nhà trường và Công đoàn thường xuyên trao đổi thông tin.",
            "parties": ["lanh_dao", "cong_doan"],
            "cadence": None,
            "target": None,
        },
    ],
    "targets": [
        {
            "text": "Huy động 100% trẻ trong độ tuổi ra lớp.",
            "comparator": "=",
            "value": 100,
            "unit": "%",
        }
    ],
    "recipients": [
        {"text": "Phòng GD&ĐT (để b/c);", "name": "Phòng GD&ĐT", "purpose": "bao_cao"},
        {"text": "BCH Công đoàn (để t/h);", "name": "BCH Công đoàn", "purpose": "thuc_hien"},
        {"text": "Lưu: VT.", "name": "Lưu: VT", "purpose": "luu"},
    ],
    "signers": [{"authority": None, "title": "HIỆU TRƯỞNG", "name": "Nguyễn Văn An"}],
    "warnings": [],
}
CLEAN_RAW = """TRƯỜNG THCS HỢP HÒA
Số: 05/KH-THCSHH
Hợp Hòa, ngày 08 tháng 9 năm 2022
KẾ HOẠCH
Phối hợp giữa nhà trường và Công đoàn năm học 2022-2023
Căn cứ Kế hoạch số 12/KH-PGDĐT ngày 05/9/2022 của Phòng GD&ĐT về nhiệm vụ năm học 2022-2023;
Trên đây là kế hoạch phối hợp năm học 2022-2023, chào mừng xuân Quý Mão 2023.
"""


def _plan(**changes) -> dict:
    plan = copy.deepcopy(CLEAN_PLAN)
    plan.update(changes)
    return plan


def _rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def _lint(plan: dict, **kwargs) -> list[Finding]:
    return lint(plan, spell_checker=None, **kwargs)


def _seed(prefix: str) -> tuple[dict, str]:
    gold = next(SEEDS.glob(f"{prefix}_*.gold.json"))
    raw = gold.with_name(gold.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
    return json.loads(gold.read_text(encoding="utf-8")), raw


# --- a clean plan ---------------------------------------------------------------------------------


def test_clean_plan_has_no_finding():
    assert _lint(CLEAN_PLAN, raw_text=CLEAN_RAW) == []


def test_findings_are_frozen_with_place_and_suggestion():
    finding = _lint(_plan(signers=[]))[0]
    assert finding.place and finding.text and finding.suggestion
    with pytest.raises(AttributeError):
        finding.rule = "x"  # type: ignore[misc]


# --- seeds: the real mistakes are found -----------------------------------------------------------


def test_seed_004_stale_school_year_is_found():
    plan, raw = _seed("004")
    stale = [f for f in _lint(plan, raw_text=raw) if f.rule == "school_year"]
    assert [f.place for f in stale] == ["Mục II.2, nội dung 3"]
    assert "2020-2021" in stale[0].text
    assert "2022-2023" in stale[0].suggestion


def test_seed_004_last_years_resolution_is_not_flagged():
    plan, raw = _seed("004")
    assert not any("2021-2022" in f.text for f in _lint(plan, raw_text=raw))


def test_seed_004_wrong_lunar_year_is_found():
    plan, raw = _seed("004")
    lunar = [f for f in _lint(plan, raw_text=raw) if f.rule == "lunar_year"]
    assert len(lunar) == 1
    assert "Nhâm Dần" in lunar[0].text
    assert "Quý Mão" in lunar[0].suggestion


def test_seed_004_basis_dated_last_year_is_found():
    plan, raw = _seed("004")
    dated = [f for f in _lint(plan, raw_text=raw) if f.rule == "legal_basis_date"]
    assert [f.place for f in dated] == ["Căn cứ 2"]


def test_seed_004_missing_signer_is_found():
    plan, raw = _seed("004")
    assert "missing_signer" in _rules(_lint(plan, raw_text=raw))


def test_seed_003_number_line_with_space_is_found():
    plan, raw = _seed("003")
    number = [f for f in _lint(plan, raw_text=raw) if f.rule == "number_format"]
    assert len(number) == 1
    assert "Số: 06/KH-LT-SGD&ĐT-CĐN" in number[0].suggestion


def test_seed_001_section_numbering_is_found():
    plan, raw = _seed("001")
    numbering = [f for f in _lint(plan, raw_text=raw) if f.rule == "section_numbering"]
    assert {f.place for f in numbering} == {"Mục B.II", "Mục C"}


def test_seed_002_missing_recipients_is_found():
    plan, raw = _seed("002")
    assert "missing_recipients" in _rules(_lint(plan, raw_text=raw))


def test_seed_000_missing_signer_and_archive_line_are_found():
    plan, raw = _seed("000")
    rules = _rules(_lint(plan, raw_text=raw))
    assert "missing_signer" in rules
    assert "recipients_without_archive" in rules


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_seeds_in_their_own_year_have_no_school_year_or_lunar_finding(prefix):
    plan, raw = _seed(prefix)
    rules = _rules(_lint(plan, raw_text=raw))
    assert "school_year" not in rules and "lunar_year" not in rules


# --- each rule ------------------------------------------------------------------------------------


def test_school_year_of_another_year_in_an_item():
    plan = _plan()
    plan["commitments"][1]["text"] = "Tham gia hội thi thể thao năm học 2020-2021."
    findings = [f for f in _lint(plan) if f.rule == "school_year"]
    assert [f.place for f in findings] == ["Mục II.1, nội dung 2"]


def test_school_year_argument_overrides_the_period():
    assert "school_year" in _rules(_lint(CLEAN_PLAN, school_year="2023-2024"))


def test_school_year_in_legal_basis_is_not_flagged():
    plan = _plan()
    plan["legal_basis"][1]["text"] = "Căn cứ kết quả năm học 2019-2020 của Phòng GD&ĐT"
    assert "school_year" not in _rules(_lint(plan))


def test_previous_school_year_without_review_context_is_flagged():
    plan = _plan()
    plan["commitments"][1]["text"] = "Tổ chức ngày hội thể thao năm học 2021-2022."
    assert "school_year" in _rules(_lint(plan))


def test_school_years_inside_a_period_are_accepted():
    plan = _plan(
        title="KẾ HOẠCH Phối hợp giai đoạn 2015-2020",
        period={"text": "2015-2020", "start_year": 2015, "end_year": 2020},
        date="2015-09-08",
    )
    plan["commitments"] = plan["commitments"][1:2]
    plan["commitments"][0]["text"] = "Tổng kết năm học 2017-2018 và chào mừng xuân Mậu Tuất."
    rules = _rules(_lint(plan))
    assert "school_year" not in rules and "lunar_year" not in rules


def test_school_year_only_in_raw_text_is_flagged_with_its_line():
    raw = CLEAN_RAW + "Tiếp tục các hoạt động của năm học 2019-2020.\n"
    findings = [f for f in _lint(CLEAN_PLAN, raw_text=raw) if f.rule == "school_year"]
    assert [f.place for f in findings] == ["Dòng 8"]


def test_raw_text_finding_already_in_the_plan_is_reported_once():
    plan = _plan()
    plan["commitments"][1]["text"] = "Công đoàn phát động thi đua chào mừng xuân Nhâm Dần."
    raw = CLEAN_RAW + "- Công đoàn phát động thi đua chào mừng xuân  Nhâm Dần.\n"
    assert _rules(_lint(plan, raw_text=raw)).count("lunar_year") == 1


def test_historical_lunar_year_with_its_year_is_accepted():
    plan = _plan()
    plan["commitments"][1]["text"] = "Kỷ niệm cuộc Tổng tiến công Tết Mậu Thân 1968."
    assert "lunar_year" not in _rules(_lint(plan))


def test_quarter_is_not_a_lunar_year():
    plan = _plan()
    plan["commitments"][1]["text"] = "Báo cáo kết quả quý Tỵ… không, quý I cho Phòng."
    assert "lunar_year" not in _rules(_lint(plan))


def test_lunar_variant_spelling_is_understood():
    plan = _plan()
    plan["commitments"][1]["text"] = "Chào mừng xuân Quí Mẹo."
    assert "lunar_year" not in _rules(_lint(plan))


def test_item_without_party():
    plan = _plan()
    plan["commitments"][0]["parties"] = []
    findings = [f for f in _lint(plan) if f.rule == "item_without_party"]
    assert [f.place for f in findings] == ["Mục II.1, nội dung 1"]


@pytest.mark.parametrize(
    "text",
    [
        "Họp định kỳ với Ban đại diện CMHS.",
        "Báo cáo hàng tháng cho Phòng.",
        "Tổ chức giao ban mỗi quý.",
        "Khám sức khỏe 2 lần/năm học cho học sinh.",
        "Sơ kết cuối học kỳ I.",
    ],
)
def test_recurring_item_without_cadence(text):
    plan = _plan()
    plan["commitments"][1]["text"] = text
    assert "item_without_cadence" in _rules(_lint(plan))


@pytest.mark.parametrize(
    "text",
    ["Nhà trường thường xuyên trao đổi với Công đoàn.", "Thực hiện nhiệm vụ năm học 2022-2023."],
)
def test_standing_duty_needs_no_cadence(text):
    plan = _plan()
    plan["commitments"][1]["text"] = text
    assert "item_without_cadence" not in _rules(_lint(plan))


def test_target_without_value():
    plan = _plan(
        targets=[
            {
                "text": "Nâng cao chất lượng giáo dục.",
                "comparator": None,
                "value": None,
                "unit": None,
            }
        ]
    )
    findings = [f for f in _lint(plan) if f.rule == "target_not_measurable"]
    assert [f.place for f in findings] == ["Chỉ tiêu 1"]


def test_missing_legal_basis():
    assert "missing_legal_basis" in _rules(_lint(_plan(legal_basis=[])))


def test_legal_basis_without_a_cited_document_is_noted():
    plan = _plan(legal_basis=[{"text": "Căn cứ tình hình thực tế", "ref": None}])
    finding = next(f for f in _lint(plan) if f.rule == "legal_basis_without_document")
    assert finding.severity == "info"


def test_superseded_legal_basis():
    plan = _plan()
    plan["legal_basis"][0] = {
        "text": "Căn cứ Thông tư số 12/2011/TT-BGDĐT ngày 28/3/2011",
        "ref": {"number": "12/2011/TT-BGDĐT", "date": "2011-03-28"},
    }
    finding = next(f for f in _lint(plan) if f.rule == "superseded_basis")
    assert "32/2020/TT-BGDĐT" in finding.suggestion


def test_expired_period_in_legal_basis():
    plan = _plan()
    plan["legal_basis"][0]["text"] = "Căn cứ Quy chế phối hợp giai đoạn 2016-2021"
    finding = next(f for f in _lint(plan) if f.rule == "legal_basis_expired")
    assert finding.severity == "warning"


def test_missing_recipients():
    assert "missing_recipients" in _rules(_lint(_plan(recipients=[])))


def test_archive_line_not_in_form():
    plan = _plan()
    plan["recipients"][-1] = {"text": "Lưu VT", "name": "Lưu VT", "purpose": "luu"}
    assert "recipients_format" in _rules(_lint(plan))


def test_missing_signer():
    assert "missing_signer" in _rules(_lint(_plan(signers=[])))


def test_signer_without_name():
    plan = _plan(signers=[{"authority": None, "title": "HIỆU TRƯỞNG", "name": ""}])
    assert "signer_incomplete" in _rules(_lint(plan))


def test_number_below_ten_without_leading_zero():
    finding = next(f for f in _lint(_plan(number="5/KH-THCSHH")) if f.rule == "number_format")
    assert "Số: 05/KH-THCSHH" in finding.suggestion


def test_missing_number_is_a_note():
    finding = next(f for f in _lint(_plan(number=None)) if f.rule == "missing_number")
    assert finding.severity == "info"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Hợp Hòa, ngày 8 tháng 9 năm 2022", "Hợp Hòa, ngày 08 tháng 9 năm 2022"),
        ("Hợp Hòa, ngày 18 tháng 1 năm 2023", "Hợp Hòa, ngày 18 tháng 01 năm 2023"),
        ("Hợp Hòa, ngày 18 tháng 09 năm 2022", "Hợp Hòa, ngày 18 tháng 9 năm 2022"),
        ("Hợp Hòa ngày 18 tháng 9 năm 2022", "Hợp Hòa, ngày 18 tháng 9 năm 2022"),
    ],
)
def test_place_date_line_not_in_form(line, expected):
    raw = CLEAN_RAW.replace("Hợp Hòa, ngày 08 tháng 9 năm 2022", line)
    finding = next(f for f in _lint(CLEAN_PLAN, raw_text=raw) if f.rule == "place_date_format")
    assert finding.place == "Dòng 3"
    assert expected in finding.suggestion


def test_section_numbering_out_of_sequence():
    plan = _plan()
    plan["sections"][4]["heading"] = "V. TỔ CHỨC THỰC HIỆN"
    finding = next(f for f in _lint(plan) if f.rule == "section_numbering")
    assert finding.place == "Mục III"
    assert "III." in finding.suggestion


def test_spelling_skipped_with_a_note_without_dictionary():
    findings = lint(CLEAN_PLAN, spell_checker=lambda: None)
    assert _rules(findings) == ["spelling_skipped"]
    assert findings[0].severity == "info"


class _FakeDictionary:
    """A tiny Vietnamese dictionary standing in for Hunspell."""

    def __init__(self, words: set[str]):
        self.words = words

    def lookup(self, word: str) -> bool:
        return word.lower() in self.words

    def suggest(self, word: str):
        if word.lower() == "ghiêm":
            yield "nghiêm"


def test_misspelled_words_are_found_with_suggestions():
    plan = _plan()
    plan["commitments"][1]["text"] = "Công đoàn thực hiện ghiêm túc."
    words = {"công", "đoàn", "thực", "hiện", "túc"}
    checker = _FakeDictionary(words | {w.lower() for t in _texts(plan) for w in t.split()})
    checker.words.discard("ghiêm")
    findings = [f for f in lint(plan, spell_checker=checker) if f.rule == "spelling"]
    assert [(f.place, f.suggestion) for f in findings] == [
        ("Mục II.1, nội dung 2", "Sửa thành: “nghiêm”.")
    ]


def _texts(plan: dict) -> list[str]:
    import re

    texts = [plan["title"]] + [s["heading"] for s in plan["sections"]]
    texts += [c["text"] for c in plan["commitments"]] + [t["text"] for t in plan["targets"]]
    return [re.sub(r"[^\w\s]", " ", t) for t in texts]


def test_format_findings_lists_place_text_and_suggestion():
    text = format_findings(_lint(_plan(signers=[])))
    assert "Chữ ký" in text and "Gợi ý:" in text


def test_format_no_findings():
    assert format_findings([]) == "Không phát hiện vấn đề nào."


# --- old and new tone placement (hóa/hoá, khỏe/khoẻ, thủy/thuỷ) ---------------------------------


class _OneStyleDictionary:
    """A dictionary that knows only the new placement, like the Hunspell vi_VN one."""

    words = {"hoá", "khoẻ", "thuỷ", "uỷ", "ban", "sức", "giáo", "dục"}

    def lookup(self, word):
        return word.lower() in self.words

    def suggest(self, word):
        return iter(())


def test_tone_alternative_moves_the_mark_between_the_two_vowels():
    from phoihop.core.lint import tone_alternative

    assert tone_alternative("hóa") == "hoá" and tone_alternative("hoá") == "hóa"
    assert tone_alternative("khỏe") == "khoẻ" and tone_alternative("Thủy") == "Thuỷ"
    assert tone_alternative("quý") is None and tone_alternative("hoàn") is None


def test_spelling_accepts_both_tone_placements():
    from phoihop.core.lint import lint

    plan = {
        "title": "Kế hoạch giáo dục sức khỏe, văn hóa, thủy lợi, ủy ban",
        "commitments": [{"text": "giáo dục sức khoẻ, văn hoá", "parties": ["y_te"]}],
    }
    findings = lint(plan, spell_checker=_OneStyleDictionary())
    flagged = {f.text for f in findings if f.rule == "spelling"}
    assert not any(w in t for t in flagged for w in ("khỏe", "khoẻ", "hóa", "hoá", "thủy", "ủy"))
    assert any("Kế" in t or "hoạch" in t for t in flagged)  # other unknown words still reported


def test_installed_dictionary_accepts_old_tone_placement():
    from phoihop.core.lint import _dictionary, lint

    if _dictionary() is None:
        pytest.skip("hunspell-vi or spylls not installed")
    plan = {"title": "Khám sức khỏe, văn hóa, thủy sản, Ủy ban", "commitments": []}
    assert [f for f in lint(plan) if f.rule == "spelling"] == []


@pytest.mark.parametrize(
    "name", ["(họ và tên)", "(Ký, ghi rõ họ tên)", "……………", "Nguyễn Văn A", "[Họ tên]"]
)
def test_a_signature_block_left_as_the_templates_blank_blocks_issuing(name):
    plan = _plan(signers=[{"authority": None, "title": "HIỆU TRƯỞNG", "name": name}])
    [finding] = [f for f in _lint(plan) if f.rule == "signer_placeholder"]
    assert blocking([finding]) == [finding]


def test_a_real_signer_and_real_items_block_nothing():
    assert blocking(_lint(_plan())) == []
    plan = _plan(signers=[{"authority": None, "title": "HIỆU TRƯỞNG", "name": "Nguyễn Văn An"}])
    assert blocking(_lint(plan)) == []


def test_a_document_without_items_blocks_issuing():
    plan = _plan(commitments=[])
    assert [f.rule for f in blocking(_lint(plan))] == ["no_items"]


def test_an_item_whose_words_and_cadence_disagree_is_flagged():
    quarterly = {"text": "mỗi quý", "count": 1, "at_least": False, "per": "quarter",
                 "per_subject": None, "anchors": [], "window": None}  # fmt: skip
    item = {"section": None, "parties": ["cong_an"], "cadence": quarterly,
            "text": "Công an phường tuyên truyền an toàn giao thông hai lần trong năm học."}  # fmt: skip
    [finding] = [f for f in _lint(_plan(commitments=[item])) if f.rule == "cadence_mismatch"]
    assert "hai lần trong năm học" in finding.text and finding.suggestion not in finding.text
    agreeing = {**item, "cadence": {**quarterly, "count": 2, "per": "school_year"}}
    assert "cadence_mismatch" not in _rules(_lint(_plan(commitments=[agreeing])))


@pytest.mark.parametrize(
    "line",
    ["Số: 010/KH-THCSHS", "Số: 5/KH-THCSHS", "Số 05/KH-THCSHS", "Số: 05 /KH-THCSHS",
     "Số: 05/KH - THCSHS"],
)  # fmt: skip
def test_a_number_lines_suggested_fix_differs_from_the_line(line):
    """Issue 18: a warning whose suggested fix was the same text ("Số: 010/KH" → "Số: 010/KH")."""
    plan = _plan()
    [finding] = [f for f in _lint(plan, raw_text=line + "\n") if f.rule == "number_format"]
    suggested = finding.suggestion.split("“", 1)[1].rsplit("”", 1)[0]
    assert " ".join(suggested.split()) != " ".join(line.split())


def test_a_drafts_blank_number_is_not_a_fault():
    plan = _plan()
    for line in ("Số:        /KH-THCSHS", "Số: /KH-THCSHS"):
        assert "number_format" not in _rules(_lint(plan, raw_text=line + "\n"))
