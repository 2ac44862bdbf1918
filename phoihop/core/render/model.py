"""What goes on the page: a plan dict (``phoihop.import/1``) turned into the document's elements.

The DOCX and HTML writers share this, so they cannot disagree on what a document says; they only
differ in how they draw it. Fixed labels ("Nơi nhận:", the national title) are document content
required by law and are not translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phoihop.core.render import layout
from phoihop.core.render.lines import format_number_line, format_place_date


@dataclass(frozen=True)
class Block:
    """One paragraph of the body: ``style`` is a key of ``layout.ELEMENTS``."""

    style: str
    text: str


@dataclass(frozen=True)
class Signer:
    title_lines: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class DocumentModel:
    issuer_superior: str | None
    issuers: tuple[str, ...]
    number_line: str
    place_date: str
    doc_type_name: str
    summary: str
    legal_basis: tuple[str, ...]
    body: tuple[Block, ...]
    signers: tuple[Signer, ...]
    recipients: tuple[str, ...]
    title: str
    draft: bool = False


_PART_RE = re.compile(r"^(phần|chương)\s+([IVXLCDM]+|\d+)\s*[:.\-–]?\s*(.*)$", re.I | re.S)
_PURPOSE_RE = re.compile(r"MỤC ĐÍCH|MỤC TIÊU|YÊU CẦU")
_AUTHORITIES = {
    "TM": "TM.",
    "T/M": "TM.",
    "KT": "KT.",
    "K/T": "KT.",
    "Q": "Q.",
    "TL": "TL.",
    "T/L": "TL.",
    "TUQ": "TUQ.",
}


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def split_title(plan: dict) -> tuple[str, str]:
    """The document type name and the trích yếu, from the plan's one-line title."""
    title = _clean(plan.get("title"))
    fallback = layout.DOC_TYPE_NAMES.get(plan.get("doc_type") or "", "")
    names = sorted(set(layout.DOC_TYPE_NAMES.values()), key=len, reverse=True)
    for name in names:
        if title.upper().startswith(name) and (len(title) == len(name) or title[len(name)] == " "):
            return name, title[len(name) :].strip()
    return fallback, title


def _part_heading(heading: str) -> list[Block] | None:
    """``"PHẦN I KẾ HOẠCH …"`` → a centred label line and a centred upper-case name line."""
    match = _PART_RE.match(heading)
    if not match:
        return None
    label = f"{match[1].capitalize()} {match[2]}"
    blocks = [Block("heading_part", label)]
    if match[3].strip():
        blocks.append(Block("heading_part", match[3].strip().upper()))
    return blocks


def _heading_blocks(section: dict) -> list[Block]:
    heading = _clean(section.get("heading"))
    level = int(section.get("level") or 1)
    return _part_heading(heading) or [Block(f"heading_{min(max(level, 1), 4)}", heading)]


def _section_of(path: str, known: set[str]) -> str | None:
    """The nearest section in ``known`` that holds an item at ``path``."""
    parts = path.split(".") if path else []
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def _item_text(item: dict, known: set[str]) -> str:
    """Number an item by its path ("B.I.1.3" → "3. …") when the path numbers it, else a dash."""
    text = _clean(item.get("text"))
    path = item.get("section") or ""
    parent, _, last = path.rpartition(".")
    if path not in known and last.isdigit() and (parent in known or not parent):
        return f"{int(last)}. {text}"
    return f"- {text}"


def _body(plan: dict) -> tuple[Block, ...]:
    sections = plan.get("sections") or []
    known = {s.get("path") for s in sections if s.get("path")}
    by_section: dict[str | None, list[dict]] = {}
    for item in plan.get("commitments") or []:
        by_section.setdefault(_section_of(item.get("section") or "", known), []).append(item)
    targets = [_clean(t.get("text")) for t in plan.get("targets") or [] if _clean(t.get("text"))]
    purpose = next(
        (s.get("path") for s in sections if _PURPOSE_RE.search(_clean(s.get("heading")).upper())),
        None,
    )
    blocks: list[Block] = []
    if targets and purpose is None:
        blocks.extend(Block("body", f"- {t}") for t in targets)
    for section in sections:
        path = section.get("path")
        blocks.extend(_heading_blocks(section))
        if path == purpose:
            blocks.extend(Block("body", f"- {t}") for t in targets)
        blocks.extend(Block("body", _item_text(i, known)) for i in by_section.pop(path, []))
    for items in by_section.values():  # items whose section is not in the plan: keep them, last
        blocks.extend(Block("body", _item_text(i, known)) for i in items)
    return tuple(blocks)


def _legal_basis(plan: dict) -> tuple[str, ...]:
    """Each basis on its line, ending with a semicolon, the last with a full stop (Phụ lục I, 6.c)."""
    texts = [_clean(b.get("text")).rstrip(" ;.,") for b in plan.get("legal_basis") or []]
    texts = [t[:1].upper() + t[1:] for t in texts if t]
    return tuple(t + ("." if i == len(texts) - 1 else ";") for i, t in enumerate(texts))


def _signer(signer: dict) -> Signer:
    authority = _clean(signer.get("authority"))
    authority = _AUTHORITIES.get(authority.rstrip(".").upper(), authority)
    parts = [
        p.strip() for p in re.split(r"\s+[—–]\s+|\n", _clean(signer.get("title"))) if p.strip()
    ]
    if authority:
        parts = [f"{authority} {parts[0]}" if parts else authority, *parts[1:]]
    return Signer(tuple(p.upper() for p in parts), _clean(signer.get("name")))


def _recipient_line(text: str) -> str:
    text = _clean(text).lstrip("-–• ").rstrip(" ;.,")
    # Phụ lục I, 9.b: the archive line is written "Lưu: VT, <unit>".
    return re.sub(r"^Lưu\s*:?\s*", "Lưu: ", text) if re.match(r"^Lưu\b", text) else text


def _recipients(plan: dict) -> tuple[str, ...]:
    lines = [
        _recipient_line(r.get("text") or r.get("name") or "") for r in plan.get("recipients") or []
    ]
    lines = [line for line in lines if line]
    return tuple(f"- {line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines))


def build_model(
    plan: dict, *, issuer_superior: str | None = None, draft: bool = False
) -> DocumentModel:
    """The elements of the document for ``plan``, in the order and form the decree sets."""
    doc_type_name, summary = split_title(plan)
    issuers = tuple(
        _clean(name).upper() for name in (plan.get("issuer"), plan.get("co_issuer")) if _clean(name)
    )
    superior = _clean(issuer_superior or plan.get("issuer_superior")) or None
    abbreviation = layout.DOC_TYPE_ABBREVIATIONS.get(plan.get("doc_type") or "", "")
    return DocumentModel(
        issuer_superior=superior.upper() if superior else None,
        issuers=issuers,
        number_line=format_number_line(plan.get("number"), doc_type_abbreviation=abbreviation),
        place_date=format_place_date(plan.get("place"), plan.get("date")),
        doc_type_name=doc_type_name,
        summary=summary,
        legal_basis=_legal_basis(plan),
        body=_body(plan),
        signers=tuple(_signer(s) for s in plan.get("signers") or []),
        recipients=_recipients(plan),
        title=_clean(plan.get("title")),
        draft=draft,
    )
