from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from phoihop.core.collation import natural_key
from phoihop.units.scoping import scope_for


def unit_detail(request, pk: int):
    """A unit's home: its documents (as far as the user may see them) and its parties."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=pk)
    documents = (
        scope.documents()
        .filter(unit=unit)
        .select_related("school_year")
        .order_by("-issued_on", "-created_at")
    )
    context = {
        "unit": unit,
        "documents": documents,
        "parties": scope.parties().filter(unit=unit).order_by("kind", "name"),
        "children": sorted(
            unit.children.filter(pk__in=scope.units()), key=lambda u: natural_key(u.name)
        ),
        "can_manage": scope.can_manage(unit),
        "keeps_register": scope.keeps_register_of(unit.pk),
        "leads": scope.leads(unit.pk),
        "classes": scope.classes().filter(unit=unit).order_by("grade", "name"),
        "this_month": timezone.localdate(),
    }
    return render(request, "units/unit_detail.html", context)
