"""A decision that issues a plan, and the plan after it, in one file.

A Quy chế (and sometimes a Kế hoạch) is issued by a Quyết định: "QUYẾT ĐỊNH Ban hành Quy chế phối
hợp …", three short articles ("Ban hành kèm theo Quyết định này …", "… chịu trách nhiệm thi hành",
"… có hiệu lực kể từ ngày ký"), recipients and a signature, then the Quy chế itself under its own
title ("(Ban hành kèm theo Quyết định số …)"). Schools post both as one document. What is to be
imported is the attached plan; the decision is its cover, and it lends the plan its legal basis,
recipients, signature, number and date when the plan itself has none.
"""

from __future__ import annotations

import re

from .text import clean_line, fold, is_upper_text

_DECISION = re.compile(r"^quyet dinh\b")
_ISSUES = re.compile(
    r"\bban hanh\b.*\b(quy che|quy dinh|ke hoach|chuong trinh|noi quy|huong dan)\b"
)
_ATTACHED_TITLE = re.compile(r"^(quy che|quy dinh|ke hoach|chuong trinh|noi quy|huong dan)\b")
_AFTER_COVER = re.compile(r"^(noi nhan|t\s*/?\s*m\b|tm\b|kt\b|chu tich|hieu truong|giam doc)")


def split_cover(text: str) -> tuple[str, str] | None:
    """(the decision, the attached document) when ``text`` is a decision issuing a plan that
    follows it; None otherwise."""
    lines = text.split("\n")
    cleaned = [fold(clean_line(line)[0]) for line in lines]
    start = next((i for i, f in enumerate(cleaned[:40]) if _DECISION.match(f)), None)
    if start is None:
        return None
    head = " ".join(cleaned[start : start + 4])
    issued = _ISSUES.search(head)
    if not issued:
        return None
    kind = issued.group(1)
    seen_end = False
    for i in range(start + 2, len(lines)):
        folded = cleaned[i]
        if _AFTER_COVER.match(folded):
            seen_end = True
            continue
        if not seen_end or not folded.startswith(kind):
            continue
        line = clean_line(lines[i])[0]
        if _ATTACHED_TITLE.match(folded) and is_upper_text(line) and len(folded.split()) <= 12:
            return "\n".join(lines[:i]), "\n".join(lines[i:])
    return None


def merge_cover(cover: dict, plan: dict) -> dict:
    """The attached plan, with what only its cover decision says."""
    out = dict(plan)
    for key in ("number", "date", "place", "issuer"):
        if not out.get(key):
            out[key] = cover.get(key)
    for key in ("recipients", "signers"):
        if not out.get(key):
            out[key] = cover.get(key) or []
    seen = {fold(b["text"]) for b in out.get("legal_basis") or []}
    out["legal_basis"] = [
        b for b in cover.get("legal_basis") or [] if fold(b["text"]) not in seen
    ] + list(out.get("legal_basis") or [])
    return out
