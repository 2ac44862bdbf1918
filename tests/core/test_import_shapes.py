"""Shapes that real coordination documents take once copied out of a web page, a PDF or an old
Word file, each read as a person reads it. Every example here is written for this test."""

from __future__ import annotations

import pytest

from phoihop.core.importing import parse_text
from phoihop.core.importing.cover import split_cover
from phoihop.core.importing.header import doc_type_of_number
from phoihop.core.importing.shapes import is_syllable, repair_shapes, split_glued, syllables
from phoihop.core.importing.structure import detect_marker, split_paragraphs

needs_syllables = pytest.mark.skipif(not syllables(), reason="hunspell-vi is not installed")


def _headings(plan: dict) -> list[tuple[int, str]]:
    return [(s["level"], s["heading"]) for s in plan["sections"]]


# --- headings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "label", "body"),
    [
        ("I/ MỤC TIÊU CHUNG", "roman", "I", "MỤC TIÊU CHUNG"),
        ("2/ Phối hợp với Hội phụ nữ xã", "arabic", "2", "Phối hợp với Hội phụ nữ xã"),
        ("III MỘT SỐ BIỆN PHÁP", "roman", "III", "MỘT SỐ BIỆN PHÁP"),
        ("4 TỔ CHỨC THỰC HIỆN", "arabic", "4", "TỔ CHỨC THỰC HIỆN"),
        ("3) Họp phụ huynh học sinh", "arabic", "3", "Họp phụ huynh học sinh"),
    ],
)
def test_heading_markers_without_their_dot_are_read(line, kind, label, body):
    assert detect_marker(line) == (kind, label, body)


@pytest.mark.parametrize(
    "line", ["20/11 là ngày Nhà giáo Việt Nam", "3 lần mỗi năm học", "I đã ký tên"]
)
def test_lines_that_only_look_numbered_stay_text(line):
    assert detect_marker(line)[0] is None


def test_a_numeral_alone_on_its_line_numbers_the_heading_below_it():
    paras = split_paragraphs("II\nNỘI DUNG PHỐI HỢP\n1. Tuyên truyền pháp luật cho học sinh.")
    assert (paras[0].kind, paras[0].label, paras[0].body) == ("roman", "II", "NỘI DUNG PHỐI HỢP")


def test_chapter_and_inline_article_headings():
    plan = parse_text(
        "QUY CHẾ PHỐI HỢP\ngiữa nhà trường và Công đoàn\n"
        "Chương I:\nNHỮNG QUY ĐỊNH CHUNG\n"
        "Điều 1. Quy chế này áp dụng cho cán bộ, giáo viên, nhân viên nhà trường.\n"
        "Chương II:\nNỘI DUNG PHỐI HỢP\n"
        "Điều 2. Hằng tháng Hiệu trưởng họp với Ban chấp hành Công đoàn.\n"
    )
    assert _headings(plan) == [
        (1, "Chương I: NHỮNG QUY ĐỊNH CHUNG"),
        (2, "Điều 1."),
        (1, "Chương II: NỘI DUNG PHỐI HỢP"),
        (2, "Điều 2."),
    ]
    assert [c["text"] for c in plan["commitments"]] == [
        "Hằng tháng Hiệu trưởng họp với Ban chấp hành Công đoàn."
    ]


def test_a_section_about_whom_the_programme_serves_holds_no_commitments():
    plan = parse_text(
        "KẾ HOẠCH\nChăm sóc sức khỏe học sinh\nI. ĐỐI TƯỢNG\n"
        "1. Học sinh các khối lớp của nhà trường.\nII. NỘI DUNG\n"
        "1. Nhà trường phối hợp với Trạm y tế xã khám sức khỏe 2 lần/năm học.\n"
    )
    assert [c["text"][:10] for c in plan["commitments"]] == ["Nhà trường"]


# --- lines broken or glued ----------------------------------------------------------------------


def test_lines_cut_after_so_or_a_ministry_continue():
    paras = split_paragraphs(
        "Căn cứ Thông tư số\n"
        "28/2020/TT-BGDĐT ngày 04/9/2020 của Bộ trưởng Bộ\n"
        "Giáo dục và Đào tạo ban hành Điều lệ trường tiểu học;\n"
    )
    assert len(paras) == 1
    assert paras[0].text.startswith("Căn cứ Thông tư số 28/2020/TT-BGDĐT")


