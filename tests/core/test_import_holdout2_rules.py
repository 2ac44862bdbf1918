"""Rules added after reading tests/data/holdout2 (plans written by us): each one on an example of
its own, written for this test, so the rule is pinned apart from the documents it was found on."""

from __future__ import annotations

import pytest

from phoihop.core.importing import parse_text
from phoihop.core.importing.cadence import parse_cadence
from phoihop.core.importing.parties import item_parties
from phoihop.core.importing.structure import detect_marker, split_paragraphs


def _plan(body: str) -> dict:
    head = (
        "TRƯỜNG THCS HÒA LẠC\nSố: 14/KH-THCSHL\nHòa Lạc, ngày 10 tháng 9 năm 2025\n\n"
        "KẾ HOẠCH\nPhối hợp giữa nhà trường và Công an xã Hòa Lạc năm học 2025 - 2026\n\n"
    )
    return parse_text(head + body)


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "body"),
    [
        (
            "a- Nhà trường cử giáo viên trực cổng trường.",
            "a",
            "Nhà trường cử giáo viên trực cổng trường.",
        ),
        (
            "b – Hội Phụ nữ xã tuyên truyền cho các bà mẹ.",
            "b",
            "Hội Phụ nữ xã tuyên truyền cho các bà mẹ.",
        ),
    ],
)
def test_a_letter_with_a_dash_is_a_list_marker(line, label, body):
    assert detect_marker(line) == ("lower", label, body)


def test_a_word_with_a_hyphen_is_not_a_list_marker():
    assert detect_marker("e-learning được dùng cho học sinh")[0] is None


def test_letters_with_dashes_are_items_of_their_numbered_heading():
    plan = _plan(
        "I/ NỘI DUNG\n1) Tuyên truyền pháp luật\n"
        "a- Công an xã nói chuyện với học sinh 02 lần/năm.\n"
        "b- Nhà trường tổ chức thi tìm hiểu pháp luật.\n"
        "2) Giữ trật tự cổng trường\na- Công an xã tuần tra vào giờ tan học.\n"
    )
    assert [(s["level"], s["heading"]) for s in plan["sections"]] == [
        (1, "I/ NỘI DUNG"),
        (2, "1) Tuyên truyền pháp luật"),
        (2, "2) Giữ trật tự cổng trường"),
    ]
    assert len(plan["commitments"]) == 3


def test_an_article_title_and_its_text_on_one_line_are_split():
    paras = split_paragraphs(
        "Điều 4. Chế độ họp. Hai bên họp giao ban mỗi quý một lần để trao đổi tình hình."
    )
    assert [(p.kind, p.body) for p in paras] == [
        ("dieu", "Chế độ họp"),
        (None, "Hai bên họp giao ban mỗi quý một lần để trao đổi tình hình."),
    ]
    plan = _plan(
        "Điều 1. Nội dung phối hợp. Công an xã cử cán bộ tuyên truyền pháp luật cho học sinh.\n"
    )
    assert plan["sections"][0]["heading"] == "Điều 1. Nội dung phối hợp"
    assert plan["commitments"][0]["text"].startswith("Công an xã cử cán bộ")


def test_an_article_that_is_one_sentence_is_not_split():
    paras = split_paragraphs("Điều 1. Quy chế này quy định việc phối hợp giữa nhà trường và Đoàn.")
    assert len(paras) == 1


def test_a_programme_taking_effect_is_a_closing_sentence():
    plan = _plan(
        "I. NỘI DUNG\n1. Công an xã tuần tra cổng trường.\n"
        "Chương trình phối hợp có hiệu lực kể từ ngày ký.\n"
    )
    assert [c["text"] for c in plan["commitments"]] == ["Công an xã tuần tra cổng trường."]


def test_a_signers_name_ending_in_a_function_word_keeps_the_next_line_apart():
    # "Nhung" folds to "nhung" (những), a word after which a broken line continues
    paras = split_paragraphs("HIỆU TRƯỞNG\nLê Thị Hồng Nhung\nNơi nhận:\n- Lưu VT.")
    assert [p.text for p in paras][:3] == ["HIỆU TRƯỞNG", "Lê Thị Hồng Nhung", "Nơi nhận:"]


