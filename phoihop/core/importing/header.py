"""The frame of an administrative document: what it is, who issues it, its number and date, what
it is based on, who receives it and who signs it.

Decree 30/2020/NĐ-CP fixes where these parts go (issuer and number top left, place and date top
right, title centred, legal basis before the body, recipients bottom left, signature bottom right);
once a Word file is flattened to text they come one per line in roughly that order, which is what
these readers rely on.
"""

from __future__ import annotations

import re
from datetime import date

from .structure import Para, detect_marker
from .text import collapse, fold, is_upper_text

_DOC_TYPES = [
    (
        re.compile(r"^ke hoach (lien tich|lien nganh|phoi hop lien (tich|nganh))\b"),
        "ke_hoach_lien_tich",
    ),
    (re.compile(r"^chuong trinh phoi hop\b"), "chuong_trinh_phoi_hop"),
    (re.compile(r"^ke hoach\b"), "ke_hoach"),
    (re.compile(r"^quy che\b"), "quy_che"),
    (re.compile(r"^quy dinh\b"), "quy_che"),
    (re.compile(r"^quyet dinh\b"), "quyet_dinh"),
    (re.compile(r"^bao cao\b"), "bao_cao"),
    (re.compile(r"^chuong trinh\b"), "chuong_trinh_phoi_hop"),
]
_NATIONAL = re.compile(r"cong hoa xa hoi|doc lap\s*-\s*tu do|^-+$")
_NUMBER_LINE = re.compile(
    r"(?:^|(?<=\s))(?:Số|SỐ)\s*[:.]?\s*(\d*)\.?\s*/\s*((?:(?:19|20)\d{2}\s*/\s*)?-?\s*"
    r"[A-ZĐ][A-Za-zĐđ0-9&.]*(?:\s*[-–]\s*[A-Za-zĐđ0-9&.]+)*)"
)
# A Party body's symbol puts the type before the slash: "Số 03-QC/CB", "Số: 12-NQ/ĐU"
_PARTY_NUMBER_LINE = re.compile(
    r"(?:^|(?<=\s))(?:Số|SỐ)\s*[:.]?\s*(\d{1,4})\s*-\s*([A-ZĐ][A-ZĐa-z]{0,5}\s*/\s*[A-ZĐ][A-Za-zĐđ0-9&.\-]*)"
)
# The type code of a document symbol (Decree 30, Appendix III): "…/KH-…", "…/QCPH-…".
_SYMBOL_TYPES = [
    (re.compile(r"^(KHLT|KHLN|KH-?LT|LT)$"), "ke_hoach_lien_tich"),
    (re.compile(r"^KH"), "ke_hoach"),
    (re.compile(r"^QC"), "quy_che"),
    (re.compile(r"^(CTPH|CTr-?PH|CT-?PH)"), "chuong_trinh_phoi_hop"),
    (re.compile(r"^QĐ$"), "quyet_dinh"),
    (re.compile(r"^BC$"), "bao_cao"),
]
_PLACE_DATE = re.compile(
    r"^(?:(?P<place>[^,\d]{2,40}?)\s*,\s*)?[Nn]gày\s+(?P<d>\d{1,2})\s*(?:tháng\s+|/\s*)(?P<m>\d{1,2})"
    r"\s*(?:năm\s+|/\s*)(?P<y>\d{4})"
)
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-–]|đến)\s*((?:19|20)\d{2})(?!\d)")
_BASIS_START = re.compile(
    r"^(can cu|can c|thuc hie\w*|theo de nghi|xet (y kien )?de nghi|sau khi xem xet|theo)\b"
)
# Another cited document in the same clause: "Căn cứ Quyết định …; Công văn số … ; Kế hoạch …".
_CITED_NOUN = re.compile(
    r"^(luat|bo luat|nghi dinh|nghi quyet|thong tu( lien tich)?|quyet dinh|chi thi|cong van|"
    r"ke hoach( lien tich| lien nganh)?|huong dan|chuong trinh|quy che|quy dinh|dieu le|"
    r"van ban|thong bao|to trinh)\b( so)?"
)
_BASIS_DROP = re.compile(r"^(de|nham|voi muc dich)\b")
_BASIS_TAIL = re.compile(
    r"xay dung (ke hoach|quy che|chuong trinh)|thong nhat|ban hanh (ke hoach|quy che)|nhu sau"
)
_REF_NUMBER = re.compile(
    r"(\d{1,5}(?:\s*/\s*(?:19|20)\d{2})?\s*/\s*[A-ZĐ][A-Za-zĐđ&]*(?:\s*[-–]\s*[A-ZĐ][A-Za-zĐđ&]*)*)"
)
_REF_DATE_SLASH = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_REF_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SCHOOL = re.compile(
    r"\b([Tt]rường\s+(?:THCS|THPT|TH|PTCS|PTDTBT|PTDTNT|PT|MN|TH&THCS|THCS&THPT|[Mm]ầm non|"
    r"[Tt]iểu học|[Tt]rung học cơ sở|[Tt]rung học phổ thông|[Ll]iên cấp)\b.*?)"
    r"(?=\s+(?:xây dựng|và|thống nhất|ban hành|tổ chức|lập|phối hợp|năm học)\b|[,;:()]|$)"
)
_OFFICE = re.compile(
    r"\b((?:Sở|Phòng)\s+(?:GD\s*&\s*ĐT|GDĐT|Giáo dục\s*(?:&|và)\s*Đào tạo)[^,;:()]*?)"
    r"(?=\s+(?:xây dựng|và|thống nhất|ban hành)\b|[,;:()]|$)"
)
_PAIR = re.compile(
    # "A và B (thống nhất) xây dựng …"; the "và" of "Giáo dục và Đào tạo" joins no two bodies
    r"^(?P<a>.+?)\s+và\s+(?!Đào tạo)(?P<b>(?:\S+\s+){0,11}?\S+)\s+"
    r"(?:(?:thống nhất|cùng|phối hợp) )?(?:xây dựng|ban hành)"
)
_LEVELS = [
    (re.compile(r"lien cap|th ?& ?thcs|thcs ?& ?thpt|nhieu cap hoc"), "lien_cap"),
    (re.compile(r"mam non|\bmn\b|mau giao"), "mam_non"),
    (re.compile(r"\bthcs\b|trung hoc co so"), "thcs"),
    (re.compile(r"\bthpt\b|trung hoc pho thong"), "thpt"),
    (re.compile(r"tieu hoc|\bth\b"), "tieu_hoc"),
    (re.compile(r"^so\b|\bso (gd|giao duc)|\bsgd"), "so_gd"),
    (re.compile(r"^phong\b|phong (gd|giao duc)|\bpgd"), "phong_gd"),
]

