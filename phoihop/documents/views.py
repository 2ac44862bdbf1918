from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from phoihop.documents import amendment
from phoihop.documents.editor import can_edit
from phoihop.documents.models import Document, ItemParty
from phoihop.units.scoping import scope_for


def _item_queryset(scope):
    parties = ItemParty.objects.select_related("party").order_by("-is_lead", "position")
    return (
        scope.items()
        .select_related("section", "target")
        .prefetch_related(Prefetch("item_parties", queryset=parties))
    )


def document_detail(request, pk: int):
    """A document with its sections, items (parties, cadence) and targets.

    A partner contact sees the document's frame but only the items that name its party.
    """
    scope = scope_for(request)
    document = get_object_or_404(
        scope.documents().select_related("unit", "school_year", "parent", "previous", "amends"),
        pk=pk,
    )
    items = list(_item_queryset(scope).filter(document=document).order_by("position"))
    sections = list(document.sections.order_by("position"))
    by_section: dict[int | None, list] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    full_view = scope.sees_all_items_of(document)
    tree = [
        {"section": s, "items": by_section.get(s.pk, [])}
        for s in sections
        if full_view or by_section.get(s.pk)
    ]
    context = {
        "document": document,
        "tree": tree,
        "loose_items": by_section.get(None, []),
        "full_view": full_view,
        "targets": document.targets.order_by("position") if full_view else [],
        "legal_basis": document.legal_basis.order_by("position") if full_view else [],
        "recipients": document.recipients.order_by("position") if full_view else [],
        "signers": document.signers.order_by("position"),
        "item_count": len(items),
        "can_manage": scope.can_manage(document.unit),
        "runs_unit": scope.runs(document.unit_id),
        "can_edit": can_edit(scope, document),
        # A new version's link to the one it amends, and the other way once it is replaced.
        "replaced_by": (
            amendment.replaced_by(document)
            if document.status == Document.Status.SUPERSEDED
            else None
        ),
        # A draft amendment is scheduled when issued; a replaced version no longer is.
        "schedulable": not (
            (document.amends_id and document.is_draft)
            or document.status == Document.Status.SUPERSEDED
        ),
    }
    return render(request, "documents/document_detail.html", context)


def item_detail(request, pk: int):
    scope = scope_for(request)
    item = get_object_or_404(_item_queryset(scope).select_related("document"), pk=pk)
    activities = (
        scope.activities().filter(item=item).select_related("assignee_party", "school_class")
    )
    return render(request, "documents/item_detail.html", {"item": item, "activities": activities})
