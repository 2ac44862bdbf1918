"""The issuing toolbar of the document page, kept out of ``views.document_detail`` so that the
workflow lives in one module and the detail view stays as it is."""

from django import template

from phoihop.documents import amendment, issuing
from phoihop.units.scoping import scope_for

register = template.Library()


@register.inclusion_tag("documents/issuing_toolbar.html", takes_context=True)
def issuing_toolbar(context, document):
    """The steps this user may take ("Sửa đổi, bổ sung" first on an issued document), the
    downloads, their own receipt and (for managers) who acknowledged and the workflow history."""
    request = context["request"]
    scope = scope_for(request)
    manages = scope.can_manage(document.unit)
    own = document.acknowledgements.filter(user=request.user).first()
    acknowledgements = []
    history = []
    if manages:
        acknowledgements = list(
            document.acknowledgements.select_related("user").order_by("user__last_name", "pk")
        )
        history = list(
            document.history.filter(history_change_reason__isnull=False)
            .select_related("history_user")
            .order_by("-history_date")[:20]
        )
    transitions = issuing.allowed_transitions(document, scope)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "document": document,
        # Superseding ends the plan's life: a quiet link after the rest, not a button.
        "transitions": [t for t in transitions if t.name != "supersede"],
        "supersede": next((t for t in transitions if t.name == "supersede"), None),
        "amend": amendment.offer(scope, document),
        "confirmed_steps": issuing.CONFIRMED_STEPS,
        "full_view": scope.sees_all_items_of(document),
        "own_acknowledgement": own,
        "manages": manages,
        "acknowledgements": acknowledgements,
        "history": history,
    }