_ROLE_WORDS = re.compile(
    r"\b(hieu truong|chu tich|giam doc|truong phong|truong ban|bi thu|pho|tong phu trach|"
    r"thu truong|ban|cong doan|doan|so|phong|truong|hoi|uy ban|thuong vu|chap hanh|bch|"
    r"ke toan|van thu|nguoi lap)\b"
)
_AUTHORITY = re.compile(r"^\s*(T\s*/\s*M|K\s*/\s*T|TM|KT|TUQ|TL|Q)(?:\s*[./]\s*|\s+)(?=[A-ZĐÀ-Ỹ])")
_RECIPIENTS = re.compile(r"^n[oơ]i nh[aậ]n\b", re.IGNORECASE)
# A signature block opens with the signer's office ("HIỆU TRƯỞNG", "TRƯỞNG CÔNG AN PHƯỜNG", "PHÓ
# GIÁM ĐỐC"); "TRƯỞNG" (head) is told from "TRƯỜNG" (school) by its tone mark.
_OFFICE_START = re.compile(
    r"^(?:(?:T\s*/\s*M|K\s*/\s*T|TM|KT|Q|TUQ|TL)\s*[./]?\s*)?(?:PHÓ\s+)?"
    r"(?:HIỆU TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|BÍ THƯ|TỔNG PHỤ TRÁCH|THỦ TRƯỞNG)\b"
)
# Ranks written before a police or army officer's name ("Thượng tá Đỗ Văn Hùng").
_RANK = re.compile(r"^(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+", re.IGNORECASE)
# A single-column line this far right belongs to the right-hand (signature) column.
_RIGHT_INDENT = 24


def doc_type_of(title: str) -> str:
    folded = fold(title).strip()
    for rx, code in _DOC_TYPES:
        if rx.match(folded):
            return code
    return "other"


