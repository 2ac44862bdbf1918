"""Text → structured plan (``phoihop.import/1``), and the file-level entry points.

``parse_text`` never raises on odd text: whatever it cannot read goes into ``warnings``. The file
entry points raise ``ImportFailure`` for input that is not a document at all (empty, binary, hostile,
too large), before any parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

from phoihop.core.i18n import _

from . import confidence as conf
from . import header as hdr
from .cadence import parse_cadence
from .parties import (
    codes_in,
    expand_code,
    find_mentions,
    heading_context,
    item_parties,
    unknown_partners,
)
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
from .tables import apply_tables, time_cadence
from .targets import find_targets
from .text import collapse, fold, nfc

FORMAT = "phoihop.import/1"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BODY_KINDS = ("phan", "chuong", "muc", "dieu", "upper", "roman", "arabic")
_CLOSING = CLOSING


def parse_text(text: str, line_confidence: list[float | None] | None = None) -> dict:
    """Read a coordination document's text into a ``phoihop.import/1`` dict.

    ``line_confidence`` gives, per line of ``text``, the OCR confidence of that line (None for
    typed text); it lowers the confidence of the parts read from those lines.
    """
    from .cover import merge_cover, split_cover
    from .encodings import repair_text
    from .parties import clear_cache
    from .shapes import repair_shapes

    clear_cache()  # the party cache serves one document (a benchmark must not reuse it)
    warnings: list[str] = []
    text, note = repair_text(nfc(text))
    if note:
        warnings.append(note)
    before = text
    text, notes = repair_shapes(text)
    warnings.extend(notes)
    if line_confidence is not None and text != before:
        line_confidence = conf.realign(before, text, line_confidence)
    cover = split_cover(text)
    if cover is None:
        return _parse_document(text, warnings, line_confidence)
    head = len(cover[0].split("\n"))
    plan = merge_cover(
        _parse_document(cover[0], [], line_confidence and line_confidence[:head]),
        _parse_document(cover[1], warnings, line_confidence and line_confidence[head:]),
    )
    plan["warnings"].insert(
        0, _("Tệp gồm quyết định ban hành và văn bản kèm theo; đã đọc văn bản kèm theo.")
    )
    return plan


def _parse_document(
    text: str, warnings: list[str], line_confidence: list[float | None] | None = None
) -> dict:
    paras = split_paragraphs(text)
    apply_tables(paras)

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
    if doc_type == "other":
        doc_type = hdr.doc_type_of_number(number)
    if doc_type == "ke_hoach" and (
        (number and re.search(r"(?:^|[/\-])(KHLT|KHLN|LT|LN)(?:[\-]|$)", number.split("/", 1)[-1]))
        or len(signers) >= 2
        or hdr.is_joint_header(header_paras)
    ):
        doc_type = "ke_hoach_lien_tich"
    issuer, co_issuer = hdr.parse_issuers(paras, title or "", header_paras, preamble)
    period = hdr.parse_period([title or ""] + [p.text for p in preamble])
    basis = hdr.split_basis(preamble)
    level = hdr.school_level(issuer, number, title, " ".join(p.text for p in preamble))

    self_office = {"phong_gd": "phong", "so_gd": "so"}.get(level)
    years = (period["start_year"], period["end_year"]) if period else None
    doc_context = _document_context(title or "", self_office, [p.text for p in preamble])
    if co_issuer:
        # a joint plan: the second signing body is a party of every item that names no one
        doc_context += [c for c in codes_in(co_issuer, self_office) if c not in doc_context]
    sections = []
    section_lines: list[list[int]] = []
    for i in range(body_start, body_end):
        para = paras[i]
        if para.kind in HEADING_KINDS and para.is_section:
            sections.append({"path": para.path, "heading": para.heading, "level": para.level})
            section_lines.append(para.source_lines)

    contexts: dict[int, tuple[list[str], bool]] = {}
    commitments = []
    commitment_lines: list[list[int]] = []
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
        commitment_lines.append(para.source_lines)
        if _BOTH_SIDES.match(fold(text)):
            # "Hai bên …", "Lãnh đạo hai cơ quan …": the bodies the document is between
            context = context + [c for c in doc_context if c not in context]
            narrow = False
        parties = item_parties(text, context, narrow, self_office)
        raw = unknown_partners(text, self_office)
        if raw and "other" not in parties:
            parties = [*parties, "other"]
        cadence = parse_cadence(text, years=years)
        from_table = False
        if para.row is not None:
            parties, cadence, from_table = _row_parties_cadence(
                para.row, parties, cadence, years, self_office
            )
        commitments.append(
            {
                "section": item_section(paras, i),
                "text": text,
                "parties": parties,
                "cadence": cadence,
                "target": (
                    {k: item_targets[0][k] for k in ("comparator", "value", "unit")}
                    if item_targets
                    else None
                ),
            }
        )
        if from_table:
            commitments[-1]["parties_from_table"] = True
        if raw:
            commitments[-1]["parties_raw"] = raw

    partners = sorted({code for c in commitments for code in c["parties"]})
    if not sections:
        warnings.append(_("Không nhận ra mục nào (I., 1., a)…): cấu trúc văn bản có thể bị sai."))
    if not commitments:
        warnings.append(_("Không tìm thấy nội dung phối hợp nào."))
    if number is None:
        warnings.append(_("Văn bản chưa có số (số để trống hoặc không ghi)."))
    if when is None:
        warnings.append(_("Văn bản chưa ghi ngày ban hành."))

    plan = {
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
    _assess(plan, paras, commitment_lines, section_lines, line_confidence)
    return plan


def _assess(plan, paras, commitment_lines, section_lines, line_confidence) -> None:
    """Give every part its confidence and doubts (``confidence``)."""
    for item, lines in zip(plan["commitments"], commitment_lines, strict=True):
        conf.assess_commitment(item, lines, line_confidence)
    for section, lines in zip(plan["sections"], section_lines, strict=True):
        conf.assess_section(section, lines, line_confidence)
    for basis in plan["legal_basis"]:
        conf.assess_basis(basis, conf.lines_containing(paras, basis["text"]), line_confidence)
    for key in ("targets", "recipients"):
        for part in plan[key]:
            lines = conf.lines_containing(paras, part["text"])
            conf.assess_simple(part, part["text"], lines, line_confidence)
    for signer in plan["signers"]:
        lines = conf.lines_containing(paras, signer["name"] or signer["title"] or "")
        conf.assess_simple(signer, f"{signer['title']} {signer['name']}", lines, line_confidence)
    header_lines = {
        "title": conf.lines_containing(paras, plan["title"] or ""),
        "number": conf.lines_containing(paras, "Số"),
        "date": conf.lines_containing(paras, "ngày"),
        "issuer": conf.lines_containing(paras, plan["issuer"] or ""),
    }
    header_lines["doc_type"] = header_lines["title"]
    plan["confidence"] = conf.assess_header(plan, header_lines, line_confidence)
    doubtful = conf.doubtful(plan)
    if doubtful:
        plan["warnings"].append(
            _("%(count)s phần chưa chắc chắn được đánh dấu để soát lại trước khi lưu.")
            % {"count": len(doubtful)}
        )


def _row_parties_cadence(row, parties, cadence, years, self_office):
    """A table row's parties (lead column first, then the cooperating column) and cadence (the
    time column), falling back to what the row's text says."""
    lead = [c for m in find_mentions(row.lead, self_office) for c in expand_code(m.code)]
    coop = [c for m in find_mentions(row.coop, self_office) for c in expand_code(m.code)]
    named = list(dict.fromkeys(lead + coop))
    if named:
        if not lead:
            named = [p for p in parties[:1] if p not in named] + named
        parties = named
    cadence = time_cadence(row.time, years) or cadence
    return parties, cadence, bool(lead)


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


