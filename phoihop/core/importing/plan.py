"""Text → structured plan (``phoihop.import/1``), and the file-level entry points.

``parse_text`` never raises on odd text: whatever it cannot read goes into ``warnings``. The file
entry points raise ``ImportFailure`` for input that is not a document at all (empty, binary, hostile,
too large), before any parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

from phoihop.core.i18n import _

from . import header as hdr
from .cadence import parse_cadence
from .parties import heading_context, item_parties
from .structure import (
    CLOSING,
    HEADING_KINDS,
    Para,
    ancestors,
    build_tree,
    is_purpose_heading,
    item_section,
    split_paragraphs,
)
from .targets import find_targets
from .text import collapse, fold, nfc

FORMAT = "phoihop.import/1"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BODY_KINDS = ("phan", "chuong", "muc", "dieu", "upper", "roman", "arabic")
_CLOSING = CLOSING


def parse_text(text: str) -> dict:
    """Read a coordination document's text into a ``phoihop.import/1`` dict."""
    from .encodings import repair_text

    warnings: list[str] = []
    text, note = repair_text(nfc(text))
    if note:
        warnings.append(note)
    paras = split_paragraphs(text)

    body_start = next(
        (i for i, p in enumerate(paras) if p.kind in _BODY_KINDS and not _is_header_line(p)),
        len(paras),
    )
    title_range = hdr.find_title(paras, body_start)
    if title_range:
        t_start, t_end = title_range
        title = collapse(" ".join(p.text.strip("* ") for p in paras[t_start:t_end]))
        header_paras = paras[:t_start]
        preamble = paras[t_end:body_start]
    else:
        title = None
        header_paras = paras[:body_start]
        preamble = paras[:body_start]
        warnings.append(_("Không tìm thấy tên văn bản (KẾ HOẠCH, QUY CHẾ…) ở đầu tệp."))

    recipients, recipients_at = hdr.find_recipients(paras, body_start)
    body_end = len(paras)
    if recipients_at is not None:
        body_end = recipients_at
    for i in range(body_start, body_end):
        if paras[i].kind is None and hdr.is_signature_start(paras[i]):
            body_end = i
            break

    items = build_tree(paras, body_start, body_end)
    signers = hdr.parse_signers(paras[body_end:])

    number = hdr.parse_number(paras, body_start)
    place, when = hdr.parse_place_date(paras, body_start)
    doc_type = hdr.doc_type_of(title) if title else "other"
    if doc_type == "ke_hoach" and (
        (number and re.search(r"(?:^|[/\-])(KHLT|LT)(?:[\-]|$)", number.split("/", 1)[-1]))
        or len(signers) >= 2
    ):
        doc_type = "ke_hoach_lien_tich"
    issuer, co_issuer = hdr.parse_issuers(paras, title or "", header_paras, preamble)
    period = hdr.parse_period([title or ""] + [p.text for p in preamble])
    basis = hdr.split_basis(preamble)
    level = hdr.school_level(issuer, number, title, " ".join(p.text for p in preamble))

    self_office = {"phong_gd": "phong", "so_gd": "so"}.get(level)
    years = (period["start_year"], period["end_year"]) if period else None
    doc_context = _document_context(title or "", self_office)
    sections = []
    for i in range(body_start, body_end):
        para = paras[i]
        if para.kind in HEADING_KINDS and para.is_section:
            sections.append({"path": para.path, "heading": para.heading, "level": para.level})

    contexts: dict[int, tuple[list[str], bool]] = {}
    commitments = []
    targets: list[dict] = []
    for i in items:
        para = paras[i]
        sect_chain = ancestors(paras, i)
        in_purpose = any(is_purpose_heading(paras[s].body) for s in sect_chain)
        text = _item_text(para)
        if not text:
            continue
        if in_purpose:
            targets.extend(find_targets(text, purpose=True))
            continue
        if _is_closing(text) or (text.endswith(":") and len(text.split()) <= 12):
            continue
        context, narrow = _context_for(
            paras, sect_chain, (doc_context, False), contexts, self_office
        )
        item_targets = find_targets(text)
        targets.extend(item_targets)
        commitments.append(
            {
                "section": item_section(paras, i),
                "text": text,
                "parties": item_parties(text, context, narrow, self_office),
                "cadence": parse_cadence(text, years=years),
                "target": (
                    {k: item_targets[0][k] for k in ("comparator", "value", "unit")}
                    if item_targets
                    else None
                ),
            }
        )

    partners = sorted({code for c in commitments for code in c["parties"]})
    if not sections:
        warnings.append(_("Không nhận ra mục nào (I., 1., a)…): cấu trúc văn bản có thể bị sai."))
    if not commitments:
        warnings.append(_("Không tìm thấy nội dung phối hợp nào."))
    if number is None:
        warnings.append(_("Văn bản chưa có số (số để trống hoặc không ghi)."))
    if when is None:
        warnings.append(_("Văn bản chưa ghi ngày ban hành."))

    return {
        "format": FORMAT,
        "doc_type": doc_type,
        "title": title,
        "issuer": issuer,
        "co_issuer": co_issuer,
        "school_level": level,
        "number": number,
        "date": when,
        "place": place,
        "period": period,
        "legal_basis": basis,
        "partners": partners,
        "sections": sections,
        "commitments": commitments,
        "targets": _dedupe(targets),
        "recipients": recipients,
        "signers": signers,
        "warnings": warnings,
    }


