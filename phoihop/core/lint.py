"""Kiểm tra văn bản: the checks a plan should pass before it is issued.

Each check reads a plan dict (``phoihop.import/1``) and, for the text-level checks, the document's
raw text when there is one (the plan keeps item texts, not every sentence of the original). A
finding says where (``place``, as a person would name it: "Căn cứ 2", "Mục B.I.3"), what is wrong and
how to fix it. Checks are chosen to catch the mistakes that copying last year's file carries forward
(stale school years, the wrong lunar year, outdated legal basis) and the gaps that stop the plan from
being scheduled (items without owner or cadence, targets without a number).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, Protocol

from phoihop.core import calendar
from phoihop.core.cadence import describe
from phoihop.core.i18n import _, gettext_noop
from phoihop.core.importing.cadence import parse_cadence
from phoihop.core.numerals import roman_value, to_roman
from phoihop.core.render.lines import (
    NUMBER_LINE_RE,
    PLACE_DATE_RE,
    expected_number_line,
    expected_place_date,
    number_line_problems,
    place_date_problems,
)

Severity = Literal["error", "warning", "info"]
# "error" findings block issuing: a document with one of them is not ready to take a number and go
# out (nothing to coordinate, or a signature block still holding the template's blanks).
BLOCKING: Severity = "error"


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that must be fixed before the document is issued."""
    return [f for f in findings if f.severity == BLOCKING]


@dataclass(frozen=True)
class Finding:
    rule: str
    place: str
    text: str
    suggestion: str
    severity: Severity = "warning"


@dataclass(frozen=True)
class _Text:
    """A piece of the plan's text and where it is."""

    place: str
    text: str
    kind: str  # title | basis | section | item | target | raw


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", _nfc(text)).strip()


# --- where things are -----------------------------------------------------------------------------


def _plan_texts(plan: dict) -> list[_Text]:
    texts = [_Text(_("Tiêu đề"), _nfc(plan.get("title")), "title")]
    for index, basis in enumerate(plan.get("legal_basis") or [], start=1):
        texts.append(_Text(_("Căn cứ %(n)s") % {"n": index}, _nfc(basis.get("text")), "basis"))
    for index, target in enumerate(plan.get("targets") or [], start=1):
        texts.append(_Text(_("Chỉ tiêu %(n)s") % {"n": index}, _nfc(target.get("text")), "target"))
    for section in plan.get("sections") or []:
        place = _("Mục %(path)s") % {"path": section.get("path") or "?"}
        texts.append(_Text(place, _nfc(section.get("heading")), "section"))
    for place, item in _items(plan):
        texts.append(_Text(place, _nfc(item.get("text")), "item"))
    return texts


def _items(plan: dict) -> Iterator[tuple[str, dict]]:
    """Each commitment with its place: "Mục B.I.3" or, when a section holds several, "…, nội dung 2"."""
    items = plan.get("commitments") or []
    counts: dict[str, int] = {}
    for item in items:
        counts[item.get("section") or ""] = counts.get(item.get("section") or "", 0) + 1
    seen: dict[str, int] = {}
    for item in items:
        path = item.get("section") or ""
        seen[path] = seen.get(path, 0) + 1
        place = _("Mục %(path)s") % {"path": path} if path else _("Nội dung")
        if counts[path] > 1:
            place = _("%(place)s, nội dung %(n)s") % {"place": place, "n": seen[path]}
        yield place, item


def _raw_texts(raw_text: str | None) -> list[_Text]:
    if not raw_text:
        return []
    return [
        _Text(_("Dòng %(n)s") % {"n": number}, _nfc(line), "raw")
        for number, line in enumerate(raw_text.splitlines(), start=1)
        if line.strip()
    ]


def _covered(line: str, start: int, end: int, texts: list[_Text]) -> bool:
    """Whether the match ``line[start:end]`` is also in one of the plan's texts (reported there)."""
    window = _squash(line[max(start - 20, 0) : end + 20]).lower()
    core = _squash(line[start:end]).lower()
    squashed = [_squash(t.text).lower() for t in texts]
    if any(window in t for t in squashed):
        return True
    # The plan's texts are lightly cleaned (spaces, typos); fall back to the words around the match.
    before = _squash(line[max(start - 20, 0) : start]).lower().split(" ")[-2:]
    return any(core in t and " ".join(before) in t for t in squashed)


# Legal basis lines in the raw text (typos included: "Thực hiên").
_BASIS_LINE_RE = re.compile(r"^\W*(căn\s+cứ|thực\s+hi[eệê]n)\b", re.I)


