"""Multi-step changes to documents, each in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from phoihop.core.i18n import _
from phoihop.core.importing.plan import FORMAT
from phoihop.core.parties import PARTY_CODES, party_label
from phoihop.documents.models import (
    Document,
    Item,
    ItemParty,
    LegalBasis,
    Recipient,
    Section,
    Signer,
    Target,
)
from phoihop.units.models import Party, Unit

NUMBER_RE = re.compile(r"^\s*(\d+)\s*/\s*(\S.*?)\s*$")


class PlanError(ValueError):
    """The plan cannot be saved as it is; the message says why, in the user's language."""


def split_number(reference: str | None) -> tuple[int | None, str]:
    """ "89/KH-THCSBTS" → (89, "KH-THCSBTS"); "/QĐ-THCSDH" → (None, "QĐ-THCSDH")."""
    if not reference:
        return None, ""
    match = NUMBER_RE.match(reference)
    if match:
        return int(match.group(1)), match.group(2).replace(" ", "")
    return None, reference.strip().lstrip("/").strip()


def _parse_date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise PlanError(
            _("Ngày “%(value)s” ở trường %(field)s không hợp lệ (cần dạng NNNN-TT-NN).")
            % {"value": value, "field": field}
        ) from exc


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise PlanError(
            _("Giá trị chỉ tiêu “%(value)s” không phải là số.") % {"value": value}
        ) from exc


def resolve_parties(unit: Unit, codes: set[str], *, create_missing: bool) -> dict[str, Party]:
    """Map party codes to the unit's parties, creating the missing ones when asked."""
    found: dict[str, Party] = {}
    for party in Party.objects.filter(unit=unit, kind__in=codes).order_by("pk"):
        found.setdefault(party.kind, party)
    if create_missing:
        taken = set(Party.objects.filter(unit=unit).values_list("name", flat=True))
        for code in sorted(codes - found.keys()):
            name = party_label(code)
            # Another party may already carry the label (a renamed one of another kind).
            suffix = 2
            while name in taken:
                name = f"{party_label(code)} ({suffix})"
                suffix += 1
            taken.add(name)
            found[code] = Party.objects.create(unit=unit, kind=code, name=name)
    return found


def party_name_key(name: str) -> str:
    """How two spellings of a party's name are matched: case and spacing do not count."""
    return " ".join(str(name).split()).casefold()


def resolve_named_parties(unit: Unit, names: set[str], *, create_missing: bool) -> dict[str, Party]:
    """Map partner names a person typed (``party_names`` of an item) to the unit's parties by
    ``party_name_key``, creating a party of kind "other" for a new name when asked."""
    wanted = {party_name_key(n): " ".join(str(n).split())[:200] for n in names if str(n).strip()}
    found: dict[str, Party] = {}
    if not wanted:
        return found
    for party in Party.objects.filter(unit=unit).order_by("pk"):
        found.setdefault(party_name_key(party.name), party)
    found = {key: party for key, party in found.items() if key in wanted}
    if create_missing:
        for key in sorted(wanted.keys() - found.keys()):
            found[key] = Party.objects.create(unit=unit, kind="other", name=wanted[key])
    return found


def _school_year_for(unit: Unit, period: dict | None):
    """The frame of the plan's school year as it applies to ``unit`` (its own, a province's or
    the national default); None for a multi-year period."""
    from phoihop.core.calendar import CalendarError
    from phoihop.schedule.services import effective_school_year

    if not period or not period.get("start_year") or not period.get("end_year"):
        return None
    if period["end_year"] - period["start_year"] != 1:
        return None
    try:
        return effective_school_year(unit, f"{period['start_year']}-{period['end_year']}")
    except CalendarError:
        return None