def doc_type_of_number(number: str | None) -> str:
    """The type a document symbol names ("01/QCPH-BCA-BGDĐT" → quy_che), or "other"."""
    if not number or "/" not in number:
        return "other"
    parts = [p for p in re.split(r"[/-]", number.split("/", 1)[1]) if p and not p.isdigit()]
    if not parts:
        return "other"
    code = parts[0]
    if len(parts) > 1 and parts[1] in ("LT", "LN"):
        code = f"{code}{parts[1]}"
    for rx, kind in _SYMBOL_TYPES:
        if rx.match(code):
            return kind
    return "other"


def is_type_line(text: str) -> bool:
    """A line that is only a document type's name, in any case ("Quy chế", "KẾ HOẠCH"): the
    title's first line even when a font or a web page lost its capitals."""
    folded = fold(text).strip(" *:.")
    return (
        doc_type_of(folded) != "other"
        and len(folded.split()) <= 4
        and not _BASIS_START.match(folded)
    )


# Titles of documents the format has no type for, which still open with their type's name.
_OTHER_TITLES = re.compile(r"^(huong dan|thong tri|phuong an|de an|thong bao)\b")


def find_title(paras: list[Para], limit: int) -> tuple[int, int] | None:
    """Index range [start, end) of the title lines (type line + trích yếu)."""
    for i in range(min(limit, len(paras))):
        folded = fold(paras[i].text).strip(" *")
        if doc_type_of(folded) == "other" and not (
            _OTHER_TITLES.match(folded) and is_upper_text(paras[i].text.split(" (")[0][:40])
        ):
            continue
        if not (
            is_upper_text(paras[i].text.split(" ")[0] + " " + _second_word(paras[i].text))
            or is_type_line(paras[i].text)
        ):
            continue
        if len(folded.split()) > 40 or _BASIS_START.match(folded):
            continue
        end = i + 1
        while end < limit:
            nxt = paras[end]
            nf = fold(nxt.text)
            if (
                _BASIS_START.match(nf)
                or nxt.text.startswith("(")
                or nxt.kind is not None
                or len(nf.split()) > 40
                or nf.rstrip().endswith("nhu sau:")
                or _NUMBER_LINE.search(nxt.text)
                or _PLACE_DATE.match(nxt.text)
            ):
                break
            end += 1
        return i, end
    return None


def _second_word(text: str) -> str:
    parts = text.split(" ")
    return parts[1] if len(parts) > 1 else ""


def parse_number(paras: list[Para], limit: int) -> str | None:
    for para in paras[:limit]:
        m = _NUMBER_LINE.search(para.text)
        if m:
            if not m.group(1):
                return None
            symbol = re.sub(r"\s*[-–]\s*", "-", m.group(2)).replace(" ", "")
            # "03/-QC": the type code left blank before the dash
            symbol = symbol.lstrip("-")
            return f"{m.group(1)}/{symbol.rstrip('.')}"
        m = _PARTY_NUMBER_LINE.search(para.text)
        if m:
            return f"{m.group(1)}-{m.group(2).replace(' ', '').rstrip('.')}"
    return None


def parse_place_date(paras: list[Para], limit: int) -> tuple[str | None, str | None]:
    candidates = list(paras[:limit]) + list(paras[limit:])
    for para in candidates:
        text = para.text
        # a flattened two-column header puts the number before the place
        text = _NUMBER_LINE.sub("", text).strip()
        m = _PLACE_DATE.match(text)
        if not m:
            continue
        try:
            when = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        place = collapse(m.group("place") or "") or None
        return place, when.isoformat()
    return None, None


def parse_period(texts: list[str]) -> dict | None:
    for text in texts:
        if not text:
            continue
        m = _PERIOD.search(text)
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if 0 < end - start <= 10:
                return {"text": m.group(0), "start_year": start, "end_year": end}
    return None


_ORG_LINE = re.compile(
    r"^(truong|phong|so|uy ban|ubnd|cong doan|cd ?cs|cdcs|tram y te|trung tam|cong an|ban|hoi|"
    r"doan|dang uy|chi bo|bo|lien doan|huyen doan|thanh doan|tinh doan)\b"
)
_SCHOOL_LINE = re.compile(r"^truong\b")
_TWO_BODIES = re.compile(
    r"^(so|phong|bo|cong an|uy ban|ubnd|truong|lien doan|cong doan)\b.+\s[-–]\s+"
    r"(so|phong|bo|cong an|uy ban|ubnd|truong|lien doan|cong doan)\b"
)