def _text_scope(plan: dict, raw_text: str | None) -> tuple[list[_Text], list[_Text]]:
    """The plan's texts and the raw lines not already in them (legal basis lines excluded)."""
    texts = _plan_texts(plan)
    raw = [t for t in _raw_texts(raw_text) if not _BASIS_LINE_RE.match(t.text)]
    return texts, raw


# --- school year ----------------------------------------------------------------------------------

_SCHOOL_YEAR_RE = re.compile(r"năm\s+học\s*:?\s*(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})\b", re.I)
# Words that show a past school year is cited on purpose: results, reviews, last year's resolution.
_REVIEW_CONTEXT_RE = re.compile(
    r"kết quả|đánh giá|tổng kết|sơ kết|nghị quyết|năm học trước|năm học qua|so với|đã đạt", re.I
)


def parse_school_year(text: str) -> tuple[int, int] | None:
    """``"2022-2023"``, ``"2022 – 2023"`` or ``"năm học 2022-23"`` → ``(2022, 2023)``."""
    match = re.search(r"(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})\b", text or "")
    if not match:
        return None
    start, end = int(match[1]), match[2]
    return start, int(end) if len(end) == 4 else start // 100 * 100 + int(end)


def _document_years(plan: dict, school_year: str | None) -> tuple[int, int] | None:
    """The first and last year the document covers: its school year, or its period (giai đoạn)."""
    if school_year:
        return parse_school_year(school_year)
    period = plan.get("period") or {}
    if period.get("start_year"):
        return int(period["start_year"]), int(period.get("end_year") or period["start_year"])
    match = _SCHOOL_YEAR_RE.search(_nfc(plan.get("title")))
    return parse_school_year(match.group(0)) if match else None


def _school_year_findings(
    texts: list[_Text], raw: list[_Text], years: tuple[int, int]
) -> list[Finding]:
    """School years other than the document's.

    Legal basis is not checked: a basis rightly cites documents of earlier years. A plan covering a
    period (giai đoạn 2015-2020) accepts every school year inside it. The school year just before the
    document's is accepted where the sentence reviews it ("đánh giá kết quả … năm học 2021-2022"):
    plans routinely build on last year's results and resolutions.
    """
    first, last = years
    allowed = set(range(first, max(last, first + 1)))
    expected = f"{first}-{first + 1}" if last <= first + 1 else f"{first}-{last}"
    findings = []
    for source in (texts, raw):
        for text in source:
            if text.kind == "basis":
                continue
            for match in _SCHOOL_YEAR_RE.finditer(text.text):
                start, end = parse_school_year(match.group(0)) or (0, 0)
                if start in allowed and end == start + 1:
                    continue
                before = text.text[max(match.start() - 120, 0) : match.start()]
                if start == first - 1 and end == first and _REVIEW_CONTEXT_RE.search(before):
                    continue
                if text.kind == "raw" and _covered(text.text, match.start(), match.end(), texts):
                    continue
                findings.append(
                    Finding(
                        "school_year",
                        text.place,
                        _("“%(found)s” không phải năm học của văn bản (%(expected)s).")
                        % {"found": _squash(match.group(0)), "expected": expected},
                        _(
                            "Sửa thành “năm học %(expected)s” hoặc xóa nếu là nội dung chép từ năm trước."
                        )
                        % {"expected": expected},
                    )
                )
    return findings


# --- lunar year -----------------------------------------------------------------------------------

_VARIANTS = {"kỉ": "Kỷ", "quí": "Quý", "tí": "Tý", "tị": "Tỵ", "mẹo": "Mão"}
_LUNAR_RE = re.compile(
    r"(?<!\w)(Giáp|Ất|Bính|Đinh|Mậu|Kỷ|Kỉ|Canh|Tân|Nhâm|Quý|Quí)\s+"
    r"(Tý|Tí|Sửu|Dần|Mão|Mẹo|Thìn|Tỵ|Tị|Ngọ|Mùi|Thân|Dậu|Tuất|Hợi)(?!\w)",
    re.I,
)


def _lunar_year_name(year: int) -> str | None:
    """The name of the lunar year starting at the Tết of ``year``, from the calendar (one source
    of truth); None outside the years it covers."""
    try:
        return unicodedata.normalize("NFC", calendar.lunar_year_name(year))
    except calendar.CalendarError:
        return None


def _canonical_lunar(can: str, chi: str) -> str:
    can = _VARIANTS.get(can.lower(), can.capitalize())
    chi = _VARIANTS.get(chi.lower(), chi.capitalize())
    return f"{can} {chi}"


