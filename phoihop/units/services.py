"""Changes to the unit tree, each in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.units.models import Unit


class TreeError(ValueError):
    """A change the tree cannot take; the message says why."""


@transaction.atomic
def add_unit(parent: Unit, *, name: str, level: str, code: str = "", locality: str = "") -> Unit:
    name = name.strip()
    if not name:
        raise TreeError(_("Hãy nhập tên đơn vị."))
    if level not in Unit.Level.values:
        raise TreeError(_("Cấp đơn vị không hợp lệ."))
    if Unit.objects.filter(parent=parent, name__iexact=name).exists():
        raise TreeError(_("“%(name)s” đã có trong %(parent)s.") % {"name": name, "parent": parent})
    return Unit.objects.create(
        parent=parent, name=name, level=level, code=code.strip(), locality=locality.strip()
    )


@transaction.atomic
def move_unit(unit: Unit, new_parent: Unit) -> Unit:
    """Put ``unit`` (and everything below it) under ``new_parent``; its history stays with it."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if new_parent.path.startswith(unit.path):
        raise TreeError(_("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc nó."))
    if not new_parent.is_office:
        raise TreeError(_("Chỉ chuyển được đơn vị về dưới một Sở hoặc Phòng GD&ĐT."))
    unit.parent = new_parent
    unit.save()
    return unit