def test_a_heading_ending_in_co_so_does_not_swallow_the_next_line():
    paras = split_paragraphs("1. Giữa nhà trường với công đoàn cơ sở\nNhà trường tạo điều kiện.")
    assert len(paras) == 2


def test_a_word_cut_off_by_the_layout_joins_the_next_line():
    paras = split_paragraphs("ỦY\nBAN NHÂN DÂN XÃ AN PHÚ\nSố:\n17/KH-UBND\n")
    assert [p.text for p in paras] == ["ỦY BAN NHÂN DÂN XÃ AN PHÚ", "Số: 17/KH-UBND"]


def test_html_tags_table_pipes_and_page_counters_are_dropped():
    plan = parse_text(
        "<span class='page'>(1)</span>\n"
        "TRƯỜNG TIỂU HỌC AN PHÚ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 12/KH-THAP | An Phú, ngày 5 tháng 9 năm 2024 |\n"
        "<b>KẾ HOẠCH</b>\n<b>Phối hợp với Công an xã năm học 2024-2025</b>\n"
        "<b>I. NỘI DUNG</b>\n- Công an xã tuyên truyền an toàn giao thông mỗi học kỳ 1 lần.<br/>\n"
    )
    assert plan["title"] == "KẾ HOẠCH Phối hợp với Công an xã năm học 2024-2025"
    assert (plan["number"], plan["date"]) == ("12/KH-THAP", "2024-09-05")
    assert _headings(plan) == [(1, "I. NỘI DUNG")]
    assert plan["commitments"][0]["text"].endswith("mỗi học kỳ 1 lần.")


@needs_syllables
def test_lines_glued_without_a_space_are_cut_again():
    glued = (
        "TRƯỜNG MẦM NON HOA MAICỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập – Tự do – Hạnh phúc"
        "Số: 08/KH-MNHMHoa Mai, ngày 3 tháng 10 năm 2023KẾ HOẠCHPhối hợp với cha mẹ trẻ năm học"
        " 2023 – 2024Căn cứ tình hình thực tế của nhà trường.I. MỤC ĐÍCH:- Gắn kết gia đình và"
        " nhà trường trong việc chăm sóc trẻ.II. NỘI DUNG:1. Họp cha mẹ trẻ:- Giáo viên chủ nhiệm"
        " họp cha mẹ trẻ 3 lần/năm học vào đầu năm, cuối học kỳ I và cuối năm học.- Nhà trường"
        " thông báo thực đơn cho cha mẹ trẻ hằng tuần."
    )
    plan = parse_text(glued)
    assert plan["number"] == "08/KH-MNHM" and plan["date"] == "2023-10-03"
    assert plan["doc_type"] == "ke_hoach"
    assert _headings(plan) == [(1, "I. MỤC ĐÍCH:"), (1, "II. NỘI DUNG:"), (2, "1. Họp cha mẹ trẻ:")]
    assert len(plan["commitments"]) == 2
    assert plan["commitments"][0]["cadence"]["count"] == 3
    assert any("xuống dòng" in w for w in plan["warnings"])


@needs_syllables
@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("tiếnhành", ["tiến", "hành"]),
        ("GIỮANGÀNH", ["GIỮA", "NGÀNH"]),
        ("xâydựngkế", ["xây", "dựng", "kế"]),
        ("tếtrường", None),  # "tế trường" or "tết rường": left as it is
        ("hành", None),
        ("online", None),
    ],
)
def test_glued_words_are_split_only_where_the_cut_is_unambiguous(token, parts):
    assert split_glued(token) == parts


# --- broken fonts -------------------------------------------------------------------------------


@needs_syllables
def test_old_and_new_tone_placement_are_both_syllables():
    assert is_syllable("hoà") and is_syllable("hòa") and is_syllable("thuỷ") and is_syllable("thủy")


@needs_syllables
def test_a_lost_u_is_put_back_when_the_font_lost_it_throughout():
    text, warnings = repair_shapes(
        "Trờng THCS Bình Minh\nChơng I\nQuy định chung\nĐiều 1. Nhà nớc và nhà trờng phối hợp."
    )
    assert "Trường THCS Bình Minh" in text
    assert "Chương I" in text and "Nhà nước" in text and "nhà trường" in text
    assert warnings