def is_joint_header(header: list[Para]) -> bool:
    """Whether the header's issuer column names two bodies side by side: "SỞ Y TẾ - SỞ GIÁO DỤC",
    or a school followed by another body ("TRƯỜNG TH&THCS …" / "TRẠM Y TẾ XÃ …"); a school
    has no body under it in a header, so the second one is a co-issuer, not a subordinate."""
    orgs = []
    for para in header:
        text = para.columns[0] if len(para.columns) > 1 else para.text
        folded = fold(text).strip()
        if _NATIONAL.search(folded) or _NUMBER_LINE.search(text) or re.match(r"so\s*[:.]", folded):
            continue
        if _TWO_BODIES.match(folded):
            return True
        if _ORG_LINE.match(folded) and (is_upper_text(text) or _SCHOOL_LINE.match(folded)):
            orgs.append(folded)
    return len(orgs) >= 2 and bool(_SCHOOL_LINE.match(orgs[0]))


def parse_issuers(
    paras: list[Para], title: str, header: list[Para], preamble: list[Para]
) -> tuple[str | None, str | None]:
    issuer = co_issuer = None
    for para in header:
        text = para.columns[0] if len(para.columns) > 1 else para.text
        if _NATIONAL.search(fold(text)) or not is_upper_text(text):
            continue
        folded = fold(text)
        if re.match(r"^(truong|phong (gd|giao)|so (gd|giao)|uy ban|ubnd|cong doan)\b", folded):
            issuer = _title_case_org(text)
    if issuer is None:
        plain = [p for p in preamble if not _BASIS_START.match(fold(p.text))]
        cited = [p for p in preamble if _BASIS_START.match(fold(p.text))]
        for para in plain + header + cited:
            for m in list(_SCHOOL.finditer(para.text)) + list(_OFFICE.finditer(para.text)):
                name = collapse(m.group(1))
                # a real name ends with a proper noun ("… Hợp Hòa"), not "trường trung học cơ sở"
                if name.split()[-1][:1].isupper():
                    issuer = _capitalise(name)
                    break
            if issuer:
                break
    for para in preamble:
        m = _PAIR.match(para.text)
        if m and not _BASIS_START.match(fold(para.text)):
            a, b = collapse(m.group("a")), collapse(m.group("b"))
            if _SCHOOL.match(a) or _OFFICE.match(a):
                issuer = issuer or _capitalise(a)
                co_issuer = _capitalise(b)
            break
    if issuer is None:
        m = re.search(r"\bgiữa\s+(.+?)\s+(?:và|với)\s+(.+?)(?:\s+(?:năm học|giai đoạn)|$)", title,
                      re.IGNORECASE)  # fmt: skip
        if m and not re.match(r"nhà trường", m.group(1), re.IGNORECASE):
            issuer, co_issuer = _capitalise(m.group(1)), _capitalise(m.group(2))
    return issuer, co_issuer


def _capitalise(text: str) -> str:
    text = text.strip(" ,.;:")
    return text[:1].upper() + text[1:]


_ACRONYMS = {"ubnd", "hdnd", "mttq", "ptdtbt", "ptdtnt", "ptcs", "gd", "gddt", "gd&dt", "mn"}


def _title_case_org(text: str) -> str:
    """ "TRƯỜNG THCS DƯƠNG HÀ" → "Trường THCS Dương Hà": acronyms stay in capitals."""
    out = []
    for n, word in enumerate(text.split()):
        folded = fold(word)
        if n > 0 and (folded in _ACRONYMS or not re.search(r"[aeiouy]", folded)):
            out.append(word)
        else:
            out.append(word.capitalize())
    return " ".join(out)


def school_level(*texts: str | None) -> str:
    for text in texts:
        if not text:
            continue
        folded = fold(text)
        for rx, code in _LEVELS:
            if rx.search(folded):
                return code
    return "other"