_BOTH_SIDES = re.compile(
    r"^((vao |sau khi |dinh ky |hang (thang|quy|nam)|(cuoi|dau) (nam hoc|hoc ky|moi hoc ky))[^,]*, )?"
    r"(lanh dao |dai dien |thu truong )?(ca )?(hai|ba|cac) (ben|co quan|don vi|to chuc)\b"
)
_WITH_PARTNER = re.compile(r"\bphoi hop (voi|giua)\b")


def _document_context(
    title: str, self_office: str | None = None, preamble: list[str] | None = None
) -> list[str]:
    found = heading_context(title, self_office)
    if found and found[0] == "between" and found[1]:
        codes = found[1]
        return codes if "lanh_dao" in codes else ["lanh_dao", *codes]
    # "… xây dựng kế hoạch phối hợp với Trạm y tế xã …": the preamble names the partner
    for text in preamble or []:
        m = _WITH_PARTNER.search(fold(text))
        if m:
            codes = [c for c in codes_in(text[m.end() : m.end() + 80], self_office)]
            if codes:
                return ["lanh_dao", *[c for c in codes if c != "lanh_dao"]]
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
    from .extract import extract
    from .safety import check_text_length

    found = extract(data, filename, max_bytes=max_bytes)
    check_text_length(found.text)
    plan = parse_text(found.text, line_confidence=found.line_confidence)
    plan["warnings"] = found.notes + plan["warnings"]
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