@needs_syllables
def test_a_single_lost_u_is_not_guessed():
    text, _ = repair_shapes("Nhà nớc giao nhiệm vụ.")
    assert "nớc" in text


@needs_syllables
def test_look_alike_letters_of_a_broken_pdf_font_are_repaired():
    text, _ = repair_shapes("CƠNG ĐỒN trường khơng tổ chức cơng việc ngoài giờ; Đợc lập.")
    assert text.startswith("CÔNG ĐOÀN trường không tổ chức công việc")
    assert "Độc lập" in text


@needs_syllables
def test_a_left_over_vni_byte_is_dropped():
    text, _ = repair_shapes("PHỐI HỢP VỀØ CÔNG TÁC Y TẾ")
    assert text == "PHỐI HỢP VỀ CÔNG TÁC Y TẾ"


@needs_syllables
def test_text_without_damage_is_left_alone():
    clean = "Nhà trường phối hợp với Công đoàn tổ chức hội nghị viên chức đầu năm học."
    assert repair_shapes(clean) == (clean, [])


# --- the header ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Số: 420/2015/QĐ-UBND", "420/2015/QĐ-UBND"),
        ("Số: 03./-QC", "03/QC"),
        ("Số: 07/-THCSAP", "07/THCSAP"),
        ("Số:     /KH-THCS", None),
    ],
)
def test_document_numbers_as_typed(line, number):
    assert parse_text(f"{line}\nKẾ HOẠCH\nPhối hợp năm học 2024-2025\n")["number"] == number


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("01/QCPH-CA-GDĐT", "quy_che"),
        ("15/KHLT-PGDĐT-CĐGD", "ke_hoach_lien_tich"),
        ("22/KH-LT", "ke_hoach_lien_tich"),
        ("5/CTPH-ĐTN-THCS", "chuong_trinh_phoi_hop"),
        ("9/KH-THCS", "ke_hoach"),
        ("3/PA-MN", "other"),
    ],
)
def test_the_document_symbol_names_its_type(number, kind):
    assert doc_type_of_number(number) == kind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Quy chế\nPhối hợp giữa Ban giám hiệu và Công đoàn", "quy_che"),
        ("KẾ HOẠCH LIÊN NGÀNH\nVề công tác y tế trường học", "ke_hoach_lien_tich"),
        ("KẾ HOẠCH LIÊN TỊCH\nTổ chức hội thi", "ke_hoach_lien_tich"),
        ("CHƯƠNG TRÌNH PHỐI HỢP\nGiữa Đoàn xã và nhà trường", "chuong_trinh_phoi_hop"),
        ("QUY CHẾ PHỐI HỢP\nGiữa nhà trường và Hội khuyến học", "quy_che"),
        ("THÔNG TRI\nVề việc phối hợp tổ chức tết trung thu", "other"),
        ("HƯỚNG DẪN\nPhối hợp kiểm tra bán trú", "other"),
    ],
)
def test_document_types_of_the_genre(title, kind):
    plan = parse_text(f"{title}\nI. NỘI DUNG\n1. Nhà trường báo cáo kết quả mỗi học kỳ.\n")
    assert plan["doc_type"] == kind
    assert plan["title"] is not None


def test_a_plan_whose_number_gives_its_type_when_the_title_lost_it():
    plan = parse_text(
        "Số: 02/QCPH-CAX-THCS\nVỀ BẢO ĐẢM AN NINH TRƯỜNG HỌC\nCăn cứ tình hình thực tế;\n"
    )
    assert plan["doc_type"] == "quy_che"
    assert [b["text"] for b in plan["legal_basis"]] == ["Căn cứ tình hình thực tế"]


def test_a_header_with_a_school_and_a_health_station_is_a_joint_plan():
    plan = parse_text(
        "TRƯỜNG TIỂU HỌC AN PHÚ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TRẠM Y TẾ XÃ AN PHÚ\nĐộc lập - Tự do - Hạnh phúc\n"
        "KẾ HOẠCH PHỐI HỢP\nCông tác y tế trường học năm học 2024-2025\n"
        "Căn cứ tình hình thực tế, nhà trường xây dựng kế hoạch phối hợp với Trạm y tế xã như sau:\n"
        "I. NỘI DUNG\n- Tổ chức khám sức khỏe cho học sinh 2 đợt /1 năm học.\n"
    )
    assert plan["doc_type"] == "ke_hoach_lien_tich"
    item = plan["commitments"][0]
    assert item["parties"] == ["lanh_dao", "y_te"]
    assert (item["cadence"]["count"], item["cadence"]["per"]) == (2, "school_year")


