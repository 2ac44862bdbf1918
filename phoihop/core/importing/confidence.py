"""How sure the importer is of each part it read, and why it doubts.

A principal checks the import preview; on a sixty-item plan the useful thing to show is the two
items that are probably wrong. Every extracted part gets ``confidence`` (0–1) and ``doubts`` (the
reasons, in Vietnamese, that lowered it). The signals are the ones a careful reader would use:

* the text came from OCR and the recogniser was unsure of the words;
* the text has characters no Vietnamese document has (OCR or font damage left them);
* an item names no party and took its parties from its section's heading, or found none;
* an item speaks of time ("hằng tháng", "định kỳ", "tháng 9") but no cadence was read from it;
* an item is very long (several items run together) or only a few words (a fragment);
* a heading is as long as a sentence (a paragraph taken for a heading);
* a signer has no name.

The rules are deliberately simple and stated here, so the preview can say *why* in words.
"""

from __future__ import annotations

import re

from phoihop.core.i18n import _

from .parties import find_mentions
from .text import fold

DOUBTFUL = 0.7

_TIME_WORDS = re.compile(
    r"\b(hang (ngay|tuan|thang|quy|nam|ky)|dinh ky|moi (tuan|thang|quy|nam|hoc ky)|"
    r"lan ?/ ?(nam|thang|tuan|hoc ky|ky)|\d+ lan|thang \d{1,2}\b|quy [i1v]|dau nam|cuoi nam|"
    r"hoc ky|thuong xuyen)"
)
# Letters a Vietnamese text can hold; anything else inside a word is damage.
_ODD = re.compile(r"[^\w\s.,;:!?()\[\]\"'“”‘’%/&+\-–—…*•°§#=<>|«»]")


def _ocr_confidence(lines: list[int], line_confidence: list[float | None] | None) -> float | None:
    if not line_confidence:
        return None
    values = [line_confidence[n] for n in lines if 0 <= n < len(line_confidence)]
    values = [v for v in values if v is not None]
    return min(values) if values else None


def _with_ocr(doubts: list[tuple[float, str]], ocr: float | None) -> None:
    if ocr is not None and ocr < 0.9:
        doubts.append(
            (
                max(0.05, ocr),
                _("chữ đọc bằng OCR, độ tin cậy %(pct)s%%") % {"pct": round(ocr * 100)},
            )
        )


def _with_damage(doubts: list[tuple[float, str]], text: str) -> None:
    odd = _ODD.findall(text)
    if len(odd) >= 2 or (odd and len(text) < 60) or "\ufffd" in text:
        doubts.append(
            (0.5, _("có ký tự lạ (chữ có thể bị hỏng): %(chars)s") % {"chars": "".join(odd[:5])})
        )


def _finish(part: dict, doubts: list[tuple[float, str]]) -> None:
    part["confidence"] = round(min([1.0] + [d[0] for d in doubts]), 2)
    part["doubts"] = [d[1] for d in doubts]


def assess_commitment(item: dict, lines: list[int], line_confidence=None) -> None:
    text = item["text"]
    doubts: list[tuple[float, str]] = []
    _with_ocr(doubts, _ocr_confidence(lines, line_confidence))
    _with_damage(doubts, text)
    words = len(text.split())
    if not item["parties"]:
        doubts.append((0.4, _("không nhận ra tổ chức nào thực hiện")))
    elif not item.get("parties_from_table") and not find_mentions(text):
        doubts.append((0.8, _("câu không nêu tổ chức; đã lấy theo tiêu đề mục")))
    if item.get("cadence") is None and _TIME_WORDS.search(fold(text)):
        doubts.append((0.6, _("có nói về thời gian nhưng chưa đọc được tần suất")))
    if words > 110:
        doubts.append((0.6, _("đoạn rất dài (%(n)s từ): có thể gồm nhiều nội dung") % {"n": words}))
    elif words < 4:
        doubts.append((0.5, _("quá ngắn, có thể chỉ là một mảnh câu")))
    _finish(item, doubts)


def assess_section(section: dict, lines: list[int], line_confidence=None) -> None:
    doubts: list[tuple[float, str]] = []
    _with_ocr(doubts, _ocr_confidence(lines, line_confidence))
    _with_damage(doubts, section["heading"])
    if len(section["heading"].split()) > 30:
        doubts.append((0.5, _("tiêu đề dài như một đoạn văn: có thể không phải tiêu đề")))
    _finish(section, doubts)


def assess_basis(basis: dict, lines: list[int], line_confidence=None) -> None:
    doubts: list[tuple[float, str]] = []
    _with_ocr(doubts, _ocr_confidence(lines, line_confidence))
    _with_damage(doubts, basis["text"])
    _finish(basis, doubts)


def assess_simple(part: dict, text: str, lines: list[int], line_confidence=None) -> None:
    """Recipients, targets, signers: OCR and damage only, plus a signer's missing name."""
    doubts: list[tuple[float, str]] = []
    _with_ocr(doubts, _ocr_confidence(lines, line_confidence))
    _with_damage(doubts, text)
    if "name" in part and "authority" in part and not part.get("name"):
        doubts.append((0.5, _("không đọc được tên người ký")))
    _finish(part, doubts)


def assess_header(plan: dict, lines_of: dict[str, list[int]], line_confidence=None) -> dict:
    """Confidence of the document's own fields: type, number, date, issuer."""
    out: dict[str, float] = {}
    for key in ("doc_type", "number", "date", "issuer", "title"):
        value = plan.get(key)
        if value in (None, "other"):
            out[key] = 0.3 if key in ("doc_type", "title") else 0.5
            continue
        ocr = _ocr_confidence(lines_of.get(key, []), line_confidence)
        out[key] = round(min(1.0, ocr if ocr is not None and ocr < 0.9 else 1.0), 2)
    return out


def doubtful(plan: dict, limit: float = DOUBTFUL) -> list[tuple[str, int, dict]]:
    """The parts to check first: (list name, index, part), least sure first."""
    found = []
    for key in ("commitments", "sections", "legal_basis", "targets", "recipients", "signers"):
        for n, part in enumerate(plan.get(key) or []):
            if part.get("confidence", 1.0) < limit:
                found.append((key, n, part))
    found.sort(key=lambda t: t[2].get("confidence", 1.0))
    return found


def lines_containing(paras, text: str) -> list[int]:
    """Source lines of the paragraphs that hold ``text`` (found by its first words)."""
    probe = fold(text)[:40].strip()
    if not probe:
        return []
    for para in paras:
        if probe in para.folded:
            return list(para.source_lines)
    return []


def realign(before: str, after: str, confidence: list[float | None]) -> list[float | None]:
    """Per-line confidences of ``before`` carried over to ``after``, the same text with lines
    split or joined by a repair: each new line takes the value of the old line it starts in."""
    old = [fold(line) for line in before.split("\n")]
    out: list[float | None] = []
    at = 0
    for line in after.split("\n"):
        probe = fold(line).strip()[:20]
        if probe:
            for n in range(at, min(len(old), at + 40)):
                if probe in old[n]:
                    at = n
                    break
        out.append(confidence[at] if at < len(confidence) else None)
    return out