def _lunar_findings(texts: list[_Text], raw: list[_Text], years: tuple[int, int]) -> list[Finding]:
    """Lunar year names other than those of the Tết the document spans.

    A school year S-(S+1) holds the Tết of S+1; a period holds every Tết from its second year to its
    last. A name followed or preceded by the Gregorian year it belongs to ("Tết Mậu Thân 1968") is a
    historical reference and is left alone.
    """
    first, last = years
    tet_years = range(first + 1, last + 1) if last > first else range(first, first + 1)
    allowed = {_lunar_year_name(y) for y in tet_years}
    expected = ", ".join(sorted(allowed))
    findings = []
    for source in (texts, raw):
        for text in source:
            if text.kind == "basis":
                continue
            for match in _LUNAR_RE.finditer(text.text):
                if not (match[1][0].isupper() and match[2][0].isupper()):
                    continue  # "quý" is also a quarter: only a capitalised pair names a year
                name = _canonical_lunar(match[1], match[2])
                if name in allowed:
                    continue
                around = text.text[max(match.start() - 12, 0) : match.end() + 12]
                if any(
                    _lunar_year_name(int(y)) == name
                    for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", around)
                ):
                    continue
                if text.kind == "raw" and _covered(text.text, match.start(), match.end(), texts):
                    continue
                findings.append(
                    Finding(
                        "lunar_year",
                        text.place,
                        _(
                            "“%(found)s” không phải năm âm lịch của Tết trong thời gian văn bản (%(expected)s)."
                        )
                        % {"found": _squash(match.group(0)), "expected": expected},
                        _("Sửa thành “%(expected)s”.") % {"expected": expected},
                    )
                )
    return findings


# --- items and targets ----------------------------------------------------------------------------

# Phrases that set a schedule. "thường xuyên" (constantly) is left out on purpose: it describes a
# standing duty, which the design tracks by self-assessment, not by dated activities.
_RECURRENCE_RE = re.compile(
    r"\bh[àằ]ng\s+(?:ngày|tuần|tháng|quý|năm|học\s+kỳ|kỳ)\b"
    r"|\bmỗi\s+(?:tuần|tháng|quý|năm|học\s+kỳ|kỳ)\b"
    r"|\btừng\s+(?:tuần|tháng|quý|học\s+kỳ|năm\s+học)\b"
    r"|\bđịnh\s+kỳ\b"
    r"|\blần\s*/\s*(?:tuần|tháng|quý|năm|học\s+kỳ|kỳ)\b"
    r"|\b(?:đầu|cuối|giữa)\s+(?:năm\s+học|học\s+kỳ|kỳ\s+I)\b",
    re.I,
)


def _has_schedule(cadence: dict | None) -> bool:
    if not cadence:
        return False
    return bool(
        cadence.get("count")
        or cadence.get("per")
        or cadence.get("anchors")
        or cadence.get("window")
    )


def _item_findings(plan: dict) -> list[Finding]:
    findings = []
    if not any(True for _item in _items(plan)):
        findings.append(
            Finding(
                "no_items",
                _("Nội dung"),
                _("Văn bản chưa có nội dung phối hợp nào."),
                _("Thêm các nội dung phối hợp, mỗi nội dung có bộ phận chủ trì và thời gian."),
                BLOCKING,
            )
        )
    for place, item in _items(plan):
        if not item.get("parties") and not item.get("parties_raw"):
            findings.append(
                Finding(
                    "item_without_party",
                    place,
                    _("Nội dung chưa có bộ phận chủ trì thực hiện."),
                    _(
                        "Ghi rõ bộ phận chủ trì (ví dụ: Ban giám hiệu, Công đoàn, GVCN) và bộ phận phối hợp."
                    ),
                )
            )
        mismatch = _cadence_mismatch(item)
        if mismatch:
            findings.append(mismatch(place))
        match = _RECURRENCE_RE.search(_nfc(item.get("text")))
        if match and not _has_schedule(item.get("cadence")):
            findings.append(
                Finding(
                    "item_without_cadence",
                    place,
                    _(
                        "Nội dung có tính định kỳ (“%(phrase)s”) nhưng chưa nêu tần suất hay thời điểm."
                    )
                    % {"phrase": match.group(0)},
                    _(
                        "Ghi rõ số lần và chu kỳ (ví dụ: 1 lần/tháng, 2 lần/năm học) hoặc thời điểm (đầu năm học, cuối học kỳ I) để lên lịch và nhắc việc."
                    ),
                )
            )
        target = item.get("target")
        if target is not None and target.get("value") is None:
            findings.append(_unmeasurable(place))
    for index, target in enumerate(plan.get("targets") or [], start=1):
        if target.get("value") is None or not target.get("comparator"):
            findings.append(_unmeasurable(_("Chỉ tiêu %(n)s") % {"n": index}))
    return findings