def split_basis(paras: list[Para]) -> list[dict]:
    """Each legal-basis clause of the preamble with the document it cites."""
    clauses: list[str] = []
    for para in paras:
        text = para.body if para.kind in ("bullet", "bullet2") else para.text
        if not _BASIS_START.match(fold(text)) or is_upper_text(text):
            continue
        # ". Sau khi xem xét …", ". Căn cứ …": a second clause in the same paragraph
        parts = [
            p
            for piece in re.split(r"(?<=[.)])\s+(?=[A-ZĐÀ-Ỹ])", text)
            for p in re.split(r"\s*;\s*", piece)
        ]
        current: list[str] = []
        for part in parts:
            pf = fold(part).strip()
            if not pf:
                continue
            cited = _CITED_NOUN.match(pf) and re.search(r"\d+\s*/", part[:60])
            if _BASIS_START.match(pf) or _BASIS_DROP.match(pf) or cited:
                if current:
                    clauses.append(" ".join(current))
                current = [part]
            else:
                current.append(part)
        if current:
            clauses.append(" ".join(current))
    out = []
    for clause in clauses:
        if _BASIS_DROP.match(fold(clause).strip()):
            continue
        clause = _cut_tail(clause)
        clause = re.sub(r"\bsố\s*[:;]?\s*", "số ", clause)
        clause = collapse(clause).strip(" ,;.:")
        if len(clause.split()) < 3:
            continue
        out.append({"text": clause, "ref": cited_document(clause)})
    return out


def _cut_tail(clause: str) -> str:
    pieces = clause.split(",")
    for n in range(1, len(pieces)):
        if _BASIS_TAIL.search(fold(pieces[n])):
            return ",".join(pieces[:n])
    return clause


def cited_document(text: str) -> dict | None:
    number = None
    m = _REF_NUMBER.search(text)
    if m:
        number = re.sub(r"\s*[-–]\s*", "-", m.group(1))
        number = re.sub(r"\s*/\s*", "/", number)
    when = None
    for rx in (_REF_DATE_SLASH, _REF_DATE_WORDS):
        d = rx.search(text)
        if d:
            try:
                when = date(int(d.group(3)), int(d.group(2)), int(d.group(1))).isoformat()
            except ValueError:
                when = None
            break
    if number is None and when is None:
        return None
    return {"number": number, "date": when}


_PURPOSES = [
    (re.compile(r"phoi hop|ph/h|p/h\b"), "phoi_hop"),
    (re.compile(r"b/c|\bbc\b|bao cao"), "bao_cao"),
    (re.compile(r"th/q|theo doi|b/d|de biet|\bbiet\b|t/d"), "theo_doi"),
    (re.compile(r"th/h|t/h|t/hien|th/hien|thuc hien|thi hanh|t\.hien|t/hi"), "thuc_hien"),
]


def parse_recipient(text: str) -> dict:
    text = collapse(text)
    name = text.strip(" ;,.")
    purpose = None
    m = re.search(r"\(([^)]*)\)?\s*[;,.]?\s*$", name)
    words = ""
    if m:
        words = re.sub(r"\s*/\s*", "/", fold(m.group(1)))  # "( t / h )"
        name = name[: m.start()].strip(" ;,.")
    else:
        tail = re.search(r"\s+(?:để\s+)?(b/c|t/h|th/h|ph/h|th/q)\s*$", name, re.IGNORECASE)
        if tail:
            words = fold(tail.group(1))
            name = name[: tail.start()].strip(" ;,.")
    if words:
        hits = []
        for rx, code in _PURPOSES:
            found = rx.search(words)
            if found:
                hits.append((found.start(), code))
        if hits:
            purpose = min(hits)[1]
    if re.match(r"^lưu\b", name, re.IGNORECASE):
        purpose = "luu"
    return {"text": text, "name": name, "purpose": purpose}


_UNMARKED_RECIPIENT = re.compile(r"^[^:]{3,90}(?:;|\.|\([^)]{1,20}\)[;.]?)$")