def test_a_department_above_a_school_is_not_a_second_issuer():
    plan = parse_text(
        "PHÒNG GD&ĐT HUYỆN AN PHÚ\nTRƯỜNG THCS AN PHÚ\nKẾ HOẠCH\nPhối hợp năm học 2024-2025\n"
    )
    assert plan["doc_type"] == "ke_hoach"


# --- legal basis --------------------------------------------------------------------------------


def test_several_documents_cited_in_one_clause_are_several_bases():
    plan = parse_text(
        "KẾ HOẠCH\nY tế trường học năm học 2024-2025\n"
        "Thực hiện Thông tư số 13/2016/TTLT-BYT-BGDĐT ngày 12/5/2016 quy định công tác y tế trường"
        " học; Công văn số 45/SGDĐT-CTTT ngày 02/8/2024 của Sở GD&ĐT về y tế trường học. Sau khi"
        " xem xét đề nghị của Trạm y tế xã tại Tờ trình số 3/TTr-TYT ngày 20/8/2024, nhà trường"
        " ban hành kế hoạch như sau:\n"
    )
    assert [b["ref"]["number"] for b in plan["legal_basis"]] == [
        "13/2016/TTLT-BYT-BGDĐT",
        "45/SGDĐT-CTTT",
        "3/TTr-TYT",
    ]


def test_a_title_line_in_capitals_is_not_a_legal_basis():
    plan = parse_text(
        "KẾ HOẠCH LIÊN NGÀNH\nTHỰC HIỆN CÔNG TÁC Y TẾ TRƯỜNG HỌC NĂM HỌC 2024 - 2025\n"
        "Căn cứ Kế hoạch số 10/KH-UBND ngày 01/9/2024 của UBND xã;\n"
    )
    assert [b["text"][:7] for b in plan["legal_basis"]] == ["Căn cứ "]


def test_a_basis_whose_font_lost_a_letter_and_a_request_are_bases():
    plan = parse_text(
        "QUYẾT ĐỊNH\nVề việc thành lập ban chỉ đạo\n"
        "- Căn c Điều lệ trường mầm non ban hành kèm theo Thông tư số 52/2020/TT-BGDĐT;\n"
        "Xét ý kiến đề nghị của Chủ tịch Công đoàn cơ sở,\n"
    )
    assert len(plan["legal_basis"]) == 2


# --- a decision and the plan it issues ------------------------------------------------------------


_COVERED = """QUYẾT ĐỊNH
Ban hành Quy chế phối hợp giữa nhà trường và Công đoàn
HIỆU TRƯỞNG TRƯỜNG THCS AN PHÚ
Căn cứ Điều lệ trường trung học cơ sở;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp giữa nhà trường và Công đoàn.
Điều 2. Quyết định có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Như Điều 2;
- Lưu VT.
HIỆU TRƯỞNG

          Lê Minh Châu

QUY CHẾ PHỐI HỢP
Giữa nhà trường và Công đoàn trường THCS An Phú
Chương I
NỘI DUNG PHỐI HỢP
Điều 1. Trách nhiệm của nhà trường
1. Hiệu trưởng thông báo kế hoạch năm học cho Công đoàn vào đầu năm học.
"""


def test_a_decision_issuing_a_quy_che_imports_the_quy_che():
    assert split_cover(_COVERED) is not None
    plan = parse_text(_COVERED)
    assert plan["doc_type"] == "quy_che"
    assert plan["title"].startswith("QUY CHẾ PHỐI HỢP")
    assert _headings(plan) == [
        (1, "Chương I NỘI DUNG PHỐI HỢP"),
        (2, "Điều 1. Trách nhiệm của nhà trường"),
    ]
    assert len(plan["commitments"]) == 1
    assert [(s["authority"], s["title"], s["name"]) for s in plan["signers"]] == [
        (None, "HIỆU TRƯỞNG", "Lê Minh Châu")
    ]
    assert [r["name"] for r in plan["recipients"]] == ["Như Điều 2", "Lưu VT"]
    assert [b["text"] for b in plan["legal_basis"]] == ["Căn cứ Điều lệ trường trung học cơ sở"]