def _cadence_mismatch(item: dict) -> Callable[[str], Finding] | None:
    """When the item's words say one frequency ("hai lần trong năm học") and its cadence, which
    the calendar follows, another (once a quarter): the calendar and the signed text disagree."""
    cadence = item.get("cadence") or {}
    said = parse_cadence(_nfc(item.get("text")))
    if not said or not cadence.get("per") or not cadence.get("count"):
        return None
    if "once" in (said.get("per"), cadence.get("per")) or not said.get("count"):
        return None
    if (said["count"], said["per"]) == (cadence["count"], cadence["per"]):
        return None
    scheduled = describe(cadence)

    def finding(place: str) -> Finding:
        return Finding(
            "cadence_mismatch",
            place,
            _("Nội dung ghi “%(said)s” nhưng lịch của nội dung là “%(scheduled)s”.")
            % {"said": said["text"], "scheduled": scheduled},
            _(
                "Sửa tần suất của nội dung cho khớp với câu chữ (hoặc sửa câu chữ), để lịch và văn bản nói cùng một điều."
            ),
        )

    return finding


def _unmeasurable(place: str) -> Finding:
    return Finding(
        "target_not_measurable",
        place,
        _("Chỉ tiêu chưa có giá trị đo được."),
        _("Nêu chỉ tiêu bằng con số và đơn vị (ví dụ: “đạt trên 90%”, “100% học sinh”)."),
    )


# --- legal basis ----------------------------------------------------------------------------------

# Documents replaced by others, with the date the replacement took effect. Sources: Thông tư
# 32/2020/TT-BGDĐT (Điều lệ trường THCS, THPT và trường phổ thông có nhiều cấp học), effective
# 01/11/2020, replaces Thông tư 12/2011/TT-BGDĐT; Nghị định 30/2020/NĐ-CP (công tác văn thư), effective
# 05/3/2020, replaces Nghị định 110/2004/NĐ-CP and Thông tư 01/2011/TT-BNV.
SUPERSEDED: dict[str, tuple[str, dt.date]] = {
    "12/2011/TT-BGDĐT": ("32/2020/TT-BGDĐT", dt.date(2020, 11, 1)),
    "110/2004/NĐ-CP": ("30/2020/NĐ-CP", dt.date(2020, 3, 5)),
    "01/2011/TT-BNV": ("30/2020/NĐ-CP", dt.date(2020, 3, 5)),
}
_PERIOD_RE = re.compile(r"(?:giai\s+đoạn|nhiệm\s+kỳ)\s*(\d{4})\s*[-–—]\s*(\d{4})", re.I)


def _document_date(plan: dict, years: tuple[int, int] | None) -> dt.date | None:
    if plan.get("date"):
        try:
            return dt.date.fromisoformat(plan["date"])
        except ValueError:
            pass
    return dt.date(years[0], 9, 1) if years else None


def _key(number: str) -> str:
    return re.sub(r"\s+", "", _nfc(number)).upper()


def _basis_findings(plan: dict, years: tuple[int, int] | None) -> list[Finding]:
    bases = plan.get("legal_basis") or []
    if not bases:
        return [
            Finding(
                "missing_legal_basis",
                _("Căn cứ"),
                _("Văn bản không có căn cứ ban hành."),
                _(
                    "Thêm các căn cứ: văn bản của cấp trên, quy chế phối hợp, kế hoạch năm học của đơn vị."
                ),
            )
        ]
    findings = []
    if not any((b.get("ref") or {}).get("number") for b in bases):
        findings.append(
            Finding(
                "legal_basis_without_document",
                _("Căn cứ"),
                _("Không căn cứ nào dẫn một văn bản cụ thể (số, ký hiệu, ngày ban hành)."),
                _(
                    "Dẫn văn bản làm căn cứ kèm số, ký hiệu và ngày, ví dụ “Kế hoạch số 12/KH-PGDĐT ngày 05/9/2025 của Phòng GD&ĐT …”."
                ),
                "info",
            )
        )
    when = _document_date(plan, years)
    superseded = {_key(k): v for k, v in SUPERSEDED.items()}
    for index, basis in enumerate(bases, start=1):
        place = _("Căn cứ %(n)s") % {"n": index}
        text = _nfc(basis.get("text"))
        ref = basis.get("ref") or {}
        replacement = superseded.get(_key(ref.get("number") or ""))
        if replacement and when and when >= replacement[1]:
            findings.append(
                Finding(
                    "superseded_basis",
                    place,
                    _("Văn bản %(old)s đã được thay thế bởi %(new)s.")
                    % {"old": ref["number"], "new": replacement[0]},
                    _("Căn cứ %(new)s thay cho %(old)s.")
                    % {"old": ref["number"], "new": replacement[0]},
                )
            )
        if years:
            findings.extend(_basis_date_findings(place, text, ref, years))
    return findings


