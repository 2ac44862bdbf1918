"""The import preview: the pending plan kept between the steps, and the edits made to it.

The importer's plan is held on the server, in the user's session, under a random token: the
browser never sends a plan back, only the edited values of named fields (``title``,
``commitments-3-text`` …), which are validated here like any other user input. The session payload
is bounded: a plan is refused above ``MAX_PLAN_CHARS``, a session keeps at most ``MAX_PENDING``
plans (the oldest is dropped), stale ones expire after ``PENDING_TTL`` seconds, and a plan is removed
as soon as it is saved.

No view logic here: the views ask for a pending plan, apply the submitted edits and hand the result
to ``services.create_document_from_plan``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.cadence import PERIODS, SUBJECT_KINDS
from phoihop.core.importing.confidence import doubtful
from phoihop.core.parties import PARTY_CODES, PARTY_KIND_LABELS, party_label
from phoihop.documents.models import Document, Recipient, Target
from phoihop.documents.services import party_name_key
from phoihop.params import parse_int

SESSION_KEY = "phoihop.documents.import"
MAX_PENDING = 3
MAX_PLAN_CHARS = 1_000_000
PENDING_TTL = 6 * 3600
ALLOWED_EXTENSIONS = (
    ".docx", ".doc", ".pdf", ".txt", ".md", ".html", ".htm", ".jpg", ".jpeg", ".png", ".tif", ".tiff",
)  # fmt: skip
SIGNER_AUTHORITIES = ("", "TM.", "KT.", "Q.")

# Fields the editor sends per element, to stay under DATA_UPLOAD_MAX_NUMBER_FIELDS (Django answers
# a form with more fields with "400 Bad Request", which would lose the user's edits).
_HEADER_FIELDS = 16
_CADENCE_FIELDS = 3

# Blank rows at the end of the preview for what the importer missed (no JavaScript needed: a row
# left blank is ignored). Their fields: a section's label and heading; an item's text, section and
# lead, plus one field per ticked cooperating party.
NEW_ROWS = {"sections": 2, "commitments": 3}
_NEW_ROW_FIELDS = 2 * NEW_ROWS["sections"] + 3 * NEW_ROWS["commitments"]
ITEM_MAX_CHARS = 5000
SECTION_LABEL_MAX_CHARS = 64
PARTY_NAME_MAX_CHARS = 200


class PlanTooLarge(ValueError):
    """The recognised plan is too large to keep between the steps or to edit on one page."""


# -- the pending plan in the session ---------------------------------------------------------------


def _pending(session) -> dict:
    pending = session.get(SESSION_KEY)
    if not isinstance(pending, dict):
        return {}
    now = time.time()
    return {
        token: entry
        for token, entry in pending.items()
        if isinstance(entry, dict) and now - entry.get("created", 0) < PENDING_TTL
    }


def store_pending(session, *, unit_id: int, user_id: int, plan: dict, filename: str) -> str:
    """Keep a freshly imported plan for the preview; return the token that names it."""
    if len(json.dumps(plan, ensure_ascii=False)) > MAX_PLAN_CHARS:
        raise PlanTooLarge(
            _(
                "Kết quả nhận dạng quá lớn để xem trước. Hãy tách văn bản thành nhiều tệp nhỏ hơn "
                "rồi nhập từng tệp."
            )
        )
    if editor_mode(plan) is None:
        raise PlanTooLarge(
            _(
                "Văn bản có quá nhiều mục và nội dung để sửa trên một trang (%(count)s nội dung). "
                "Hãy tách văn bản thành nhiều tệp nhỏ hơn rồi nhập từng tệp."
            )
            % {"count": len(plan.get("commitments") or [])}
        )
    pending = _pending(session)
    while len(pending) >= MAX_PENDING:
        oldest = min(pending, key=lambda t: pending[t].get("created", 0))
        del pending[oldest]
    token = secrets.token_urlsafe(16)
    pending[token] = {
        "unit": unit_id,
        "user": user_id,
        "plan": plan,
        "filename": filename[:200],
        "created": time.time(),
        "revision": 1,
    }
    session[SESSION_KEY] = pending
    return token


def load_pending(session, token: str, *, unit_id: int, user_id: int) -> dict | None:
    """The pending import named by ``token``, only for the unit and user it was made for."""
    entry = _pending(session).get(token)
    if entry is None or entry.get("unit") != unit_id or entry.get("user") != user_id:
        return None
    return entry


def replace_pending(session, token: str, plan: dict) -> int:
    """Keep the edited plan (so a page shown again after an error keeps the edits)."""
    pending = _pending(session)
    entry = pending[token]
    entry["plan"] = plan
    entry["revision"] = int(entry.get("revision", 1)) + 1
    session[SESSION_KEY] = pending
    return entry["revision"]


def drop_pending(session, token: str) -> None:
    pending = _pending(session)
    pending.pop(token, None)
    if pending:
        session[SESSION_KEY] = pending
    else:
        session.pop(SESSION_KEY, None)


# -- what the editor shows -------------------------------------------------------------------------


def editor_mode(plan: dict) -> str | None:
    """ "full" (a select per party, cadence fields), "compact" (party codes typed, cadence kept as
    recognised) or None when even the compact editor would exceed Django's field limit."""
    budget = getattr(settings, "DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
    if budget is None:
        return "full"
    fixed = (
        _HEADER_FIELDS
        + _NEW_ROW_FIELDS
        + 2 * len(plan.get("legal_basis") or [])
        + 2 * len(plan.get("sections") or [])
        + 5 * len(plan.get("targets") or [])
        + 3 * len(plan.get("recipients") or [])
        + 4 * len(plan.get("signers") or [])
    )
    commitments = plan.get("commitments") or []
    full = sum(3 + len(c.get("parties") or []) + _CADENCE_FIELDS for c in commitments)
    if fixed + full <= budget * 0.9:
        return "full"
    if fixed + 3 * len(commitments) <= budget * 0.9:
        return "compact"
    return None


def period_choices() -> list[tuple[str, str]]:
    """The cadence periods in words, for the editor's select."""
    words = {
        "day": _("mỗi ngày"),
        "week": _("mỗi tuần"),
        "month": _("mỗi tháng"),
        "quarter": _("mỗi quý"),
        "semester": _("mỗi học kỳ"),
        "school_year": _("mỗi năm học"),
        "year": _("mỗi năm"),
        "once": _("một lần"),
    }
    return [(p, words.get(p, p)) for p in PERIODS]


def subject_choices() -> list[tuple[str, str]]:
    words = {
        "hoc_sinh": _("cho mỗi học sinh"),
        "lop": _("cho mỗi lớp"),
        "can_bo": _("cho mỗi cán bộ"),
        "don_vi": _("cho mỗi đơn vị"),
    }
    return [(k, words.get(k, k)) for k in SUBJECT_KINDS]


def party_codes_of(plan: dict) -> list[str]:
    """Every party code the plan's items name, in first-seen order."""
    seen: dict[str, None] = {}
    for item in plan.get("commitments") or []:
        for code in item.get("parties") or []:
            seen.setdefault(code, None)
    return list(seen)


def party_choices(unit_parties: dict) -> list[tuple[str, str]]:
    """(code, label) for the party pickers: the unit's own party name where it has one."""
    choices = []
    for code, label in PARTY_KIND_LABELS:
        party = unit_parties.get(code)
        if party is not None:
            choices.append((code, party.name))
        else:
            choices.append((code, _("%(label)s (chưa có)") % {"label": _(label)}))
    return choices


def without_parties(plan: dict, codes: set[str], names: set[str] = frozenset()) -> dict:
    """The plan with ``codes`` (and the typed party ``names``) removed from every item, so the
    next party becomes the lead."""
    plan = copy.deepcopy(plan)
    for item in plan.get("commitments") or []:
        item["parties"] = [c for c in item.get("parties") or [] if c not in codes]
        if item.get("party_names"):
            item["party_names"] = [n for n in item["party_names"] if n not in names]
    plan["partners"] = sorted(set(party_codes_of(plan)))
    return plan


def goal_words(target: dict | None) -> str:
    """A target dict as read aloud: "≥ 90 %"."""
    if not target or target.get("value") in (None, ""):
        return ""
    signs = dict(Target.Comparator.choices)
    comparator = signs.get(target.get("comparator") or "", target.get("comparator") or "")
    value = target.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{comparator} {value} {target.get('unit') or ''}".strip()


def preview_tree(plan: dict) -> tuple[list[dict], list[dict]]:
    """Sections in order, each with the items that belong to it (or to its nearest listed
    ancestor, as the saving service places them), and the items that belong to none."""
    sections = plan.get("sections") or []
    nodes = [{"index": i, "section": s, "items": []} for i, s in enumerate(sections)]
    by_path = {}
    for node in nodes:
        by_path.setdefault(node["section"].get("path") or "", node)
    loose = []
    for index, item in enumerate(plan.get("commitments") or []):
        row = {"index": index, "item": item, "goal": goal_words(item.get("target"))}
        path = item.get("section") or ""
        node = None
        while path and node is None:
            node = by_path.get(path)
            path = path.rsplit(".", 1)[0] if "." in path else ""
        (node["items"] if node else loose).append(row)
    return nodes, loose


_PART_ANCHORS = {
    "commitments": ("commitment", gettext_lazy("Nội dung")),
    "sections": ("section", gettext_lazy("Mục")),
    "legal_basis": ("legal_basis", gettext_lazy("Căn cứ")),
    "targets": ("target", gettext_lazy("Chỉ tiêu")),
    "recipients": ("recipient", gettext_lazy("Nơi nhận")),
    "signers": ("signer", gettext_lazy("Người ký")),
}


def doubtful_parts(plan: dict) -> list[dict]:
    """The parts the importer is least sure of, least sure first, each with the anchor of its
    row in the preview, so that the principal checks two lines instead of re-reading sixty."""
    out = []
    for key, index, part in doubtful(plan):
        anchor, kind = _PART_ANCHORS[key]
        text = (
            part.get("text")
            or part.get("heading")
            or (f"{part.get('title') or ''} {part.get('name') or ''}".strip())
        )
        out.append({
            "anchor": f"{anchor}-{index}",
            "kind": kind,
            "text": text,
            "percent": round(float(part.get("confidence", 1.0)) * 100),
            "doubts": part.get("doubts") or [],
        })  # fmt: skip
    return out


# -- applying the submitted edits ------------------------------------------------------------------


def _text(data, name: str, default: str = "", limit: int = 10_000) -> str:
    value = data.get(name)
    if value is None:
        return default
    return " ".join(str(value).split())[:limit]


def _long_text(data, name: str, default: str = "", limit: int = 20_000) -> str:
    value = data.get(name)
    if value is None:
        return default
    return str(value).replace("\r\n", "\n").strip()[:limit]


def _year(data, name: str, default, errors: dict) -> int | None:
    raw = data.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not raw:
        return None
    year = parse_int(raw)
    if year is None or not 1900 <= year <= 2200:
        errors[name] = _("Năm “%(value)s” không hợp lệ.") % {"value": raw[:20]}
        return default
    return year


def _parties(data, name: str, default: list[str], errors: dict, error_key: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
    if name not in data:
        return list(default)
    codes: list[str] = []
    for value in values:
        for code in str(value or "").replace(";", ",").split(","):
            code = code.strip()
            if not code:
                continue
            if code not in PARTY_CODES:
                errors[error_key] = _("Mã tổ chức “%(code)s” không có trong danh sách.") % {
                    "code": code[:40]
                }
                continue
            if code not in codes:
                codes.append(code)
    return codes


def _cadence(data, prefix: str, cadence: dict | None, errors: dict, key: str) -> dict | None:
    names = [f"{prefix}-cadence-{f}" for f in ("count", "per", "per_subject")]
    keys = [f"{key}-cadence-{f}" for f in ("count", "per", "per_subject")]
    if not any(n in data for n in names):
        return cadence
    cadence = dict(cadence or {})
    raw_count = (data.get(names[0]) or "").strip()
    if raw_count:
        count = parse_int(raw_count)
        if count is None or not 1 <= count <= 1000:
            errors[keys[0]] = _("Số lần phải là số nguyên dương.")
        else:
            cadence["count"] = count
    else:
        cadence["count"] = None
    per = data.get(names[1]) or None
    if per is not None and per not in PERIODS:
        errors[keys[1]] = _("Chu kỳ không hợp lệ.")
    else:
        cadence["per"] = per
    subject = data.get(names[2]) or None
    if subject is not None and subject not in SUBJECT_KINDS:
        errors[keys[2]] = _("Đối tượng không hợp lệ.")
    else:
        cadence["per_subject"] = subject
    if not any(cadence.get(k) for k in ("count", "per", "per_subject", "anchors", "window")):
        return None
    for key, empty in (("text", None), ("at_least", False), ("anchors", []), ("window", None)):
        cadence.setdefault(key, empty)
    return cadence


def _has_error(errors: dict, key: str) -> bool:
    return any(name.startswith(key + "-") for name in errors)


def error_positions(errors: dict, kind: str) -> set[int]:
    """Positions of the ``kind`` elements ("commitments") that have an error, to open them."""
    found = set()
    for name in errors:
        head, _sep, rest = name.partition("-")
        position = rest.split("-", 1)[0]
        number = parse_int(position)
        if head == kind and number is not None:
            found.add(number)
    return found


def _deleted(data, prefix: str) -> bool:
    return bool(data.get(f"{prefix}-delete"))


def apply_edits(plan: dict, data) -> tuple[dict, dict[str, str]]:
    """The plan with the submitted values applied, and the errors by field name.

    Fields absent from ``data`` keep the recognised value, so a partial form changes only what it
    shows; an element whose ``-delete`` box is ticked is left out. Errors are named after the
    element's position in the *returned* plan, the one the page is shown again from.
    """
    plan = copy.deepcopy(plan)
    errors: dict[str, str] = {}

    doc_type = data.get("doc_type", plan.get("doc_type"))
    if doc_type not in Document.Type.values:
        errors["doc_type"] = _("Loại văn bản không hợp lệ.")
    else:
        plan["doc_type"] = doc_type
    plan["title"] = _text(data, "title", plan.get("title") or "", 500)
    if not plan["title"]:
        errors["title"] = _("Hãy nhập tên (trích yếu) của văn bản.")
    for field in ("number", "place", "issuer", "co_issuer"):
        plan[field] = _text(data, field, plan.get(field) or "", 200) or None
    raw_date = data.get("date")
    if raw_date is not None:
        raw_date = raw_date.strip()
        try:
            plan["date"] = dt.date.fromisoformat(raw_date).isoformat() if raw_date else None
        except ValueError:
            errors["date"] = _("Ngày ban hành không hợp lệ.")
    period = dict(plan.get("period") or {})
    period["text"] = _text(data, "period-text", period.get("text") or "", 100) or None
    period["start_year"] = _year(data, "period-start_year", period.get("start_year"), errors)
    period["end_year"] = _year(data, "period-end_year", period.get("end_year"), errors)
    if period["start_year"] and period["end_year"] and period["end_year"] < period["start_year"]:
        errors["period-end_year"] = _("Năm kết thúc phải sau năm bắt đầu.")
    plan["period"] = period if any(period.values()) else None

    _edit_list(plan, data, "legal_basis", _edit_basis, errors)
    new_sections: dict[str, str] = {}
    _edit_list(plan, data, "sections", _edit_section, errors, add=_add_section, added=new_sections)
    _edit_list(
        plan, data, "commitments", _edit_commitment, errors, add=_add_commitment, added=new_sections
    )
    plan["partners"] = sorted(set(party_codes_of(plan)))
    _edit_list(plan, data, "targets", _edit_target, errors)
    _edit_list(plan, data, "recipients", _edit_recipient, errors)
    _edit_list(plan, data, "signers", _edit_signer, errors)
    return plan, errors


def _edit_list(
    plan: dict, data, part: str, edit, errors: dict[str, str], *, add=None, added=None
) -> None:
    """Apply the form to each element of ``plan[part]``: ticked ``-delete`` boxes drop it, and
    ``edit(element, data, prefix, key, errors)`` returns the edited copy, or None to drop it.
    ``prefix`` names the submitted fields (position in the shown plan), ``key`` the errors
    (position in the returned plan).

    Then the blank rows the preview offers for what the importer missed (``{part}-new-{k}-…``):
    ``add(kept, data, prefix, key, errors, added)`` returns the new element, or None for a row
    left blank; an element with an error is kept too, so the page shown again holds it."""
    kept = []
    for n, element in enumerate(plan.get(part) or []):
        prefix = f"{part}-{n}"
        if _deleted(data, prefix):
            continue
        edited = edit(dict(element), data, prefix, f"{part}-{len(kept)}", errors)
        if edited is not None:
            kept.append(edited)
    for k in range(NEW_ROWS.get(part, 0) if add else 0):
        prefix = f"{part}-new-{k}"
        element = add(kept, data, prefix, f"{part}-{len(kept)}", errors, added)
        if element is not None:
            kept.append(element)
    plan[part] = kept


def _edit_basis(line: dict, data, prefix: str, key: str, errors) -> dict | None:
    line["text"] = _long_text(data, f"{prefix}-text", line.get("text") or "")
    return line if line["text"] else None


def _edit_section(section: dict, data, prefix: str, key: str, errors) -> dict:
    before = _reviewable(section)
    section["heading"] = _text(data, f"{prefix}-heading", section.get("heading") or "", 500)
    _reviewed(section, before)
    return section


def _roman(number: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _add_section(sections: list[dict], data, prefix: str, key: str, errors, added) -> dict | None:
    """A section the importer missed, placed after the others. Its label ("III", "II.3") sets its
    level and parent; left blank, it becomes the next top-level Roman numeral."""
    heading = _text(data, f"{prefix}-heading", "", 500)
    label = _text(data, f"{prefix}-label", "", 200).replace(" ", "")
    if not heading and not label:
        return None
    paths = {s.get("path") or "" for s in sections}
    if not heading:
        errors[f"{key}-heading"] = _("Hãy nhập tiêu đề của mục thêm mới.")
    if len(label) > SECTION_LABEL_MAX_CHARS:
        errors[f"{key}-heading"] = _("Số hiệu mục quá dài (tối đa %(limit)s ký tự).") % {
            "limit": SECTION_LABEL_MAX_CHARS
        }
        label = label[:SECTION_LABEL_MAX_CHARS]
    elif label and label in paths:
        errors[f"{key}-heading"] = _("Đã có mục số hiệu “%(label)s”; hãy chọn số hiệu khác.") % {
            "label": label
        }
    if not label:
        number = sum(1 for s in sections if int(s.get("level") or 1) == 1) + 1
        while _roman(number) in paths:
            number += 1
        label = _roman(number)
    section = {"path": label, "heading": heading, "level": label.count(".") + 1}
    added[prefix.rsplit("-", 1)[-1]] = label
    return section


def _add_commitment(items: list[dict], data, prefix: str, key: str, errors, added) -> dict | None:
    """An item the importer missed: its text, its section (a listed one or one added in the same
    form) and its parties, the lead first then the ticked ones."""
    text = _long_text(data, f"{prefix}-text", "", ITEM_MAX_CHARS + 1)
    lead = (data.get(f"{prefix}-lead") or "").strip()
    ticked = data.getlist(f"{prefix}-parties") if hasattr(data, "getlist") else []
    name = _text(data, f"{prefix}-party_name", "", PARTY_NAME_MAX_CHARS + 1)
    if not text and not lead and not any(ticked) and not name:
        return None
    item = {"section": "", "text": text, "parties": [], "cadence": None, "target": None}
    chosen = MultiValueDict({f"{prefix}-parties": [lead, *ticked]})
    item["parties"] = _parties(chosen, f"{prefix}-parties", [], errors, f"{key}-parties")
    section = str(data.get(f"{prefix}-section") or "")[: SECTION_LABEL_MAX_CHARS + 4]
    if section.startswith("new-"):
        section = added.get(section[4:], "")
    item["section"] = section
    if len(name) > PARTY_NAME_MAX_CHARS:
        errors[f"{key}-parties"] = _("Tên tổ chức quá dài (tối đa %(limit)s ký tự).") % {
            "limit": PARTY_NAME_MAX_CHARS
        }
    elif name:
        item["party_names"] = [name]
    _check_item_text(item["text"], errors, key)
    return item


def _check_item_text(text: str, errors, key: str) -> None:
    if not text:
        errors[f"{key}-text"] = _(
            "Nội dung không được để trống; đánh dấu “Bỏ” nếu không cần nội dung này."
        )
    elif len(text) > ITEM_MAX_CHARS:
        errors[f"{key}-text"] = _(
            "Nội dung quá dài (%(count)s ký tự, tối đa %(limit)s); hãy rút gọn hoặc tách thành "
            "nhiều nội dung."
        ) % {"count": len(text), "limit": ITEM_MAX_CHARS}


def _edit_commitment(item: dict, data, prefix: str, key: str, errors) -> dict:
    before = _reviewable(item)
    item["text"] = _long_text(data, f"{prefix}-text", item.get("text") or "")
    _check_item_text(item["text"], errors, key)
    item["parties"] = _parties(
        data, f"{prefix}-parties", item.get("parties") or [], errors, f"{key}-parties"
    )
    item["cadence"] = _cadence(data, prefix, item.get("cadence"), errors, key)
    _reviewed(item, before)
    return item


def _reviewed(part: dict, before: tuple) -> None:
    """A part the person has corrected is no longer the importer's guess: its doubts go."""
    if before != _reviewable(part) and "confidence" in part:
        part["confidence"], part["doubts"] = 1.0, []


def _reviewable(part: dict) -> tuple:
    return tuple(
        json.dumps(part.get(k), sort_keys=True, ensure_ascii=False)
        for k in ("text", "heading", "parties", "cadence")
    )


def _edit_target(target: dict, data, prefix: str, key: str, errors) -> dict | None:
    target["text"] = _long_text(data, f"{prefix}-text", target.get("text") or "")
    comparator = data.get(f"{prefix}-comparator", target.get("comparator") or "")
    if comparator and comparator not in Target.Comparator.values:
        errors[f"{key}-comparator"] = _("Phép so sánh không hợp lệ.")
    else:
        target["comparator"] = comparator or None
    raw_value = data.get(f"{prefix}-value")
    if raw_value is not None:
        raw_value = raw_value.strip().replace(",", ".")
        try:
            value = Decimal(raw_value) if raw_value else None
            if value is not None and not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors[f"{key}-value"] = _("Giá trị chỉ tiêu phải là một số.")
        else:
            target["value"] = (
                None
                if value is None
                else int(value)
                if value == value.to_integral()
                else float(value)
            )
    target["unit"] = _text(data, f"{prefix}-unit", target.get("unit") or "", 32) or None
    return target if target["text"] or _has_error(errors, key) else None


def _edit_recipient(recipient: dict, data, prefix: str, key: str, errors) -> dict | None:
    recipient["name"] = _text(data, f"{prefix}-name", recipient.get("name") or "", 200)
    purpose = data.get(f"{prefix}-purpose", recipient.get("purpose") or "")
    if purpose and purpose not in Recipient.Purpose.values:
        errors[f"{key}-purpose"] = _("Mục đích gửi không hợp lệ.")
    else:
        recipient["purpose"] = purpose or None
    return recipient if recipient["name"] or _has_error(errors, key) else None


def _edit_signer(signer: dict, data, prefix: str, key: str, errors) -> dict | None:
    authority = data.get(f"{prefix}-authority", signer.get("authority") or "")
    if authority not in SIGNER_AUTHORITIES:
        errors[f"{key}-authority"] = _("Thẩm quyền ký không hợp lệ.")
    else:
        signer["authority"] = authority or None
    signer["title"] = _text(data, f"{prefix}-title", signer.get("title") or "", 200)
    signer["name"] = _text(data, f"{prefix}-name", signer.get("name") or "", 120)
    return signer if signer["title"] or signer["name"] or _has_error(errors, key) else None


def missing_party_codes(plan: dict, unit_parties: dict) -> list[str]:
    """Codes named by the plan's items for which the unit has no party yet."""
    return [c for c in party_codes_of(plan) if c in PARTY_CODES and c not in unit_parties]


def missing_party_names(plan: dict, unit_party_names) -> list[str]:
    """Party names typed for added items that match none of the unit's parties (by the rule the
    saving service matches them with), in first-seen order."""
    have = {party_name_key(n) for n in unit_party_names}
    seen: dict[str, str] = {}
    for item in plan.get("commitments") or []:
        for name in item.get("party_names") or []:
            if party_name_key(name) not in have:
                seen.setdefault(party_name_key(name), name)
    return list(seen.values())


def party_names(codes) -> str:
    return ", ".join(party_label(c) for c in codes)
