"""The layout of an administrative document, as Decree 30/2020/NĐ-CP prescribes it, kept as data.

Every writer (DOCX, HTML for PDF) reads its page, fonts and element styles from here, so the legal
choices are made once and can be checked against their source.

Source: Nghị định 30/2020/NĐ-CP ngày 05/3/2020 về công tác văn thư, Phụ lục I "Thể thức, kỹ thuật
trình bày văn bản hành chính và bản sao văn bản":
- Phần I, mục 4-6: phông chữ Times New Roman (Unicode TCVN 6909:2001), màu đen; khổ A4
  (210 mm x 297 mm), trình bày theo chiều dài; lề trên 20-25 mm, lề dưới 20-25 mm, lề trái 30-35 mm,
  lề phải 15-20 mm.
- Phần II: each element (ô số 1 … 9) with its case, size and style; the rows of ``ELEMENTS`` below
  cite the item of Phần II they follow.
- Phần I, mục 7 (số trang): Arabic numerals, 13-14, upright, centred in the top margin, not shown on
  the first page.

Where the decree gives a range we pick one value and say why next to it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

FONT_FAMILY = "Times New Roman"
FONT_FALLBACKS = ("Liberation Serif", "TeX Gyre Termes", "Tinos", "Nimbus Roman")

# Phụ lục I, Phần I, mục 5-6: A4, portrait.
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
# Phụ lục I, Phần I, mục 6: ranges 20-25 / 20-25 / 30-35 / 15-20 mm. We take the lower bound of each
# range: it is what most offices' templates use, and it leaves the widest text block (165 mm), which the
# two-column header needs.
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

# The header is a borderless two-column table (Phụ lục I, Phần III "Sơ đồ bố trí các thành phần thể
# thức": ô 2 and ô 3 on the left, ô 1 and ô 4 on the right). The right column must hold the national
# title in one line (≈ 104 mm at 12 pt bold); the left one the issuer's name, in two lines if needed.
HEADER_LEFT_MM = 60.0
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM
# The signature block and Nơi nhận share one borderless table (ô 7 on the right, ô 9 on the left).
FOOTER_LEFT_MM = 75.0
FOOTER_RIGHT_MM = TEXT_WIDTH_MM - FOOTER_LEFT_MM

# Phụ lục I, Phần II, mục 6 (nội dung văn bản): first line indented 1-1.27 cm; paragraphs at least 6 pt
# apart; line spacing from single to 1.5 lines. We use 1.27 cm (Word's usual tab), 6 pt after each
# paragraph and 1.15 lines: a page of plan stays readable without running onto an extra page.
BODY_FIRST_LINE_INDENT_CM = 1.27
BODY_SPACE_AFTER_PT = 6.0
BODY_LINE_SPACING = 1.15

# Horizontal rules: Phụ lục I, Phần II, mục 1.b (under the motto, as long as its line of text) and
# mục 2.b, 5.a (under the issuer's name and under the trích yếu, 1/3 to 1/2 of the line above,
# centred). We draw the short rules at 40 % of the line above.
SHORT_RULE_RATIO = 0.4
RULE_WIDTH_PT = 0.75

# Space left for the signature and seal between the title of the signer and their name. The decree
# does not give a figure; four empty lines of 14 pt (≈ 2.5 cm) is the common practice.
SIGNATURE_SPACE_LINES = 4

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Style:
    """How one element of the document is set: size in points, case, weight, slant and alignment."""

    size_pt: float
    bold: bool = False
    italic: bool = False
    upper: bool = False
    align: Align = "center"
    first_line_indent_cm: float = 0.0


# One entry per element of Phụ lục I, Phần II. Sizes: where the decree allows two sizes we keep the
# body at 14 pt and the header elements at the size that fits their column.
ELEMENTS: dict[str, Style] = {
    # Mục 1.a: Quốc hiệu, in hoa, cỡ 12-13, đứng, đậm. 12 pt keeps it on one line in the right column.
    "national_title": Style(12, bold=True, upper=True),
    # Mục 1.b: Tiêu ngữ, in thường, cỡ 13-14, đứng, đậm, chữ cái đầu các cụm từ viết hoa, giữa các cụm
    # từ có gạch nối và cách chữ; phía dưới có đường kẻ ngang, nét liền, dài bằng dòng chữ.
    "motto": Style(13, bold=True),
    # Mục 2.a: Tên cơ quan chủ quản trực tiếp, in hoa, cỡ 12-13, đứng.
    "issuer_superior": Style(13, upper=True),
    # Mục 2.b: Tên cơ quan ban hành, in hoa, cỡ 12-13, đứng, đậm; đường kẻ ngang 1/3-1/2 dòng chữ.
    "issuer": Style(13, bold=True, upper=True),
    # Mục 3: Số, ký hiệu: "Số" in thường, ký hiệu in hoa, cỡ 13, đứng; canh giữa dưới tên cơ quan.
    "number_line": Style(13),
    # Mục 4: Địa danh và thời gian, in thường, cỡ 13-14, nghiêng; canh giữa dưới Quốc hiệu, Tiêu ngữ.
    "place_date": Style(14, italic=True),
    # Mục 5.a: Tên loại văn bản, in hoa, cỡ 13-14, đứng, đậm, canh giữa.
    "doc_type": Style(14, bold=True, upper=True),
    # Mục 5.a: Trích yếu nội dung, in thường, cỡ 13-14, đứng, đậm, canh giữa dưới tên loại; đường kẻ
    # ngang 1/3-1/2 dòng chữ phía dưới.
    "summary": Style(14, bold=True),
    # Mục 6.c: Căn cứ ban hành, in thường, cỡ 13-14, nghiêng; mỗi căn cứ một dòng, kết thúc bằng dấu
    # chấm phẩy, căn cứ cuối bằng dấu chấm.
    "legal_basis": Style(14, italic=True, align="justify", first_line_indent_cm=1.27),
    # Mục 6.a: Nội dung, in thường, cỡ 13-14, canh đều hai lề, lùi đầu dòng 1-1,27 cm.
    "body": Style(14, align="justify", first_line_indent_cm=1.27),
    # Mục 6.d: "Phần", "Chương" và số thứ tự in thường, đứng, đậm, canh giữa; tên phần, chương in hoa
    # đứng đậm canh giữa.
    "heading_part": Style(14, bold=True, align="center"),
    # Mục 6.d: mục, điều, khoản in thường đứng đậm, lùi đầu dòng như đoạn văn. Our plans number their
    # sections A./I./1./a); levels 1-2 are bold, level 3 bold italic, deeper levels italic, which is the
    # usual typographic hierarchy of the seeds' originals.
    "heading_1": Style(14, bold=True, align="justify", first_line_indent_cm=1.27),
    "heading_2": Style(14, bold=True, align="justify", first_line_indent_cm=1.27),
    "heading_3": Style(14, bold=True, italic=True, align="justify", first_line_indent_cm=1.27),
    "heading_4": Style(14, italic=True, align="justify", first_line_indent_cm=1.27),
    # Mục 7.a-b: quyền hạn (TM., KT., Q., TL., TUQ.) và chức vụ người ký in hoa, cỡ 13-14, đứng, đậm.
    "signer_title": Style(14, bold=True, upper=True),
    # Mục 7.c: họ tên người ký in thường, cỡ 13-14, đứng, đậm, canh giữa so với chức vụ.
    "signer_name": Style(14, bold=True),
    # Mục 9.a: "Nơi nhận" in thường, cỡ 12, nghiêng, đậm, sau có dấu hai chấm.
    "recipients_label": Style(12, bold=True, italic=True, align="left"),
    # Mục 9.b: danh sách nơi nhận in thường, cỡ 11, đứng; mỗi nơi một dòng bắt đầu bằng gạch ngang,
    # kết thúc bằng dấu chấm phẩy; dòng cuối "Lưu: VT, …" kết thúc bằng dấu chấm.
    "recipients": Style(11, align="left"),
    # Phần I, mục 7: số trang cỡ 13-14, đứng, canh giữa trong lề trên, không hiện ở trang đầu.
    "page_number": Style(14),
}

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# A document not yet issued carries "Dự thảo" in a box at the top right of its first page
# (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục IV: ô số 13, ký hiệu văn bản dự thảo).
DRAFT_MARK = "DỰ THẢO"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"

# The names of document types (Phụ lục III of the decree lists the abbreviations; the names are those
# of Điều 7). Keyed by the import format's ``doc_type``.
DOC_TYPE_NAMES: dict[str, str] = {
    "ke_hoach": "KẾ HOẠCH",
    "ke_hoach_lien_tich": "KẾ HOẠCH",
    "quy_che": "QUY CHẾ",
    "chuong_trinh_phoi_hop": "CHƯƠNG TRÌNH PHỐI HỢP",
    "quyet_dinh": "QUYẾT ĐỊNH",
    "bao_cao": "BÁO CÁO",
}
# Phụ lục III: chữ viết tắt tên loại văn bản.
DOC_TYPE_ABBREVIATIONS: dict[str, str] = {
    "ke_hoach": "KH",
    "ke_hoach_lien_tich": "KHLT",
    "quy_che": "QC",
    "chuong_trinh_phoi_hop": "CTr",
    "quyet_dinh": "QĐ",
    "bao_cao": "BC",
}

# --- text width estimates -------------------------------------------------------------------------
# The rule under the motto must be as long as the motto; Word draws paragraph borders, not text
# extents, so the DOCX writer sizes the rule from an estimate of the text's width. The widths are the
# Adobe core-font metrics of Times-Roman and Times-Bold (AFM, 1/1000 em), which Times New Roman and
# Liberation Serif share closely; Vietnamese letters take the width of their base letter.
_TIMES_ROMAN = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        [
            722,
            667,
            667,
            722,
            611,
            556,
            722,
            722,
            333,
            389,
            722,
            611,
            889,
            722,
            722,
            556,
            722,
            667,
            556,
            611,
            722,
            722,
            944,
            722,
            722,
            611,
            444,
            500,
            444,
            500,
            444,
            333,
            500,
            500,
            278,
            278,
            500,
            278,
            778,
            500,
            500,
            500,
            500,
            333,
            389,
            278,
            500,
            500,
            722,
            500,
            500,
            444,
        ]
        + [500] * 10,
        strict=True,
    )
)
_TIMES_BOLD = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        [
            722,
            667,
            722,
            722,
            667,
            611,
            778,
            778,
            389,
            500,
            778,
            667,
            944,
            722,
            778,
            611,
            778,
            722,
            556,
            667,
            722,
            722,
            1000,
            722,
            722,
            667,
            500,
            556,
            444,
            556,
            444,
            333,
            500,
            556,
            278,
            333,
            556,
            278,
            833,
            556,
            500,
            556,
            556,
            444,
            389,
            333,
            556,
            500,
            722,
            500,
            500,
            444,
        ]
        + [500] * 10,
        strict=True,
    )
)
_PUNCTUATION = {
    " ": 250,
    "-": 333,
    ".": 250,
    ",": 250,
    ":": 333,
    "/": 278,
    "&": 778,
    "(": 333,
    ")": 333,
    "–": 500,
    "—": 1000,
}


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Estimated printed width of ``text`` in Times New Roman at ``size_pt``."""
    table = _TIMES_BOLD if bold else _TIMES_ROMAN
    units = 0
    for char in text:
        base = unicodedata.normalize("NFD", char)[0]
        base = {"đ": "d", "Đ": "D"}.get(base, base)
        units += table.get(base, _PUNCTUATION.get(base, 500))
    return units / 1000 * size_pt * 25.4 / 72