def _is_header_line(para: Para) -> bool:
    folded = fold(para.text)
    return bool(re.match(r"^(so|ngay)\b", folded))


def _item_text(para: Para) -> str:
    if para.kind == "dieu":
        return collapse(para.body)
    if para.kind is None:
        return collapse(para.text)
    return collapse(para.body)


def _is_closing(text: str) -> bool:
    return bool(_CLOSING.match(fold(text)))


def _document_context(title: str, self_office: str | None = None) -> list[str]:
    found = heading_context(title, self_office)
    if found and found[0] == "between" and found[1]:
        codes = found[1]
        return codes if "lanh_dao" in codes else ["lanh_dao", *codes]
    return ["lanh_dao"]


def _context_for(
    paras: list[Para],
    chain: list[int],
    doc_context: tuple[list[str], bool],
    cache: dict[int, tuple[list[str], bool]],
    self_office: str | None = None,
) -> tuple[list[str], bool]:
    """Who acts by default in a section, from the nearest heading that names parties, and whether
    the section is about one partner (so an item naming its own partner narrows it)."""
    if not chain:
        return doc_context
    index, rest = chain[0], chain[1:]
    if index in cache:
        return cache[index]
    parent, parent_narrow = _context_for(paras, rest, doc_context, cache, self_office)
    found = heading_context(paras[index].body, self_office)
    if found is None:
        result = (parent, parent_narrow)
    else:
        form, codes = found
        if form == "between":
            result = (codes, False)
        elif form == "with":
            result = (["lanh_dao", *[c for c in codes if c != "lanh_dao"]], True)
        elif parent is doc_context[0] and len(parent) > 2:
            # "Trách nhiệm của X" in a plan with many partners: X acts alone unless an item
            # names whom it works with; in a two-party plan the other party is implied.
            result = (codes, True)
        else:
            result = (codes + [c for c in parent if c not in codes], True)
    cache[index] = result
    return result


def _dedupe(targets: list[dict]) -> list[dict]:
    seen = set()
    out = []
    for t in targets:
        key = fold(t["text"])
        if key in seen:
            continue
        seen.add(key)
        out.append(t)
    return out


def import_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Import a file's content; ``filename`` decides how it is read (by its extension)."""
    from .extract import extract_text
    from .safety import check_text_length

    text, notes = extract_text(data, filename, max_bytes=max_bytes)
    check_text_length(text)
    plan = parse_text(text)
    plan["warnings"] = notes + plan["warnings"]
    return plan


def import_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Import a file from disk, refusing it before reading if it is larger than ``max_bytes``."""
    from .safety import check_size

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        from .errors import ImportFailure

        raise ImportFailure(_("Không đọc được tệp: %(error)s") % {"error": exc.strerror}) from exc
    check_size(size, max_bytes)
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return import_bytes(data, path.name, max_bytes=max_bytes)
