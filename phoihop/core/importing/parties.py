"""Who acts in an item: the party codes of ``IMPORT_FORMAT.md`` found in Vietnamese text.

A name in an item does not always mean that organisation takes part: "chăm lo đời sống cho CBGV"
names the staff as beneficiaries, "kế hoạch của Bộ GD&ĐT" names a document's author. So each
mention gets a *role* from the words around it — subject (at the start of a sentence), partner
("phối hợp với", "cùng", "giữa … và"), directed ("chỉ đạo X"), agent ("được X thông qua") or
mere mention — and the generic names (nhà trường, cán bộ giáo viên, cấp trên, các tổ) count only
in the first four roles. Named organisations (Công an, Trạm y tế, Hội …) count wherever they are
named, except as a document's author.

Items that start with a verb have no written subject: their parties come from the section heading
("Giữa nhà trường với Công đoàn", "Đối với Công an phường", "Trách nhiệm của nhà trường") or, failing
that, from the bodies the document is between.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

# (code, folded regex, weak). Longer, more specific patterns first: a span is claimed once.
_PATTERNS: list[tuple[str, str, bool]] = [
    ("doan_doi", r"doan\s*[,\-–&]?\s*doi\b(?!\s*ngu)", False),
    ("hoi_dong_thi_dua", r"hoi dong thi dua( khen thuong)?", False),
    ("hoi_dong_truong", r"hoi dong truong\b(?! hoc)", False),
    ("ban_ttnd", r"ban (thanh tra nhan dan|ttnd)|\bttnd\b", True),
    (
        "cmhs",
        r"(ban dai dien|hoi)( hoi)? (cha me (hoc sinh|tre)|cmhs|cmt|phu huynh)|\bcmhs\b|"
        r"cha me (hoc sinh|tre|cac chau|cac em)\b|\bcmt\b|phu huynh|"
        r"gia dinh (moi |tung |cac )?(hoc sinh|nguoi hoc|hs|tre)\b|ban dai dien\b|\bbdd\b|\bbddcmhs\b|\bphhs\b",
        False,
    ),
    # the teacher in charge of a class or a mầm non group acts as its GVCN
    (
        "gvcn",
        r"\bgvcn\b|giao vien chu nhiem|\bco giao\b(?<!thay co giao)(?<!cac co giao)(?<!nu co giao)|"
        r"giao vien (cac |tung )?(nhom |lop )?(lop|nhom|nhom lop)\b|giao vien phu trach (lop|nhom)",
        False,
    ),
    # the school's own nurse is staff, not the health station
    (
        "can_bo_giao_vien",
        r"nhan vien y te( (cua )?(nha )?truong)?|can bo y te (cua )?(nha )?truong",
        True,
    ),
    ("hoi_lhtn", r"hoi (lien hiep thanh nien|lhtn)", False),
    (
        "hoi_phu_nu",
        r"hoi (lien hiep )?phu nu|hoi lhpn|\bhoi pn\b|\bphu nu (xa|phuong|thi tran)",
        False,
    ),
    ("hoi_ccb", r"cuu chien binh|hoi ccb", False),
    ("hoi_nong_dan", r"hoi nong dan|\bhoi nd\b", False),
    (
        "hoi_khuyen_hoc",
        r"(?<!quy )(?<!khuyen day - )(?<!khuyen day – )\b(hoi )?khuyen hoc|\bhoi kh\b",
        False,
    ),
    ("mttq", r"mat tran\s*to quoc|\b(ub)?mttq\b", False),
    ("doan_the_truong", r"(to chuc )?doan the (trong |cua )?nha truong", False),
    ("mttq", r"(to chuc )?doan the\b", True),
    ("lien_doan_lao_dong", r"lien doan lao dong|\bldld\b", False),
    (
        "cong_doan",
        r"(ban chap hanh|bch|ban thuong vu|ubkt)\s*(cong doan|cd\b)|\bbchcd\b|"
        r"(to |cac to )?cong doan( co so| nganh| giao duc| bo phan| truong| nha truong)?(?! vien)|"
        r"\bcdcs\b|\bcdgd\b|\bcdn\b|\bcd\b",
        False,
    ),
    (
        "can_bo_giao_vien",
        r"cong doan vien|doan vien cong doan|doan vien\b|\bcbgvnv\b|"
        r"\bcb\s*-\s*gv\s*-\s*nv\b|\bcbgv\b(,? nv)?|\bcb, gv, nv\b|\bcbcc(vc)?\b|\bcbvc\b|"
        r"can bo,? (giao vien|nha giao)(,? nhan vien)?|doi ngu|vien chuc|nguoi lao dong|"
        r"\bnha giao\b",
        True,
    ),
    ("gvcn", r"\bgvcn\b", False),
    (
        "doan_thanh_nien",
        r"doan (tn|thanh nien)|chi doan|bi thu doan|to chuc doan\b|doan truong|"
        # "Huyện đoàn", "Tỉnh đoàn": the Youth Union of a locality (not "tinh đoàn kết")
        r"\b(huyen|tinh|thanh|quan|xa|phuong) doan\b(?! (ket|vien|the|cong tac))",
        False,
    ),
    ("doi_thieu_nien", r"doi (tntp|tn|thieu nien)|lien doi|tpt doi|\btptd\b|tong phu trach", False),
    ("dang_uy", r"dang uy|cap uy", False),
    ("chi_bo", r"chi bo|dang bo (nha )?truong", False),
    (
        "ubnd",
        r"\bubnd\b|uy ban nhan dan|chinh quyen (o )?(dia phuong|xa|phuong|thi tran)|"
        r"co quan chuc nang|ban nganh (xa|phuong|thi tran|dia phuong)",
        False,
    ),
    ("cong_an", r"\bcong an\b|\bca (xa|phuong|thi tran)\b|\bcax\b", False),
    ("y_te", r"tram y te|trung tam y te|y te (xa|phuong|thi tran)|\btt?yt\b", False),
    ("doanh_nghiep", r"doanh nghiep|nha hao tam|manh thuong quan", False),
    ("to_dan_pho", r"\bto dan pho\b|\btdp\b|\bkhu dan cu\b|\bthon,? xom\b|\btruong thon\b", False),
    # "chỉ đạo các thôn, xóm …": villages count only when they act or are directed
    ("to_dan_pho", r"\b(cac|tung) (thon|xom|lang|ban(?! nganh)|khu pho)\b", True),
    (
        "lanh_dao",
        r"ban giam hieu|\bbgh\b|(pho )?hieu truong|ban lanh dao|"
        r"(ban giam doc|lanh dao) (nha truong|truong|so|phong)\b"
        r"( (gd ?& ?dt|gddt|giao duc( ?(&|va) ?dao tao)?))?|ban giam doc",
        False,
    ),
    (
        "co_quan_quan_ly",
        r"bo (gd ?& ?dt|gddt|giao duc)|so (gd ?& ?dt|gddt|giao duc)|"
        r"phong (gd ?& ?dt|gddt|giao duc)|\bpgd\b|cap tren|cac cap lanh dao",
        True,
    ),
    ("to_chuyen_mon", r"to chuyen mon|\bto cm\b", False),
    ("to_chuyen_mon", r"cac to\b(?! (cong doan|chuc|dan))|cac khoi\b", True),
    (
        "lanh_dao",
        r"nha truong|nha truong|chinh quyen(?! (o )?(dia phuong|xa|phuong|thi tran))",
        True,
    ),
]
_COMPILED = [(code, re.compile(rx), weak) for code, rx, weak in _PATTERNS]

# Case-sensitive forms: "Đoàn" / "Đội" alone name the youth organisations only when capitalised.
_CAPITAL = [
    ("doan_thanh_nien", re.compile(r"\bĐoàn\b(?!\s+(viên|thể|kết|trao|công tác|ra))")),
    ("doi_thieu_nien", re.compile(r"\bĐội\b(?!\s+(ngũ|tự quản|tuyển|xung kích))")),
]

_DOC_NOUNS = re.compile(
    r"(ke hoach|chuong trinh|quyet dinh|chi thi|nghi quyet|dieu le|cong van|quy che|van ban|"
    r"huong dan|chu truong|thong tu|luat|nhiem vu chuyen mon)\s+(\S+\s+){0,4}cua\s+$|"
    r"(nghi quyet( dai hoi)?|dieu le)\s+$"
)
# A fund or prize named after an organisation ("Quỹ Mái ấm Công đoàn") does not make it a party.
_NAMED_AFTER = re.compile(r"\b[Qq]uỹ\s+(\S+\s+){0,3}$")
_PARTNER_BEFORE = re.compile(
    r"((?<!doi )voi|cung|cung voi|giua|de|giup|ho tro|tham muu( cho| voi)?|de nghi|"
    r"cung cap( thong tin)? cho|(cac )?(cuoc|buoi) hop cua|"
    r"(bao cao|trao doi|de xuat|kien nghi|thong bao)( cho| voi| len)?)\s+"
    r"(cac |toan the |dai dien |luc luong |to chuc |co quan )?$"
)
# "mời X" (invite) — matched on the original text, "mỗi" (each) folds to the same letters.
_INVITE_BEFORE = re.compile(r"\b[Mm]ời\s+(\S+\s+){0,2}$")
_DIRECTED_BEFORE = re.compile(
    r"(chi dao|giao|phan cong|huong dan)\s+(tot )?(cac )?(hoat dong (cua )?(cac )?)?$"
)
# "được X …", "dưới sự chỉ đạo của X": X takes part as the one who steers
_AGENT_BEFORE = re.compile(
    r"\bduoc\s+(cac )?$|\bduoi su (chi dao|lanh dao|huong dan|dieu hanh)( truc tiep)? cua\s+$"
)
_LOCATIVE_BEFORE = re.compile(
    r"(trong|cua|ngoai|vao|quanh|toan|tai|khoi|den|dua|xay dung|hoat dong)\s+(toan )?$"
)
_SUBJECT_LEAD = re.compile(
    r"^(((hang|moi|tung) (ngay|tuan|thang|quy|nam hoc|nam|hoc ky|hoc ki)|"
    r"dinh ky( \d{1,2} (thang|tuan) (mot|1|01) lan)?|thuong xuyen|dong thoi|sau do|"
    r"trong do|ngoai ra|(vao )?(dau|cuoi) (moi )?(nam hoc|hoc ky|hoc ki|thang|quy))[,]?\s+)?(cac |dai dien (cua )?|toan the |ban |luc luong |to chuc |"
    r"truong |thu truong |lanh dao |chi )?$"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+")
_VERB_START = re.compile(
    r"^(phoi hop|chi dao|to chuc|tham muu|day manh|tang cuong|tiep tuc|thuc hien|xay dung|"
    r"trien khai|quan tam|tich cuc|chu dong|dam bao|lam tot|tuyen truyen|van dong|ho tro|"
    r"kiem tra|phat hien|thong bao|quan triet|phat huy|cung|thong nhat|duy tri|long ghep|"
    r"nang cao|co ke hoach|trong cac|truoc khi)\b"
)


_ACTING = ("subject", "partner", "directed", "agent")
# Generic names that count only in some roles ("cán bộ giáo viên" are usually beneficiaries).
_ROLES_FOR = {
    "can_bo_giao_vien": ("subject", "agent"),
    "mttq": ("subject",),
    "co_quan_quan_ly": ("subject", "agent", "directed"),
}


def _first_sentence_end(folded: str) -> int:
    m = _SENTENCE_SPLIT.search(folded)
    return m.start() if m else len(folded)


@dataclass(frozen=True)
class Mention:
    code: str
    start: int
    end: int
    role: str  # subject | partner | directed | agent | mention | locative | author
    weak: bool


def expand_code(code: str) -> list[str]:
    """The party codes a mention stands for ("Đoàn Đội" is both the Youth Union and Pioneers)."""
    if code == "doan_doi":
        return ["doan_thanh_nien", "doi_thieu_nien"]
    if code == "doan_the_truong":
        return ["cong_doan", "doan_thanh_nien", "doi_thieu_nien"]
    return [code]


def find_mentions(text: str, self_office: str | None = None) -> list[Mention]:
    """Every party name in ``text`` with its role, in order of appearance.

    ``self_office`` ("phong" or "so") is the kind of education office that issues the document:
    its own name ("Phòng GD&ĐT" in a Phòng's plan) is its leadership, not a managing body.
    Cached: an item's text is read for its parties and again for the importer's confidence.
    """
    return list(_find_mentions(text, self_office))


def clear_cache() -> None:
    _find_mentions.cache_clear()


@lru_cache(maxsize=2048)
def _find_mentions(text: str, self_office: str | None) -> tuple[Mention, ...]:
    folded = fold(text)
    taken = [False] * len(folded)
    found: list[tuple[str, int, int, bool]] = []
    for code, rx, weak in _COMPILED:
        for m in rx.finditer(folded):
            s, e = m.start(), m.end()
            if s == e or any(taken[s:e]):
                continue
            for k in range(s, e):
                taken[k] = True
            found.append((code, s, e, weak))
    for code, rx in _CAPITAL:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if any(taken[s:e]):
                continue
            for k in range(s, e):
                taken[k] = True
            found.append((code, s, e, False))
    found.sort(key=lambda t: t[1])
    mentions = []
    sentence_starts = [0] + [m.end() for m in _SENTENCE_SPLIT.finditer(folded)]
    previous_end = -100
    previous_role = ""
    for code, s, e, weak in found:
        if code == "co_quan_quan_ly" and self_office and folded[s:e].startswith(self_office[0]):
            if folded[s:e].startswith(
                ("phong", "pgd") if self_office == "phong" else ("so", "sgd")
            ):
                code, weak = "lanh_dao", False
        sent_start = sentence_starts[bisect_right(sentence_starts, s) - 1]
        before = folded[max(sent_start, s - 40) : s]
        lead = folded[sent_start:s]
        role = "mention"
        gap = folded[previous_end:s] if previous_end >= 0 else ""
        if _SUBJECT_LEAD.match(lead.strip() + " " if lead.strip() else ""):
            role = "subject"
        elif previous_role in ("subject", "partner") and re.fullmatch(r"\s*(,|va|,\s*va)?\s*", gap):
            role = previous_role
        elif _DOC_NOUNS.search(before) or _NAMED_AFTER.search(text[max(0, s - 40) : s]):
            role = "author"
        elif _INVITE_BEFORE.search(text[max(sent_start, s - 20) : s]):
            role = "partner"
        elif _AGENT_BEFORE.search(before):
            role = "agent"
        elif _DIRECTED_BEFORE.search(before):
            role = "directed"
        elif _PARTNER_BEFORE.search(before):
            role = "partner"
        elif _LOCATIVE_BEFORE.search(before):
            role = "locative"
        mentions.append(Mention(code, s, e, role, weak))
        previous_end, previous_role = e, role
    return tuple(mentions)


def codes_in(text: str, self_office: str | None = None) -> list[str]:
    """All party codes named in ``text`` (for headings, titles and recipients), in order."""
    out: list[str] = []
    for m in find_mentions(text, self_office):
        if m.role == "author" or (m.weak and m.role not in _ACTING):
            continue
        for code in expand_code(m.code):
            if code not in out:
                out.append(code)
    return out


def item_parties(
    text: str, context: list[str], narrow: bool = False, self_office: str | None = None
) -> list[str]:
    """The parties of one item, lead first.

    ``context`` is what the enclosing section (or the document) says about who acts, lead first.
    With ``narrow`` (a section about one partner: "Đối với …", "Trách nhiệm của …"), an item that
    names its own partner ("phối hợp với các tổ dân phố") keeps the lead and that partner only.
    """
    mentions = find_mentions(text, self_office)
    counted: list[Mention] = []
    for m in mentions:
        if m.role == "author":
            continue
        if m.weak and m.role not in _ROLES_FOR.get(m.code, _ACTING):
            continue
        if not m.weak and m.role == "locative" and m.code in ("lanh_dao",):
            continue
        counted.append(m)
    first_sentence_end = _first_sentence_end(fold(text))
    has_subject = (
        bool(counted)
        and counted[0].role in ("subject", "agent")
        and counted[0].start < first_sentence_end
        and not _VERB_START.match(fold(text).lstrip())
    )
    out: list[str] = []
    if narrow and context and any(m.role == "partner" for m in counted):
        context = context[:1]
    if not has_subject:
        for code in context:
            if code not in out:
                out.append(code)
    for m in counted:
        for code in expand_code(m.code):
            if code not in out:
                out.append(code)
    return out


# A body the codes do not know, named as the partner: "phối hợp với Đài truyền thanh huyện".
_PARTNER_LIST = re.compile(r"\b(?:[Pp]hối hợp|[Cc]ùng|[Kk]ết hợp)(?: chặt chẽ)? với\s+([^.;:()]+)")
_ORG_HEAD = re.compile(
    r"^(?:các\s+)?(Hội|Đài|Trung tâm|Ban|Viện|Thư viện|Bảo tàng|Nhà văn hóa|Nhà văn hoá|"
    r"Bệnh viện|Ngân hàng|Chi nhánh|Câu lạc bộ|Hạt|Đồn|Bưu điện|Báo|Phòng)\s+[^\W\d_]"
)


def unknown_partners(text: str, self_office: str | None = None) -> list[str]:
    """Names of partner bodies that no party code covers (for ``other`` and ``parties_raw``)."""
    out: list[str] = []
    for m in _PARTNER_LIST.finditer(text):
        for part in re.split(r",\s*|\s+và\s+", m.group(1)):
            part = part.strip()
            if not part[:1].isupper():
                break
            # the name ends where the clause goes on ("… huyện đưa tin …", "… để …")
            name = re.split(
                r"\s+(?:để|trong|về|nhằm|tại|đưa|tổ chức|vận động|tuyên truyền)\s", part
            )[0]
            name = " ".join(name.split()[:6])
            if _ORG_HEAD.match(name) and not codes_in(part, self_office):
                out.append(name)
    return out


_CONTEXT_FORMS = [
    # "Giữa nhà trường với X", "Phối hợp giữa A và B"
    (re.compile(r"\bgiua\b(.*)"), "between"),
    # "Đối với X", "Phối hợp với X"
    (re.compile(r"^\s*(?:doi voi|phoi hop voi|voi)\b(.*)"), "with"),
    # "Trách nhiệm của X", "Nhiệm vụ của X"
    (re.compile(r"(?:trach nhiem|nhiem vu)( vu)?\s+cua\b(.*)"), "of"),
]


def heading_context(
    heading_body: str, self_office: str | None = None
) -> tuple[str, list[str]] | None:
    """What a section heading says about who acts in its items.

    Returns ("between", [A, B]), ("with", [X…]) or ("of", [X]) — or None for a topic heading.
    A heading that is only a party's name ("1. Công đoàn:") counts as "of".
    """
    folded = fold(heading_body)
    for rx, form in _CONTEXT_FORMS:
        m = rx.search(folded)
        if not m:
            continue
        codes = codes_in(heading_body[m.start(m.lastindex or 1) :], self_office)
        if form == "between" and "lanh_dao" not in codes and "nha truong" in folded[: m.start()]:
            codes.insert(0, "lanh_dao")
        if codes:
            return form, codes
    codes = codes_in(heading_body, self_office)
    if codes and len(folded.split()) <= 6:
        return "of", codes
    return None
