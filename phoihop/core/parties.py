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


# -- the partners a new unit starts with -----------------------------------------------------------

_SCHOOL_LEVELS = frozenset({"mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "other"})
_ADMINISTRATIVE_WORDS = ("thành phố", "thị trấn", "thị xã", "phường", "xã", "quận", "huyện", "tỉnh")


def _local_area(locality: str) -> str:
    """The commune-level part of a locality with its administrative word ("phường Thanh Bình,
    tỉnh Sông Lam" → "phường Thanh Bình"), or "xã/phường" when the locality does not say."""
    first = locality.split(",")[0].strip()
    if any(first.lower().startswith(word + " ") for word in _ADMINISTRATIVE_WORDS):
        return first[0].lower() + first[1:]
    return "xã/phường"


def default_parties(level: str, locality: str = "") -> list[tuple[str, str]]:
    """The (kind, name) of the partners a unit of ``level`` coordinates with in almost every plan,
    offered when the unit is set up so that its first plan finds them; the principal edits the
    names before saving.

    The lists follow the organisations named in schools' annual coordination plans: every school
    has its trade union, homeroom teachers, parents' board, and the commune's People's Committee,
    police and health station (since the two-level local government of 1 July 2025 the commune is
    the school's local authority). Primary and lower-secondary schools have a Pioneers' brigade
    (Liên đội) and a Youth Union branch of their young teachers; upper-secondary schools a Youth
    Union (Đoàn trường) and no Pioneers. Kindergartens speak of "cha mẹ trẻ". Offices (Sở, Phòng)
    coordinate with the sector's trade union and the authorities of their own level.
    """
    area = _local_area(locality)
    if level not in _SCHOOL_LEVELS:
        return [
            ("cong_doan", "Công đoàn ngành Giáo dục"),
            ("doan_thanh_nien", "Đoàn Thanh niên"),
            ("cong_an", "Công an"),
            ("y_te", "Y tế"),
            ("ubnd", "Ủy ban nhân dân"),
        ]
    parents = "Ban đại diện cha mẹ trẻ" if level == "mam_non" else "Ban đại diện cha mẹ học sinh"
    parties = [("cong_doan", "Công đoàn trường")]
    if level in ("tieu_hoc", "thcs", "lien_cap"):
        parties.append(("doi_thieu_nien", "Liên đội Thiếu niên Tiền phong Hồ Chí Minh"))
    if level in ("tieu_hoc", "thcs", "mam_non"):
        parties.append(("doan_thanh_nien", "Chi đoàn giáo viên"))
    elif level in ("thpt", "lien_cap", "other"):
        parties.append(("doan_thanh_nien", "Đoàn trường"))
    parties += [
        ("gvcn", "Giáo viên chủ nhiệm"),
        ("cmhs", parents),
        ("ubnd", f"Ủy ban nhân dân {area}"),
        ("cong_an", f"Công an {area}"),
        ("y_te", f"Trạm Y tế {area}"),
    ]
    return parties