@transaction.atomic
def create_document_from_plan(
    unit: Unit, plan: dict, *, user=None, create_missing_parties: bool = True
) -> Document:
    """Save a plan in the ``phoihop.import/1`` shape as a Document of ``unit``.

    Used by the importer page, the templates and the demo alike. Raises PlanError and saves
    nothing when the plan cannot be stored as it is.
    """
    if plan.get("format") != FORMAT:
        raise PlanError(_("Dữ liệu không đúng định dạng phoihop.import/1."))
    title = (plan.get("title") or "").strip()
    if not title:
        raise PlanError(_("Văn bản chưa có trích yếu (tên văn bản)."))
    doc_type = plan.get("doc_type") or "other"
    if doc_type not in Document.Type.values:
        doc_type = Document.Type.OTHER
    issued_on = _parse_date(plan.get("date"), "date")
    number, symbol = split_number(plan.get("number"))
    period = plan.get("period") or {}
    document = Document(
        unit=unit,
        doc_type=doc_type,
        number=number,
        number_year=issued_on.year if (number is not None and issued_on) else None,
        symbol=symbol,
        issuer_name=plan.get("issuer") or unit.name,
        co_issuer_name=plan.get("co_issuer") or "",
        place=plan.get("place") or "",
        issued_on=issued_on,
        title=title[:500],
        period_text=period.get("text") or "",
        start_year=period.get("start_year"),
        end_year=period.get("end_year"),
        school_year=_school_year_for(unit, period),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if number is not None and document.number_year is None:
        document.number_year = document.start_year or dt.date.today().year
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as exc:
        raise PlanError(
            _("Số %(number)s đã được dùng cho một văn bản cùng loại của đơn vị trong năm %(year)s.")
            % {"number": plan.get("number"), "year": document.number_year}
        ) from exc

    for position, basis in enumerate(plan.get("legal_basis") or []):
        ref = basis.get("ref") or {}
        LegalBasis.objects.create(
            document=document,
            position=position,
            text=basis.get("text", ""),
            ref_number=ref.get("number") or "",
            ref_date=_parse_date(ref.get("date"), "legal_basis.ref.date"),
        )
    for position, recipient in enumerate(plan.get("recipients") or []):
        purpose = recipient.get("purpose") or ""
        Recipient.objects.create(
            document=document,
            position=position,
            name=(recipient.get("name") or recipient.get("text") or "")[:200],
            purpose=purpose if purpose in Recipient.Purpose.values else "",
            text=(recipient.get("text") or "")[:300],
        )
    for position, signer in enumerate(plan.get("signers") or []):
        Signer.objects.create(
            document=document,
            position=position,
            authority=signer.get("authority") or "",
            title=signer.get("title") or "",
            name=signer.get("name") or "",
        )

    targets = []
    for position, target in enumerate(plan.get("targets") or []):
        targets.append(
            Target.objects.create(
                document=document,
                position=position,
                text=target.get("text", ""),
                comparator=target.get("comparator") or "",
                value=_decimal(target.get("value")),
                unit_label=target.get("unit") or "",
            )
        )

    sections_by_path: dict[str, Section] = {}
    stack: list[Section] = []
    for position, raw in enumerate(plan.get("sections") or []):
        level = int(raw.get("level") or 1)
        path = raw.get("path") or ""
        parent = None
        if "." in path:
            parent = sections_by_path.get(path.rsplit(".", 1)[0])
        if parent is None:
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1] if stack else None
        section = Section.objects.create(
            document=document,
            parent=parent,
            position=position,
            label=path,
            heading=(raw.get("heading") or "")[:500],
            level=level,
        )
        sections_by_path[path] = section
        stack = [s for s in stack if s.level < level] + [section]

    commitments = plan.get("commitments") or []
    codes = {c for item in commitments for c in item.get("parties") or [] if c in PARTY_CODES}
    parties = resolve_parties(unit, codes, create_missing=create_missing_parties)
    names = {n for item in commitments for n in item.get("party_names") or [] if n}
    named = resolve_named_parties(unit, names, create_missing=create_missing_parties)
    for position, raw in enumerate(commitments):
        item = Item.objects.create(
            document=document,
            section=_find_section(sections_by_path, raw.get("section") or ""),
            position=position,
            text=raw.get("text", ""),
            cadence=raw.get("cadence"),
            target=_match_target(document, targets, raw),
            evidence_required=bool(raw.get("evidence_required", False)),
        )
        # Codes the unit has no party for are dropped; the first remaining party leads.
        known = [parties[c] for c in dict.fromkeys(raw.get("parties") or []) if c in parties]
        for name in raw.get("party_names") or []:
            party = named.get(party_name_key(name))
            if party is not None and party not in known:
                known.append(party)
        ItemParty.objects.bulk_create(
            ItemParty(item=item, party=party, is_lead=(order == 0), position=order)
            for order, party in enumerate(known)
        )
    return document


def _find_section(sections: dict[str, Section], path: str) -> Section | None:
    """The item's section, or its nearest listed ancestor ("B.I.3.a" → "B.I.3" → "B.I")."""
    while path:
        if path in sections:
            return sections[path]
        if "." not in path:
            return None
        path = path.rsplit(".", 1)[0]
    return None


def _match_target(document: Document, targets: list[Target], raw: dict) -> Target | None:
    goal = raw.get("target")
    if not goal:
        return None
    value = _decimal(goal.get("value"))
    for target in targets:
        if (target.comparator, target.value, target.unit_label) == (
            goal.get("comparator") or "",
            value,
            goal.get("unit") or "",
        ) and _shares_words(target.text, raw.get("text", "")):
            return target
    target = Target.objects.create(
        document=document,
        position=len(targets),
        text=raw.get("text", ""),
        comparator=goal.get("comparator") or "",
        value=value,
        unit_label=goal.get("unit") or "",
    )
    targets.append(target)
    return target


def _shares_words(a: str, b: str, minimum: int = 3) -> bool:
    words = lambda s: {w for w in re.findall(r"\w+", s.lower()) if len(w) > 2}  # noqa: E731
    return len(words(a) & words(b)) >= minimum