# --- header -------------------------------------------------------------------------------------


def test_a_party_bodys_number_puts_the_type_before_the_slash():
    plan = parse_text(
        "CHI BỘ TRƯỜNG TIỂU HỌC AN BÌNH\nSố: 07-QC/CB\n\nQUY CHẾ\nPhối hợp giữa Chi bộ và nhà trường\n\n"
        "Điều 1. Chi bộ họp mỗi tháng một lần.\n"
    )
    assert plan["number"] == "07-QC/CB"


def test_education_and_training_is_not_two_bodies_of_a_joint_plan():
    plan = parse_text(
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN AN LÃO\nSố: 12/KHLT\n\nKẾ HOẠCH LIÊN TỊCH\n"
        "Về công tác khuyến học năm 2026\n\n"
        "Phòng Giáo dục và Đào tạo huyện An Lão và Hội Khuyến học huyện xây dựng kế hoạch như sau:\n"
        "I. NỘI DUNG\n1. Hai bên trao học bổng cho học sinh nghèo vào tháng 9 hằng năm.\n"
    )
    assert plan["co_issuer"] == "Hội Khuyến học huyện"
    assert set(plan["commitments"][0]["parties"]) == {"lanh_dao", "hoi_khuyen_hoc"}


# --- parties ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CAX cử cán bộ tuyên truyền cho học sinh.", ["cong_an"]),
        ("TYT khám sức khỏe cho trẻ.", ["y_te"]),
        ("BĐD họp với nhà trường.", ["cmhs", "lanh_dao"]),
        ("Cô giáo trao đổi với phụ huynh khi đón trẻ.", ["gvcn", "cmhs"]),
        ("Giáo viên các lớp nhắc nhở học sinh đội mũ bảo hiểm.", ["gvcn"]),
        ("Chi hội phụ nữ thôn nắm danh sách trẻ khó khăn.", ["hoi_phu_nu"]),
    ],
)
def test_abbreviations_and_class_teachers_name_their_party(text, expected):
    assert item_parties(text, ["lanh_dao"]) == expected


def test_the_teachers_of_a_campaign_slogan_are_not_class_teachers():
    assert "gvcn" not in item_parties(
        "Nhà trường hưởng ứng cuộc vận động mỗi thầy cô giáo là một tấm gương.", ["lanh_dao"]
    )


def test_the_school_nurse_is_staff_not_the_health_station():
    assert item_parties("Nhân viên y tế nhà trường theo dõi sức khỏe trẻ.", ["lanh_dao"]) == [
        "can_bo_giao_vien"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Tham mưu cho UBND xã giải tỏa hàng quán gần trường.",
        "Đề nghị UBND xã hỗ trợ kinh phí sửa chữa phòng học.",
    ],
)
def test_advising_or_asking_a_body_makes_it_the_partner(text):
    # in a section about one partner, an item that names its own partner keeps the lead only
    assert item_parties(text, ["lanh_dao", "cong_an", "dang_uy"], narrow=True) == [
        "lanh_dao",
        "ubnd",
    ]


def test_attending_the_meetings_of_the_leadership_involves_it():
    assert item_parties("Bí thư Chi bộ dự các cuộc họp của BGH khi bàn công tác cán bộ.", []) == [
        "chi_bo",
        "lanh_dao",
    ]


def test_both_sides_are_the_bodies_the_plan_is_between():
    plan = _plan(
        "III. TỔ CHỨC THỰC HIỆN\n1. Trách nhiệm của nhà trường\n- Phân công giáo viên trực.\n"
        "2. Chế độ thông tin\n- Hai bên trao đổi thông tin mỗi học kỳ một lần.\n"
    )
    both = [c for c in plan["commitments"] if c["text"].startswith("Hai bên")][0]
    assert set(both["parties"]) == {"lanh_dao", "cong_an"}


# --- cadence ------------------------------------------------------------------------------------


def test_a_named_month_of_every_year_is_yearly_even_beside_an_anchor():
    cad = parse_cadence("Trao học bổng vào tháng 9 hằng năm, nhân dịp khai giảng năm học mới.")
    assert (cad["count"], cad["per"], cad["anchors"]) == (1, "year", [])
    assert cad["text"] == "vào tháng 9 hằng năm"