def _basis_date_findings(place: str, text: str, ref: dict, years: tuple[int, int]) -> list[Finding]:
    findings = []
    first = years[0]
    # A basis named as the plan of the document's school year but dated before that school year was
    # prepared (plans for S-(S+1) are issued from the summer of S) is last year's document.
    cited = _SCHOOL_YEAR_RE.search(text)
    ref_date = None
    if ref.get("date"):
        try:
            ref_date = dt.date.fromisoformat(ref["date"])
        except ValueError:
            ref_date = None
    if cited and ref_date:
        start, _end = parse_school_year(cited.group(0)) or (0, 0)
        if ref_date < dt.date(start, 6, 1):
            findings.append(
                Finding(
                    "legal_basis_date",
                    place,
                    _("Căn cứ ghi “%(year)s” nhưng ngày ban hành %(date)s là của năm học trước.")
                    % {"year": _squash(cited.group(0)), "date": ref_date.strftime("%d/%m/%Y")},
                    _(
                        "Kiểm tra lại số và ngày của văn bản năm học %(year)s; thay bằng văn bản năm nay."
                    )
                    % {"year": f"{start}-{start + 1}"},
                )
            )
    period = _PERIOD_RE.search(text)
    if period and int(period[1]) < int(period[2]) <= first:
        ended = int(period[2]) < first
        findings.append(
            Finding(
                "legal_basis_expired",
                place,
                (
                    _(
                        "Căn cứ là văn bản cho giai đoạn %(period)s, đã kết thúc trước thời gian của văn bản."
                    )
                    if ended
                    else _(
                        "Căn cứ là văn bản cho giai đoạn %(period)s, kết thúc ngay trong năm đầu của văn bản."
                    )
                )
                % {"period": f"{period[1]}-{period[2]}"},
                _("Kiểm tra xem đã có văn bản cho giai đoạn mới chưa và căn cứ văn bản đó."),
                "warning" if ended else "info",
            )
        )
    return findings


# --- section numbering ----------------------------------------------------------------------------

_LABEL_RE = re.compile(
    r"^\s*(?P<word>phần|chương|mục|điều)?\s*(?P<label>[A-ZĐ]|[IVXLC]+|\d+)\s*(?:[.:)\-–]|\s|$)",
    re.I,
)


def _readings(label: str) -> dict[str, int]:
    """What a label can count as: "C" is a letter (3) or a Roman numeral (100)."""
    readings: dict[str, int] = {}
    if label.isdigit():
        readings["arabic"] = int(label)
    if len(label) == 1 and label.isalpha() and label.isupper() and label != "Đ":
        readings["letter"] = ord(label) - ord("A") + 1
    roman = roman_value(label) if label.isupper() else None
    if roman:
        readings["roman"] = roman
    return readings


def _write_label(kind: str, value: int) -> str:
    return {"arabic": str(value), "letter": chr(ord("A") + value - 1), "roman": to_roman(value)}[
        kind
    ]


def _numbering_findings(plan: dict) -> list[Finding]:
    """Sibling sections numbered out of sequence ("A.", "B.", "III."), as copied headings leave them.

    Each group of sections with the same parent must count on in one system (letters, Roman or
    Arabic numerals), from any start: a group may begin after numbered items ("2.", "3.").
    """
    groups: dict[tuple[str, int], list[tuple[dict, str]]] = {}
    for section in plan.get("sections") or []:
        path = section.get("path") or ""
        match = _LABEL_RE.match(_nfc(section.get("heading")))
        if not match:
            continue
        parent = path.rpartition(".")[0]
        groups.setdefault((parent, int(section.get("level") or 0)), []).append(
            (section, match["label"])
        )
    findings = []
    for members in groups.values():
        if len(members) < 2:
            continue
        first = _readings(members[0][1])
        if not first:
            continue
        # "I" opens a Roman sequence; an ambiguous first label ("C", "V") reads as the second says.
        if members[0][1] == "I":
            kind = "roman"
        else:
            second = _readings(members[1][1])
            kind = next((k for k in first if second.get(k) == first[k] + 1), next(iter(first)))
        value = first[kind]
        for section, label in members[1:]:
            value += 1
            if _readings(label).get(kind) == value:
                continue
            expected = _write_label(kind, value)
            findings.append(
                Finding(
                    "section_numbering",
                    _("Mục %(path)s") % {"path": section.get("path")},
                    _(
                        "Tiêu đề “%(heading)s” đánh số “%(label)s” không theo thứ tự của các mục cùng cấp."
                    )
                    % {"heading": _squash(section.get("heading")), "label": label},
                    _("Đánh số lại thành “%(expected)s.”.") % {"expected": expected},
                )
            )
            value = _readings(label).get(kind, value)
    return findings


# --- recipients and signers -----------------------------------------------------------------------


