"""An office's unit tree: see the subtree, add a unit, move a school to another office."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.params import id_param
from phoihop.units.models import Unit
from phoihop.units.scoping import scope_for
from phoihop.units.services import TreeError, add_unit, move_unit


def _managed_office(request, pk: int) -> Unit:
    scope = scope_for(request)
    office = get_object_or_404(scope.units(), pk=pk)
    if not office.is_office:
        raise Http404
    if not scope.can_manage(office):
        raise PermissionDenied
    return office


def unit_tree(request, pk: int):
    office = _managed_office(request, pk)
    units = list(Unit.objects.filter(path__startswith=office.path).order_by("path"))
    depth0 = office.path.count("/")
    rows = [{"unit": u, "depth": u.path.count("/") - depth0} for u in units]
    offices = [u for u in units if u.is_office]
    return render(
        request,
        "units/unit_tree.html",
        {"office": office, "rows": rows, "offices": offices, "levels": Unit.Level.choices},
    )


@require_POST
def unit_add(request, pk: int):
    office = _managed_office(request, pk)
    parent = get_object_or_404(
        Unit.objects.filter(path__startswith=office.path), pk=id_param(request.POST, "parent") or 0
    )
    try:
        unit = add_unit(
            parent,
            name=request.POST.get("name", ""),
            level=request.POST.get("level", ""),
            code=request.POST.get("code", ""),
            locality=request.POST.get("locality", ""),
        )
    except TreeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thêm %(name)s.") % {"name": unit.name})
    return redirect("units:unit-tree", pk=office.pk)


@require_POST
def unit_move(request, pk: int, unit_pk: int):
    office = _managed_office(request, pk)
    subtree = Unit.objects.filter(path__startswith=office.path)
    unit = get_object_or_404(subtree.exclude(pk=office.pk), pk=unit_pk)
    new_parent = get_object_or_404(subtree, pk=id_param(request.POST, "parent") or 0)
    try:
        move_unit(unit, new_parent)
    except TreeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã chuyển %(unit)s về %(parent)s.") % {"unit": unit.name, "parent": new_parent.name},
        )
    return redirect("units:unit-tree", pk=office.pk)
