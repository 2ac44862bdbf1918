"""A stored document as a plan dict (``phoihop.import/1``): the inverse of
``services.create_document_from_plan``.

The core (render, lint, later compare) works on plan dicts only, so that the CLI and the web run the
same code on the same shape; this module is the bridge from the database back to that shape.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from phoihop.core.numerals import plain_number
from phoihop.documents.models import Document, Item, ItemParty
from phoihop.units.models import Unit

FORMAT = "phoihop.import/1"

# Unit levels that are also school levels of the import format; the others map to "other".
_SCHOOL_LEVELS = {"mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "phong_gd", "so_gd"}


def _number(value: Decimal | None):
    """Decimals as JSON numbers: 90 rather than "90.00", 92.5 rather than Decimal("92.50")."""
    return plain_number(value)


def _number_reference(document: Document) -> str | None:
    """ "89/KH-THCSBTS" (as split by ``split_number``), "/KH-THCSBTS" while unnumbered, or None."""
    symbol = document.symbol or document.default_symbol
    if document.number is None:
        return f"/{symbol}" if symbol else None
    return f"{document.number}/{symbol}" if symbol else str(document.number)


def issuer_superior(unit: Unit) -> str:
    """The line above the issuer in the header: the unit's own setting, else its parent's name."""
    if unit.superior_name:
        return unit.superior_name
    return unit.parent.name if unit.parent_id else ""


def document_to_plan(document: Document, *, items=None) -> dict:
    """``document`` in the ``phoihop.import/1`` shape, for the renderer and the lint.

    ``items`` restricts the commitments to a queryset the caller chose (a partner contact sees only
    the items naming its party); by default every item of the document is included.
    """
    party_links = ItemParty.objects.select_related("party").order_by("-is_lead", "position")
    if items is None:
        items = Item.objects.filter(document=document)
    items = (
        items.filter(document=document)
        .select_related("section", "target")
        .prefetch_related(Prefetch("item_parties", queryset=party_links))
        .order_by("position", "pk")
    )
    unit = document.unit
    period = None
    if document.period_text or document.start_year or document.end_year:
        period = {
            "text": document.period_text or None,
            "start_year": document.start_year,
            "end_year": document.end_year,
        }

    commitments = []
    partners: dict[str, None] = {}
    for item in items:
        kinds = [link.party.kind for link in item.item_parties.all()]
        partners.update(dict.fromkeys(kinds))
        commitment = {
            "section": item.section.label if item.section_id else None,
            "text": item.text,
            "parties": list(dict.fromkeys(kinds)),
            "cadence": item.cadence,
            "target": None,
            "evidence_required": item.evidence_required,
        }
        raw = [link.party.name for link in item.item_parties.all() if link.party.kind == "other"]
        if raw:
            commitment["parties_raw"] = raw
        if item.target_id:
            commitment["target"] = {
                "comparator": item.target.comparator or None,
                "value": _number(item.target.value),
                "unit": item.target.unit_label or None,
            }
        commitments.append(commitment)

    return {
        "format": FORMAT,
        "doc_type": document.doc_type,
        "title": document.title,
        "issuer": document.issuer_name or unit.name,
        "co_issuer": document.co_issuer_name or None,
        "issuer_superior": issuer_superior(unit) or None,
        "school_level": unit.level if unit.level in _SCHOOL_LEVELS else "other",
        "number": _number_reference(document),
        "date": document.issued_on.isoformat() if document.issued_on else None,
        "place": document.place or None,
        "period": period,
        "legal_basis": [
            {
                "text": basis.text,
                "ref": (
                    {
                        "number": basis.ref_number or None,
                        "date": basis.ref_date.isoformat() if basis.ref_date else None,
                    }
                    if (basis.ref_number or basis.ref_date)
                    else None
                ),
            }
            for basis in document.legal_basis.order_by("position", "pk")
        ],
        "partners": list(partners),
        "sections": [
            {"path": section.label, "heading": section.heading, "level": section.level}
            for section in document.sections.order_by("position", "pk")
        ],
        "commitments": commitments,
        "targets": [
            {
                "text": target.text,
                "comparator": target.comparator or None,
                "value": _number(target.value),
                "unit": target.unit_label or None,
            }
            for target in document.targets.order_by("position", "pk")
        ],
        "recipients": [
            {
                "text": recipient.text or recipient.name,
                "name": recipient.name,
                "purpose": recipient.purpose or None,
            }
            for recipient in document.recipients.order_by("position", "pk")
        ],
        "signers": [
            {"authority": signer.authority or None, "title": signer.title, "name": signer.name}
            for signer in document.signers.order_by("position", "pk")
        ],
        "warnings": [],
    }