def _closing_findings(plan: dict) -> list[Finding]:
    findings = []
    recipients = plan.get("recipients") or []
    if not recipients:
        findings.append(
            Finding(
                "missing_recipients",
                _("Nơi nhận"),
                _("Văn bản không có nơi nhận."),
                _(
                    "Thêm “Nơi nhận:” với các đơn vị nhận kèm mục đích (để b/c, để t/h, để ph/h) và dòng “Lưu: VT.”."
                ),
            )
        )
    else:
        archive = [
            r
            for r in recipients
            if r.get("purpose") == "luu"
            or re.match(r"^\W*Lưu\b", _nfc(r.get("text") or r.get("name")))
        ]
        if not archive:
            findings.append(
                Finding(
                    "recipients_without_archive",
                    _("Nơi nhận"),
                    _("Nơi nhận thiếu dòng lưu văn bản."),
                    _("Thêm dòng cuối “- Lưu: VT.” (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục 9)."),
                )
            )
        for recipient in archive:
            text = _squash(recipient.get("text") or recipient.get("name"))
            if not re.match(r"^\W*Lưu:\s", text):
                findings.append(
                    Finding(
                        "recipients_format",
                        _("Nơi nhận"),
                        _("Dòng lưu “%(text)s” chưa đúng thể thức.") % {"text": text},
                        _(
                            "Viết “Lưu: VT, …” (chữ “Lưu”, dấu hai chấm, “VT”; kết thúc bằng dấu chấm)."
                        ),
                        "info",
                    )
                )
    signers = plan.get("signers") or []
    if not signers:
        findings.append(
            Finding(
                "missing_signer",
                _("Chữ ký"),
                _("Văn bản không có người ký."),
                _("Thêm quyền hạn (TM., KT., Q. nếu có), chức vụ và họ tên người ký."),
            )
        )
    for index, signer in enumerate(signers, start=1):
        name = _squash(signer.get("name"))
        if _PLACEHOLDER_RE.search(name) or _PLACEHOLDER_RE.search(_squash(signer.get("title"))):
            findings.append(
                Finding(
                    "signer_placeholder",
                    _("Chữ ký %(n)s") % {"n": index},
                    _("Khối chữ ký còn chỗ trống của mẫu (“%(text)s”).")
                    % {"text": name or _squash(signer.get("title"))},
                    _("Ghi chức vụ và họ tên thật của người ký."),
                    BLOCKING,
                )
            )
        elif not name or not _squash(signer.get("title")):
            findings.append(
                Finding(
                    "signer_incomplete",
                    _("Chữ ký %(n)s") % {"n": index},
                    _("Người ký thiếu chức vụ hoặc họ tên."),
                    _("Ghi đủ chức vụ (in hoa) và họ tên người ký."),
                    BLOCKING,
                )
            )
    return findings


# The blanks a template leaves in a signature block: "(họ và tên)", "(Ký, ghi rõ họ tên)",
# dots or underscores, the textbook's "Nguyễn Văn A".
_PLACEHOLDER_RE = re.compile(
    r"\(\s*(?:ký[,\s]*)?(?:ghi\s+rõ\s+)?họ\s*(?:và\s*)?tên|^[\s.…_x-]+$|\bNguyễn\s+Văn\s+A\b|"
    r"\[\s*(?:họ|tên|chức)",
    re.I,
)


# --- number, place and date -----------------------------------------------------------------------

_NUMBER_MESSAGES = {
    "label": gettext_noop("sau chữ “Số” phải có dấu hai chấm"),
    "leading_zero": gettext_noop("số nhỏ hơn 10 phải có số 0 phía trước"),
    "extra_zero": gettext_noop("số từ 10 trở lên không có số 0 phía trước"),
    "space_around_slash": gettext_noop("không để dấu cách quanh dấu gạch chéo"),
    "symbol_spacing": gettext_noop("các nhóm chữ của ký hiệu nối bằng gạch nối, không có dấu cách"),
}
_DATE_MESSAGES = {
    "comma": gettext_noop("sau địa danh phải có dấu phẩy"),
    "day_leading_zero": gettext_noop("ngày nhỏ hơn 10 phải có số 0 phía trước"),
    "month_leading_zero": gettext_noop("tháng 1, 2 phải có số 0 phía trước"),
    "month_extra_zero": gettext_noop("từ tháng 3 trở đi không viết số 0 phía trước"),
    "place_capital": gettext_noop("chữ cái đầu địa danh phải viết hoa"),
}
_HEADER_LINES = 20  # the number and date lines sit in the header, at the top of the first page


def _explain(codes: list[str], messages: dict[str, str]) -> str:
    return "; ".join(_(messages[c]) for c in codes if c in messages)


