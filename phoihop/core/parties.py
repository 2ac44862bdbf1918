"""The vocabulary of party kinds (see ``shared/IMPORT_FORMAT.md``: one code per kind of organisation).

Labels are Vietnamese names for people; codes are the stable contract of the import format.
"""

from __future__ import annotations

from phoihop.core.i18n import _, gettext_noop

# (code, label) — the order is the one used in pickers: the unit itself, internal bodies, then
# outside partners.
PARTY_KIND_LABELS: tuple[tuple[str, str], ...] = (
    ("lanh_dao", gettext_noop("Lãnh đạo nhà trường (BGH)")),
    ("cong_doan", gettext_noop("Công đoàn")),
    ("doan_thanh_nien", gettext_noop("Đoàn Thanh niên")),
    ("doi_thieu_nien", gettext_noop("Đội Thiếu niên Tiền phong")),
    ("gvcn", gettext_noop("Giáo viên chủ nhiệm")),
    ("cmhs", gettext_noop("Cha mẹ học sinh")),
    ("chi_bo", gettext_noop("Chi bộ")),
    ("hoi_dong_truong", gettext_noop("Hội đồng trường")),
    ("hoi_dong_thi_dua", gettext_noop("Hội đồng thi đua khen thưởng")),
    ("ban_ttnd", gettext_noop("Ban thanh tra nhân dân")),
    ("to_chuyen_mon", gettext_noop("Tổ chuyên môn")),
    ("can_bo_giao_vien", gettext_noop("Cán bộ, giáo viên, nhân viên")),
    ("dang_uy", gettext_noop("Đảng ủy xã/phường")),
    ("ubnd", gettext_noop("UBND xã/phường")),
    ("mttq", gettext_noop("Mặt trận Tổ quốc")),
    ("hoi_phu_nu", gettext_noop("Hội Phụ nữ")),
    ("hoi_ccb", gettext_noop("Hội Cựu chiến binh")),
    ("hoi_nong_dan", gettext_noop("Hội Nông dân")),
    ("hoi_khuyen_hoc", gettext_noop("Hội Khuyến học")),
    ("hoi_lhtn", gettext_noop("Hội Liên hiệp thanh niên")),
    ("cong_an", gettext_noop("Công an")),
    ("y_te", gettext_noop("Y tế")),
    ("doanh_nghiep", gettext_noop("Doanh nghiệp, nhà hảo tâm")),
    ("co_quan_quan_ly", gettext_noop("Cơ quan quản lý giáo dục")),
    ("lien_doan_lao_dong", gettext_noop("Liên đoàn Lao động")),
    ("to_dan_pho", gettext_noop("Tổ dân phố, thôn, xóm")),
    ("other", gettext_noop("Khác")),
)

PARTY_CODES: frozenset[str] = frozenset(code for code, _label in PARTY_KIND_LABELS)

# Kinds that belong to the school itself; the others are outside partners.
INTERNAL_KINDS: frozenset[str] = frozenset(
    {
        "lanh_dao",
        "cong_doan",
        "doan_thanh_nien",
        "doi_thieu_nien",
        "gvcn",
        "chi_bo",
        "hoi_dong_truong",
        "hoi_dong_thi_dua",
        "ban_ttnd",
        "to_chuyen_mon",
        "can_bo_giao_vien",
    }
)


def party_label(code: str) -> str:
    """The Vietnamese label of a party code, translated to the active language."""
    for known, label in PARTY_KIND_LABELS:
        if known == code:
            return _(label)
    return code