def test_part_of_one_month_is_a_dated_window_in_a_one_year_plan():
    cad = parse_cadence("Tổ chức hội thi trong tuần đầu tháng 12.", years=(2025, 2026))
    assert cad["per"] == "once"
    assert cad["window"] == {"start": "2025-12", "end": "2025-12"}
    cad = parse_cadence("Tổng kết trong tháng 5.", years=(2025, 2026))
    assert cad["window"] == {"start": "2026-05", "end": "2026-05"}


def test_part_of_one_month_recurs_in_a_plan_over_several_years():
    cad = parse_cadence("Gửi số liệu trong tuần đầu tháng 12.", years=(2025, 2030))
    assert (cad["count"], cad["per"], cad["window"]) == (1, "year", None)


def test_one_month_needs_the_plans_years():
    assert parse_cadence("Gửi số liệu trong tháng 12.") is None


def test_a_partner_body_no_code_covers_is_kept_as_other():
    from phoihop.core.importing.parties import unknown_partners

    text = "Phối hợp với Thư viện tỉnh, Hội Phụ nữ xã tổ chức ngày hội đọc sách cho học sinh."
    assert unknown_partners(text) == ["Thư viện tỉnh"]
    plan = _plan(
        "I. NỘI DUNG\n1. Nhà trường phối hợp với Đài phát thanh xã đưa tin về hoạt động.\n"
    )
    item = plan["commitments"][0]
    assert item["parties"][-1] == "other"
    assert item["parties_raw"] == ["Đài phát thanh xã"]


def test_known_bodies_are_not_other():
    from phoihop.core.importing.parties import unknown_partners

    assert unknown_partners("Phối hợp với Hội Cựu chiến binh, Ban đại diện CMHS vận động.") == []
    assert unknown_partners("Phối hợp với Ban “Vì sự tiến bộ phụ nữ” tổ chức.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Huyện đoàn phối hợp với nhà trường tổ chức hội trại.", ["doan_thanh_nien", "lanh_dao"]),
        ("Xã đoàn tổ chức sinh hoạt hè cho thiếu nhi.", ["doan_thanh_nien"]),
        ("UBMTTQ xã vận động nhân dân ủng hộ quỹ.", ["mttq"]),
        ("TPTĐ xây dựng kế hoạch hoạt động ngoài giờ.", ["doi_thieu_nien"]),
        ("BĐDCMHS họp với BGH.", ["cmhs", "lanh_dao"]),
        ("PHHS đưa đón con đúng giờ.", ["cmhs"]),
        ("Hội ND xã hỗ trợ cây giống.", ["hoi_nong_dan"]),
        ("Phối hợp với Hội PN xã tuyên truyền.", ["lanh_dao", "hoi_phu_nu"]),
    ],
)
def test_more_abbreviations_of_the_genre(text, expected):
    assert item_parties(text, ["lanh_dao"]) == expected


def test_solidarity_is_not_a_youth_union():
    assert item_parties("Tỉnh đoàn kết nạp thêm hội viên.", ["lanh_dao"]) == ["lanh_dao"]


@pytest.mark.parametrize(
    ("text", "count", "per"),
    [
        ("Họp nhóm 2 tuần/lần để trao đổi.", 2, "month"),
        ("Kiểm tra định kỳ 2 tuần một lần.", 2, "month"),
        ("Trực cổng 1 tuần/lần theo lịch.", 1, "week"),
    ],
)
def test_every_n_weeks(text, count, per):
    cad = parse_cadence(text)
    assert (cad["count"], cad["per"]) == (count, per)


def test_one_dated_month_is_a_window():
    cad = parse_cadence("Tổng kết vào tháng 5/2026.")
    assert cad["per"] == "once"
    assert cad["window"] == {"start": "2026-05", "end": "2026-05"}


def test_the_year_end_review_is_the_end_of_the_school_year():
    cad = parse_cadence("Sơ kết học kỳ I và tổng kết năm học.")
    assert cad["anchors"] == ["cuoi_hk1", "cuoi_nam_hoc"]