def test_a_decision_alone_stays_a_decision():
    plan = parse_text(_COVERED.split("QUY CHẾ PHỐI HỢP\nGiữa")[0])
    assert plan["doc_type"] == "quyet_dinh"


# --- parties --------------------------------------------------------------------------------------


def test_the_body_that_steers_is_a_party():
    plan = parse_text(
        "QUY CHẾ\nPhối hợp giữa nhà trường và Công đoàn\nI. NỘI DUNG\n"
        "1. Ban chấp hành Công đoàn, dưới sự chỉ đạo của Ban giám hiệu, tổ chức hội thao.\n"
    )
    assert plan["commitments"][0]["parties"] == ["cong_doan", "lanh_dao"]


def test_ban_nganh_are_not_villages():
    plan = parse_text(
        "KẾ HOẠCH\nPhối hợp năm học 2024-2025\nI. NỘI DUNG\n"
        "1. Nhà trường phối hợp với các ban ngành đoàn thể vận động học sinh ra lớp.\n"
    )
    assert "to_dan_pho" not in plan["commitments"][0]["parties"]


# --- cadence --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count", "per"),
    [
        ("Khám sức khỏe cho học sinh 2 đợt /1 năm học.", 2, "school_year"),
        ("Phân luồng xe vào các buổi sáng thứ Hai và thứ Sáu.", 2, "week"),
    ],
)
def test_cadence_phrases_of_real_plans(text, count, per):
    from phoihop.core.importing.cadence import parse_cadence

    cad = parse_cadence(text)
    assert (cad["count"], cad["per"]) == (count, per)


def test_a_number_written_twice_is_a_sibling_not_a_sub_list():
    text = (
        "KẾ HOẠCH\nPhối hợp năm học 2025-2026\nI. NỘI DUNG\n"
        "1. Nhà trường phối hợp với Công đoàn tổ chức hội nghị cán bộ.\n"
        "1. Công đoàn thăm hỏi đoàn viên ốm đau.\n"
        "2. Đoàn thanh niên tổ chức sinh hoạt chủ điểm.\n"
    )
    plan = parse_text(text)
    assert [c["text"][:12] for c in plan["commitments"]] == [
        "Nhà trường p", "Công đoàn th", "Đoàn thanh n",
    ]  # fmt: skip


def test_an_article_numbered_twice_is_not_nested_in_itself():
    text = (
        "QUY CHẾ\nPhối hợp giữa nhà trường và Công đoàn\nChương I\nNỘI DUNG PHỐI HỢP\n"
        "Điều 1. Phối hợp chỉ đạo chuyên môn.\n1. Tổ chức hội giảng.\n"
        "Điều 1. Phối hợp chăm lo đời sống.\n1. Thăm hỏi đoàn viên ốm đau.\n"
    )
    levels = [(s["heading"], s["level"]) for s in parse_text(text)["sections"]]
    articles = [level for heading, level in levels if heading.startswith("Điều")]
    assert len(articles) == 2 and articles[0] == articles[1]


def test_a_heading_ending_with_a_colon_still_opens_a_restarted_list():
    text = (
        "KẾ HOẠCH\nPhối hợp năm học 2025-2026\nI. NỘI DUNG\n"
        "1. Đối với nhà trường:\n1. Tổ chức hội nghị cán bộ, viên chức đầu năm.\n"
        "2. Tổ chức tổng kết năm học.\n"
    )
    plan = parse_text(text)
    assert {s["heading"]: s["level"] for s in plan["sections"]}["1. Đối với nhà trường:"] == 2
    assert len(plan["commitments"]) == 2


def test_recipients_whose_dashes_were_left_out_are_still_read():
    text = (
        "KẾ HOẠCH\nPhối hợp năm học 2025-2026\nI. NỘI DUNG\n1. Nhà trường họp cha mẹ học sinh.\n"
        "Nơi nhận:\nPhòng GD&ĐT (b/c);\nCông an phường (p/h);\n- Lưu: VT.\n"
        "HIỆU TRƯỞNG\nNguyễn Văn An\n"
    )
    plan = parse_text(text)
    assert [r["name"] for r in plan["recipients"]][:2] == ["Phòng GD&ĐT", "Công an phường"]
    assert len(plan["recipients"]) == 3
    assert [s["name"] for s in plan["signers"]] == ["Nguyễn Văn An"]