def _header_findings(plan: dict, raw_text: str | None) -> list[Finding]:
    findings = []
    number = _squash(plan.get("number"))
    if not number:
        findings.append(
            Finding(
                "missing_number",
                _("Số, ký hiệu"),
                _("Văn bản chưa có số, ký hiệu."),
                _("Văn thư cấp số khi ban hành; kiểm tra ký hiệu loại văn bản và đơn vị."),
                "info",
            )
        )
    else:
        line = number if re.match(r"^S[ốô]", number, re.I) else f"Số: {number}"
        problems = number_line_problems(line)
        if problems:
            findings.append(_number_finding(_("Số, ký hiệu"), line, problems))
    if not plan.get("date") or not _squash(plan.get("place")):
        findings.append(
            Finding(
                "missing_place_date",
                _("Địa danh, ngày tháng"),
                _("Văn bản chưa có địa danh hoặc ngày ban hành."),
                _("Ghi “<Địa danh>, ngày … tháng … năm …” khi ký ban hành."),
                "info",
            )
        )
    lines = (raw_text or "").splitlines()[:_HEADER_LINES]
    for number_in_text, raw_line in enumerate(lines, start=1):
        line = _squash(raw_line).strip("*#_ ")
        place = _("Dòng %(n)s") % {"n": number_in_text}
        if NUMBER_LINE_RE.match(line) and re.match(r"^S[ốô]\b", line, re.I):
            problems = number_line_problems(line)
            if problems:
                findings.append(_number_finding(place, line, problems))
        elif PLACE_DATE_RE.match(line):
            problems = place_date_problems(line)
            if problems:
                findings.append(
                    Finding(
                        "place_date_format",
                        place,
                        _("Dòng địa danh, ngày tháng “%(line)s” chưa đúng thể thức: %(why)s.")
                        % {"line": line, "why": _explain(problems, _DATE_MESSAGES)},
                        _("Viết “%(expected)s”.") % {"expected": expected_place_date(line)},
                    )
                )
    return findings


def _number_finding(place: str, line: str, problems: list[str]) -> Finding:
    expected = expected_number_line(line)
    return Finding(
        "number_format",
        place,
        _("Dòng số, ký hiệu “%(line)s” chưa đúng thể thức: %(why)s.")
        % {"line": line, "why": _explain(problems, _NUMBER_MESSAGES)},
        _("Viết “%(expected)s”.") % {"expected": expected}
        if expected
        else _("Viết “Số: 01/KH-ABC”."),
    )


# --- spelling -------------------------------------------------------------------------------------

HUNSPELL_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"))
_MAX_SPELLING_FINDINGS = 50


class SpellChecker(Protocol):
    def lookup(self, word: str) -> bool: ...

    def suggest(self, word: str) -> Iterator[str]: ...


@cache
def _dictionary() -> SpellChecker | None:
    """The Vietnamese Hunspell dictionary read by spylls, or ``None`` when either is missing."""
    try:
        from spylls.hunspell import Dictionary  # noqa: PLC0415 - optional dependency
    except ImportError:
        return None
    for folder in HUNSPELL_DIRS:
        if (folder / "vi_VN.dic").exists() and (folder / "vi_VN.aff").exists():
            return Dictionary.from_files(str(folder / "vi_VN"))
    return None


_WORD_RE = re.compile(r"[^\W\d_]+")


def _is_checkable(word: str) -> bool:
    """Abbreviations (CBGVNV, GDĐT) and mixed-case names (Elearning is not, COVID is) are skipped."""
    return not (len(word) > 1 and word[1:] != word[1:].lower())


# Tone marks that old and new spelling place differently on "oa", "oe", "uy" at the end of a
# syllable: "hóa"/"hoá", "khỏe"/"khoẻ", "thủy"/"thuỷ" (both are in use; Quyết định 240/QĐ-BGDĐT
# of 2024 on Vietnamese spelling in textbooks accepts either). A dictionary knows one of them.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_TONE_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})


def tone_alternative(word: str) -> str | None:
    """The same word with the tone mark on the other vowel of a final "oa", "oe" or "uy"
    ("hóa" ↔ "hoá", "khỏe" ↔ "khoẻ", "thủy" ↔ "thuỷ"), or ``None`` when there is no such pair.

    "qu" + "y" is left alone: the "u" there belongs to the consonant ("quý" has one placement).
    """
    clusters: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and clusters:
            clusters[-1] += char
        else:
            clusters.append(char)
    if len(clusters) < 2:
        return None
    first, second = clusters[-2], clusters[-1]
    if (first[0].lower(), second[0].lower()) not in _TONE_PAIRS:
        return None
    if first[0].lower() == "u" and len(clusters) >= 3 and clusters[-3][0].lower() == "q":
        return None
    tone_first = [c for c in first[1:] if c in _TONE_MARKS]
    tone_second = [c for c in second[1:] if c in _TONE_MARKS]
    if tone_first and not tone_second:
        first, second = (
            first[0] + "".join(c for c in first[1:] if c not in _TONE_MARKS),
            second + tone_first[0],
        )
    elif tone_second and not tone_first:
        first, second = (
            first + tone_second[0],
            second[0] + "".join(c for c in second[1:] if c not in _TONE_MARKS),
        )
    else:
        return None
    return unicodedata.normalize("NFC", "".join(clusters[:-2]) + first + second)


