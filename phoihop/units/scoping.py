"""The one place that decides what a user may see.

Every list and detail view starts its queryset here. The rules, from the design:

- staff of a unit (leader, clerk, member, homeroom teacher) see that unit and, for an office, every
  unit below it, with their documents, items and activities;
- only a unit's own staff write and submit its documents, and only its own leaders and clerks
  issue them from its register: an office reads its schools' documents, sends its own plans
  down (cascade) and rolls them up, but does not write in a school's name;
- a partner contact sees the units it is attached to, but only the items that name its party, the
  activities of those items and the documents that contain them, and only once the document is
  issued (a draft is the school's own business until it is signed);
- students (personal data) are seen only by the homeroom teacher of their class and by the
  leadership of their own school;
- superusers see everything (they run the installation).

Permissions derive from memberships only; nothing here reads request parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.units.models import Membership, Party, Unit

STAFF_ROLES = frozenset(
    {
        Membership.Role.LEADER,
        Membership.Role.CLERK,
        Membership.Role.MEMBER,
        Membership.Role.HOMEROOM,
    }
)
MANAGER_ROLES = frozenset({Membership.Role.LEADER, Membership.Role.CLERK})
# Document statuses a partner may read: signed and issued, in force, or superseded since (the
# values of ``documents.Document.Status``, kept here as data to keep this module below documents).
PUBLISHED_STATUSES = ("issued", "in_force", "superseded")


@dataclass
class Scope:
    """What one user may see, computed once from their memberships."""

    user: object
    is_superuser: bool = False
    staff_paths: list[str] = field(default_factory=list)
    manager_paths: list[str] = field(default_factory=list)
    leader_paths: list[str] = field(default_factory=list)
    leader_unit_ids: set[int] = field(default_factory=set)
    partner_unit_ids: set[int] = field(default_factory=set)
    partner_party_ids: set[int] = field(default_factory=set)
    homeroom_class_ids: set[int] = field(default_factory=set)
    acting_party_ids: set[int] = field(default_factory=set)
    managed_office_ids: set[int] = field(default_factory=set)
    own_staff_unit_ids: set[int] = field(default_factory=set)
    own_manager_unit_ids: set[int] = field(default_factory=set)

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user=user)
        scope = cls(user=user, is_superuser=user.is_superuser)
        memberships = Membership.objects.current().filter(user=user).select_related("unit")
        for m in memberships:
            if m.party_id:
                scope.acting_party_ids.add(m.party_id)
            if m.role == Membership.Role.PARTNER:
                scope.partner_unit_ids.add(m.unit_id)
                if m.party_id:
                    scope.partner_party_ids.add(m.party_id)
                continue
            scope.staff_paths.append(m.unit.path)
            scope.own_staff_unit_ids.add(m.unit_id)
            if m.role in MANAGER_ROLES:
                scope.manager_paths.append(m.unit.path)
                scope.own_manager_unit_ids.add(m.unit_id)
                if m.unit.is_office:
                    scope.managed_office_ids.add(m.unit_id)
            if m.role == Membership.Role.LEADER:
                scope.leader_unit_ids.add(m.unit_id)
                scope.leader_paths.append(m.unit.path)
            if m.role == Membership.Role.HOMEROOM and m.school_class_id:
                scope.homeroom_class_ids.add(m.school_class_id)
        return scope

    # -- units -------------------------------------------------------------------------------

    def _subtree_q(self, paths: list[str], prefix: str = "") -> Q:
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    @cached_property
    def staff_unit_ids(self) -> set[int]:
        if not self.staff_paths:
            return set()
        return set(
            Unit.objects.filter(self._subtree_q(self.staff_paths)).values_list("pk", flat=True)
        )

    def units(self) -> QuerySet[Unit]:
        if self.is_superuser:
            return Unit.objects.all()
        return Unit.objects.filter(Q(pk__in=self.staff_unit_ids) | Q(pk__in=self.partner_unit_ids))

    def office_ids(self) -> list[int]:
        """Offices (Sở, Phòng) this user manages: where the roll-up is offered."""
        return sorted(self.managed_office_ids)

    def can_manage(self, unit: Unit) -> bool:
        """Leaders and clerks manage their unit and the units below it."""
        return self.is_superuser or any(unit.path.startswith(p) for p in self.manager_paths)

    def leads_over(self, unit: Unit) -> bool:
        """A leader of ``unit`` or of an office above it: who may give the leader role there."""
        return self.is_superuser or any(unit.path.startswith(p) for p in self.leader_paths)

    def leads(self, unit_id: int) -> bool:
        """The school's leadership (principal, deputies): who may approve its documents, import
        and transfer its students."""
        return self.is_superuser or unit_id in self.leader_unit_ids

    def led_units(self) -> QuerySet[Unit]:
        """The units whose leadership this user is part of (every unit for a superuser)."""
        if self.is_superuser:
            return Unit.objects.all()
        return Unit.objects.filter(pk__in=self.leader_unit_ids)

    def is_staff_of(self, unit: Unit) -> bool:
        return self.is_superuser or unit.pk in self.staff_unit_ids

    def works_in(self, unit_id: int) -> bool:
        """Staff of this very unit, not of an office above it: who write and submit its drafts."""
        return self.is_superuser or unit_id in self.own_staff_unit_ids

    def keeps_register_of(self, unit_id: int) -> bool:
        """The unit's own leaders and clerks (văn thư), not an office's: who number and issue its
        documents from its register (Decree 30/2020/NĐ-CP, Điều 15)."""
        return self.runs(unit_id)

    def runs(self, unit_id: int) -> bool:
        """The unit's own leaders and clerks, not an office's: who schedule its plans and record
        its results and targets. An office reads, rolls up and sends plans down; it does not do
        a school's work in the school's name."""
        return self.is_superuser or unit_id in self.own_manager_unit_ids

    def parties(self) -> QuerySet[Party]:
        if self.is_superuser:
            return Party.objects.all()
        return Party.objects.filter(
            Q(unit_id__in=self.staff_unit_ids) | Q(pk__in=self.partner_party_ids)
        )

    # -- documents and items -----------------------------------------------------------------

    def _partner_item_exists(self, item_ref: str) -> Exists:
        """An item naming one of the partner's parties, in an issued document."""
        from phoihop.documents.models import ItemParty

        return Exists(
            ItemParty.objects.filter(
                item=OuterRef(item_ref),
                party_id__in=self.partner_party_ids,
                item__document__status__in=PUBLISHED_STATUSES,
            )
        )

    @cached_property
    def received_document_ids(self) -> set[int]:
        """Issued documents sent to this user (their "Văn bản đến"): an office's plan reaches a
        school's leaders this way, outside the office's own subtree."""
        from phoihop.documents.models import Acknowledgement

        if self.user is None or not getattr(self.user, "is_authenticated", False):
            return set()
        return set(
            Acknowledgement.objects.filter(
                user=self.user, document__status__in=PUBLISHED_STATUSES
            ).values_list("document_id", flat=True)
        )

    def documents(self):
        from phoihop.documents.models import Document, ItemParty

        if self.is_superuser:
            return Document.objects.all()
        shared = Exists(
            ItemParty.objects.filter(
                item__document=OuterRef("pk"), party_id__in=self.partner_party_ids
            )
        ) & Q(status__in=PUBLISHED_STATUSES)
        return Document.objects.filter(
            Q(unit_id__in=self.staff_unit_ids) | shared | Q(pk__in=self.received_document_ids)
        )

    def items(self):
        from phoihop.documents.models import Item

        if self.is_superuser:
            return Item.objects.all()
        return Item.objects.filter(
            Q(document__unit_id__in=self.staff_unit_ids)
            | self._partner_item_exists("pk")
            | Q(document_id__in=self.received_document_ids)
        )

    def sees_all_items_of(self, document) -> bool:
        return (
            self.is_superuser
            or document.unit_id in self.staff_unit_ids
            or document.pk in self.received_document_ids
        )

    def activities(self):
        from phoihop.schedule.models import Activity

        if self.is_superuser:
            return Activity.objects.all()
        return Activity.objects.filter(
            Q(unit_id__in=self.staff_unit_ids) | self._partner_item_exists("item_id")
        )

    # -- classes and students ----------------------------------------------------------------

    def classes(self):
        from phoihop.tracking.models import SchoolClass

        if self.is_superuser:
            return SchoolClass.objects.all()
        return SchoolClass.objects.filter(
            Q(unit_id__in=self.leader_unit_ids) | Q(pk__in=self.homeroom_class_ids)
        )

    def students(self):
        from phoihop.tracking.models import Student

        if self.is_superuser:
            return Student.objects.all()
        return Student.objects.filter(
            Q(unit_id__in=self.leader_unit_ids) | Q(school_class_id__in=self.homeroom_class_ids)
        )


def scope_for(request) -> Scope:
    """The scope of the signed-in user, computed once per request."""
    scope = getattr(request, "_phoihop_scope", None)
    if scope is None or scope.user != request.user:
        scope = Scope.for_user(request.user)
        request._phoihop_scope = scope
    return scope
