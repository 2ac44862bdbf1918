"""Cascade: an office's plan sent down to its units, each of which gets its own draft to adapt.

Which items a unit inherits: every item except those whose parties are all the office's own
bodies (the education office itself, the provincial labour federation: ``OFFICE_ONLY_KINDS``).
An item naming, say, "lãnh đạo" and "công đoàn" is addressed to every school, whose own leadership
and union then carry it out; the school's parties of those kinds are created when missing. Items
without parties are inherited too: a joint plan's general duties apply to everyone.

Each inherited item is linked to the item it came from (``InheritedItem``), so the office can see
what each unit added, removed or reworded. Sending again to a unit that already has its draft
changes nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.render.model import split_title
from phoihop.documents.models import Acknowledgement, Document, Item
from phoihop.documents.plan_dict import document_to_plan
from phoihop.documents.services import create_document_from_plan
from phoihop.reviews.models import InheritedItem
from phoihop.units.models import Membership, Unit

# Party kinds that exist only at the office: items owned by them alone stay with the office.
OFFICE_ONLY_KINDS = frozenset({"co_quan_quan_ly", "lien_doan_lao_dong"})
ISSUED_STATUSES = (Document.Status.ISSUED, Document.Status.IN_FORCE)


class CascadeError(ValueError):
    """The document cannot be sent down as asked; the message says why."""


@dataclass
class CascadeResult:
    created: list[Document] = field(default_factory=list)
    existing: list[Document] = field(default_factory=list)


def is_addressed_to_units(kinds: list[str]) -> bool:
    return not kinds or any(kind not in OFFICE_ONLY_KINDS for kind in kinds)


def child_title(document: Document) -> str:
    """The unit's own plan on the same subject carries the office's title: its issuer is in the
    header, so a title ending "… của Trường THCS số 5" is not how a school names its plan."""
    type_name, summary = split_title({"title": document.title, "doc_type": document.doc_type})
    return f"{type_name} {summary}".strip() if type_name else summary


def target_units(office: Unit, *, level: str = "", unit_ids=()) -> list[Unit]:
    """The units below ``office`` to send to: every school of ``level``, or those picked."""
    units = Unit.objects.filter(path__startswith=office.path).exclude(pk=office.pk)
    if unit_ids:
        units = units.filter(pk__in=unit_ids)
    elif level:
        units = units.filter(level=level)
    else:
        return []
    return list(units.order_by("path"))


def _child_plan(document: Document, plan: dict, unit: Unit) -> dict:
    reference = document.number_line
    basis = _("Thực hiện %(type)s%(number)s của %(issuer)s về %(title)s") % {
        "type": document.get_doc_type_display(),
        "number": f" số {reference}" if document.number is not None else "",
        "issuer": document.issuer_name or document.unit.name,
        "title": document.title,
    }
    commitments = []
    for commitment in plan["commitments"]:
        kinds = [k for k in commitment.get("parties") or [] if k not in OFFICE_ONLY_KINDS]
        commitments.append({**commitment, "parties": kinds})
    return {
        **plan,
        "title": child_title(document)[:500],
        "issuer": unit.name,
        "co_issuer": None,
        "issuer_superior": None,
        "number": None,
        "date": None,
        "place": unit.place_name or None,
        "legal_basis": [{"text": basis, "ref": None}, *plan["legal_basis"]],
        "commitments": commitments,
        "recipients": [
            {
                "text": f"{document.unit.name} (b/c);",
                "name": document.unit.name,
                "purpose": "bao_cao",
            },
            {"text": "Lưu VT.", "name": "Lưu VT", "purpose": "luu"},
        ],
        "signers": [],
    }


@transaction.atomic
def cascade_document(document: Document, units: list[Unit], user=None) -> CascadeResult:
    """Give each of ``units`` its draft of ``document`` (once: existing drafts are left alone)."""
    office = document.unit
    result = CascadeResult()
    existing = {
        d.unit_id: d
        for d in Document.objects.filter(parent=document, unit__in=units).order_by("pk")
    }
    plan = document_to_plan(document)
    # document_to_plan lists the items in this order, so the two lists pair up.
    parent_items = list(Item.objects.filter(document=document).order_by("position", "pk"))
    pairs = [
        (commitment, item)
        for commitment, item in zip(plan["commitments"], parent_items, strict=True)
        if is_addressed_to_units(commitment.get("parties") or [])
    ]
    plan = {**plan, "commitments": [c for c, _item in pairs]}
    for unit in units:
        if unit.pk == office.pk or not unit.path.startswith(office.path):
            raise CascadeError(
                _("%(unit)s không thuộc %(office)s.") % {"unit": unit.name, "office": office.name}
            )
        if unit.pk in existing:
            result.existing.append(existing[unit.pk])
            continue
        child = create_document_from_plan(unit, _child_plan(document, plan, unit), user=user)
        child.parent = document
        child.status = Document.Status.DRAFT
        child.save(update_fields=["parent", "status"])
        child_items = list(Item.objects.filter(document=child).order_by("position", "pk"))
        InheritedItem.objects.bulk_create(
            InheritedItem(child_document=child, child_item=child_item, parent_item=parent_item)
            for child_item, (_c, parent_item) in zip(child_items, pairs, strict=True)
        )
        result.created.append(child)
    _notify_leadership(document, units)
    return result


def _notify_leadership(document: Document, units: list[Unit]) -> None:
    """The office's plan reaches each school's "Văn bản đến": its leaders and clerks are asked to
    acknowledge it, as recipients of an issued document are (once each, however often sent)."""
    managers = (
        Membership.objects.current()
        .filter(
            unit__in=units,
            role__in=[Membership.Role.LEADER, Membership.Role.CLERK],
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(document=document, user_id=pk, notified_at=now) for pk in managers],
        ignore_conflicts=True,
    )


@dataclass
class ChildStatus:
    unit: Unit
    document: Document | None
    state: str  # "issued", "draft" or "none"
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[tuple[Item, Item]] = field(default_factory=list)  # (parent item, child item)

    @property
    def state_label(self) -> str:
        return {
            "issued": _("Đã ban hành"),
            "draft": _("Đang dự thảo"),
            "none": _("Chưa có"),
        }[self.state]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)


def cascade_status(document: Document, *, level: str = "") -> list[ChildStatus]:
    """Per school below the office (of ``level`` if given) and per unit that received the
    document and is still below the office: its draft or issued copy, and what it added, removed
    or reworded. Four queries."""
    office = document.unit
    units = Unit.objects.filter(path__startswith=office.path).exclude(level__in=Unit.OFFICE_LEVELS)
    if level:
        units = units.filter(level=level)
    children = {}
    # Only copies held below the office: a school moved to another office since the cascade
    # keeps its copy's link to this document, but its plan is no longer this office's to see.
    below = Document.objects.filter(parent=document, unit__path__startswith=office.path)
    for child in below.order_by("pk"):
        children.setdefault(child.unit_id, child)
    units = list(units | Unit.objects.filter(pk__in=list(children)))
    rows = {}
    for unit in sorted(units, key=lambda u: u.path):
        child = children.get(unit.pk)
        if child is None:
            state = "none"
        elif child.status in ISSUED_STATUSES:
            state = "issued"
        else:
            state = "draft"
        rows[unit.pk] = ChildStatus(unit=unit, document=child, state=state)
    by_document = {child.pk: rows[child.unit_id] for child in children.values()}
    links = InheritedItem.objects.filter(child_document__in=by_document).select_related(
        "child_item", "parent_item"
    )
    for link in links.order_by("parent_item__position", "pk"):
        row = by_document[link.child_document_id]
        if link.child_item is None:
            row.removed.append(link.parent_item)
        elif _normalised(link.child_item.text) != _normalised(link.parent_item.text):
            row.changed.append((link.parent_item, link.child_item))
    added = Item.objects.filter(document__in=by_document, inherited_from__isnull=True)
    for item in added.order_by("position", "pk"):
        by_document[item.document_id].added.append(item)
    return list(rows.values())


def _normalised(text: str) -> str:
    return " ".join(text.split())