def _known(checker: SpellChecker, word: str) -> bool:
    """Whether the dictionary knows ``word`` in either tone placement."""
    if checker.lookup(word):
        return True
    alternative = tone_alternative(word)
    return alternative is not None and checker.lookup(alternative)


def _spelling_findings(texts: list[_Text], checker: SpellChecker | None) -> list[Finding]:
    if checker is None:
        return [
            Finding(
                "spelling_skipped",
                _("Chính tả"),
                _(
                    "Chưa kiểm tra chính tả: máy chủ chưa cài từ điển tiếng Việt (hunspell-vi) hoặc thư viện spylls."
                ),
                _("Cài gói hunspell-vi và thư viện spylls rồi chạy lại kiểm tra."),
                "info",
            )
        ]
    findings = []
    seen: set[str] = set()
    for text in texts:
        if text.kind == "basis":
            continue  # titles of other documents are quoted as they were issued
        for word in _WORD_RE.findall(text.text):
            lowered = word.lower()
            if lowered in seen or not _is_checkable(word) or _known(checker, word):
                continue
            seen.add(lowered)
            suggestions = [s for _i, s in zip(range(3), checker.suggest(word), strict=False)]
            findings.append(
                Finding(
                    "spelling",
                    text.place,
                    _("Có thể sai chính tả: “%(word)s”.") % {"word": word},
                    _("Sửa thành: %(options)s.")
                    % {"options": ", ".join(f"“{s}”" for s in suggestions)}
                    if suggestions
                    else _("Kiểm tra lại từ này."),
                    "info",
                )
            )
            if len(findings) >= _MAX_SPELLING_FINDINGS:
                return findings
    return findings


# --- entry points ---------------------------------------------------------------------------------


def lint(
    plan: dict,
    *,
    school_year: str | None = None,
    raw_text: str | None = None,
    spell_checker: SpellChecker | Callable[[], SpellChecker | None] | None = _dictionary,
) -> list[Finding]:
    """Every finding for ``plan``, in the order of the checks.

    ``school_year`` ("2022-2023") overrides the plan's period; ``raw_text`` (the document's text as
    imported) lets the text-level checks see sentences the plan did not keep. ``spell_checker`` is
    the Hunspell dictionary by default; ``None`` skips spelling without a note.
    """
    years = _document_years(plan, school_year)
    texts, raw = _text_scope(plan, raw_text)
    findings: list[Finding] = []
    if years:
        findings += _school_year_findings(texts, raw, years)
        findings += _lunar_findings(texts, raw, years)
    else:
        findings.append(
            Finding(
                "school_year_unknown",
                _("Tiêu đề"),
                _(
                    "Không xác định được năm học hay giai đoạn của văn bản; chưa kiểm tra năm học và năm âm lịch."
                ),
                _("Ghi năm học trong tiêu đề, ví dụ “năm học 2025-2026”."),
                "info",
            )
        )
    findings += _numbering_findings(plan)
    findings += _item_findings(plan)
    findings += _basis_findings(plan, years)
    findings += _closing_findings(plan)
    findings += _header_findings(plan, raw_text)
    if spell_checker is not None:
        checker = spell_checker() if callable(spell_checker) else spell_checker
        findings += _spelling_findings(texts, checker)
    return findings


_SEVERITY_LABELS = {
    "error": gettext_noop("Lỗi"),
    "warning": gettext_noop("Cảnh báo"),
    "info": gettext_noop("Lưu ý"),
}


def format_findings(findings: list[Finding]) -> str:
    """Findings as text for the terminal, one block per finding."""
    if not findings:
        return _("Không phát hiện vấn đề nào.")
    lines = []
    for finding in findings:
        lines.append(
            _("[%(severity)s] %(place)s: %(text)s")
            % {
                "severity": _(_SEVERITY_LABELS.get(finding.severity, finding.severity)),
                "place": finding.place,
                "text": finding.text,
            }
        )
        lines.append("    " + _("Gợi ý: %(suggestion)s") % {"suggestion": finding.suggestion})
    lines.append(_("Tổng cộng: %(n)s vấn đề.") % {"n": len(findings)})
    return "\n".join(lines)