def find_recipients(paras: list[Para], start: int) -> tuple[list[dict], int | None]:
    """Recipients after "Nơi nhận:"; returns them and the index of the "Nơi nhận" line."""
    for i in range(start, len(paras)):
        if not _RECIPIENTS.match(paras[i].text):
            continue
        out = []
        inline = re.sub(r"^n[oơ]i nh[aậ]n\s*:?\s*", "", _left(paras[i]), flags=re.IGNORECASE)
        inline = inline.lstrip("-–• ").strip()
        if inline:
            out.append(parse_recipient(inline))
        for para in paras[i + 1 :]:
            text = _left(para)
            kind, _label, body = detect_marker(text)
            if not text:
                continue
            if kind in ("bullet", "bullet2"):
                out.append(parse_recipient(body))
            elif re.match(r"^lưu\b", text, re.IGNORECASE) and len(text) < 40:
                out.append(parse_recipient(text))
            elif kind is None and _UNMARKED_RECIPIENT.match(text) and not is_upper_text(text):
                # a recipient whose dash was left out (or lost by OCR): short, ends with ";"
                out.append(parse_recipient(text))
            else:
                break
        return out, i
    return [], None


def _left(para: Para) -> str:
    """The left-hand cell of a flattened two-column line (the whole line otherwise)."""
    if len(para.columns) > 1:
        return para.columns[0]
    if para.columns and para.indent >= _RIGHT_INDENT:
        return ""
    return para.text


def is_signature_start(para: Para) -> bool:
    text = para.text
    if _AUTHORITY.match(text) and is_upper_text(_AUTHORITY.sub("", text)):
        return True
    if is_upper_text(text) and len(text.split()) <= 8 and _OFFICE_START.match(text):
        return not re.search(r"\b(ke hoach|quy che|phoi hop)\b", fold(text))
    folded = fold(text)
    return (
        is_upper_text(text)
        and len(text.split()) <= 8
        and bool(
            re.search(r"\b(hieu truong|chu tich|giam doc|truong phong|truong ban|bi thu)\b", folded)
        )  # fmt: skip
        and not re.search(r"\b(ke hoach|quy che|phoi hop)\b", folded)
    )


def _is_name(text: str) -> bool:
    text = _RANK.sub("", text)
    parts = text.split()
    if not 2 <= len(parts) <= 6 or any(ch.isdigit() for ch in text):
        return False
    if not all(p[:1].isupper() for p in parts):
        return False
    if re.search(r"[:;,()/.]", text):
        return False
    return not (is_upper_text(text) and _ROLE_WORDS.search(fold(text)))


def parse_signers(paras: list[Para]) -> list[dict]:
    """Signature blocks: authority (TM./KT./Q.), title lines, then the signer's name.

    Two blocks side by side (a joint plan's signatures, or "Nơi nhận" beside the signature, as a
    flattened table) are read column by column: left cells and unindented lines, then right cells
    and far-indented lines.
    """
    left: list[tuple[str | None, str]] = []
    right: list[tuple[str | None, str]] = []
    for para in paras:
        if len(para.columns) > 1:
            cells = [para.columns[0], " ".join(para.columns[1:])]
            for stream, cell in zip((left, right), cells, strict=True):
                stream.append((detect_marker(cell)[0], cell))
        elif para.columns and para.indent >= _RIGHT_INDENT:
            right.append((para.kind, para.text))
        else:
            left.append((para.kind, para.text))
    signers = _signers_of(left) + _signers_of(right)
    if not signers and not any(len(p.columns) > 1 for p in paras):
        # one column, the name centred under its title by spaces: read the lines in order
        signers = _signers_of([(p.kind, p.text) for p in paras])
    return signers


def _signers_of(rows: list[tuple[str | None, str]]) -> list[dict]:
    signers = []
    lines: list[str] = []
    for kind, text in rows:
        text = text.strip()
        if kind in ("bullet", "bullet2") or _RECIPIENTS.match(text):
            lines = []
            continue
        if _is_name(text) and lines:
            signers.append(_signer(lines, text))
            lines = []
        elif is_upper_text(text) or _AUTHORITY.match(text):
            lines.append(text)
        else:
            lines = []
    return signers


def _signer(lines: list[str], name: str) -> dict:
    authority = None
    first = lines[0]
    m = _AUTHORITY.match(first)
    if m:
        code = re.sub(r"[\s/]", "", m.group(1)).upper()
        authority = {"TM": "TM.", "KT": "KT.", "Q": "Q.", "TUQ": "TUQ.", "TL": "TL."}.get(code)
        rest = [first[m.end() :].strip()] + lines[1:]
        title = " — ".join(r for r in rest if r)
    else:
        title = " ".join(lines)
    return {"authority": authority, "title": collapse(title), "name": collapse(_RANK.sub("", name))}
