"""Adding people to a unit, giving and ending their roles, and letting them go.

Every change is one transaction and checks the actor's rights here, so that the web pages, the
staff workbook and the CLI obey the same rules:

- only a unit's managers (its leaders and clerks, or those of an office above it) change its
  people, and only inside their own subtree;
- nobody gives a role above their own: a clerk adds clerks, members, homeroom teachers and partner
  contacts, a leader also leaders; a clerk cannot change or end a leader's role;
- the last leader of a unit cannot end their own leadership (the unit would have nobody to
  approve its documents and add people);
- leaving ends memberships instead of deleting them, and an account with no membership left is
  deactivated: it can no longer sign in, its invitations and calendar feeds stop working, and its
  records keep its name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.collation import natural_key
from phoihop.core.importing.text import fold
from phoihop.people.invitations import revoke_invitations
from phoihop.people.models import Invitation
from phoihop.schedule.models import FeedToken
from phoihop.tracking.models import SchoolClass
from phoihop.units.models import Membership, Party, Unit
from phoihop.units.scoping import Scope

Role = Membership.Role
# How high a role stands: one may give roles up to one's own rank.
ROLE_RANK = {Role.LEADER: 3, Role.CLERK: 2, Role.MEMBER: 1, Role.HOMEROOM: 1, Role.PARTNER: 1}
MAX_NAME = 150


class PeopleError(ValueError):
    """A change the rules refuse; the message says why, in the user's language."""


# -- the actor's rights -------------------------------------------------------------------------


def rank_in(scope: Scope, unit: Unit) -> int:
    """The highest role rank ``scope``'s user holds over ``unit`` (in it or an office above)."""
    if scope.is_superuser:
        return ROLE_RANK[Role.LEADER]
    if not scope.can_manage(unit):
        return 0
    if scope.leads_over(unit):
        return ROLE_RANK[Role.LEADER]
    return ROLE_RANK[Role.CLERK]


def grantable_roles(scope: Scope, unit: Unit) -> list[tuple[str, str]]:
    """The (value, label) of the roles ``scope``'s user may give in ``unit``, highest first."""
    rank = rank_in(scope, unit)
    return [(value, label) for value, label in Role.choices if ROLE_RANK[value] <= rank]


def _require_manager(scope: Scope, unit: Unit) -> int:
    rank = rank_in(scope, unit)
    if not rank:
        raise PeopleError(_("Bạn không quản lý người dùng của %(unit)s.") % {"unit": unit})
    return rank


# -- names ---------------------------------------------------------------------------------------


def split_name(full_name: str) -> tuple[str, str]:
    """(họ và tên đệm, tên): Vietnamese names end with the given name, so ``get_full_name()``
    ("first last") reads them back in their own order."""
    words = full_name.split()
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def clean_name(full_name: str) -> str:
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", full_name or "")).strip()
    if not name:
        raise PeopleError(_("Hãy nhập họ và tên."))
    if len(name) > MAX_NAME:
        raise PeopleError(_("Họ và tên dài quá %(max)s ký tự.") % {"max": MAX_NAME})
    return name


def clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise PeopleError(_("Địa chỉ e-mail “%(email)s” không hợp lệ.") % {"email": email}) from exc
    return email


def _ascii(text: str) -> str:
    """The word's letters and digits without diacritics (the importer's ``fold``)."""
    return "".join(
        c for c in fold(unicodedata.normalize("NFC", text)) if c.isascii() and c.isalnum()
    )


def username_for(full_name: str) -> str:
    """A sign-in name people can type on a phone: the given name and the initials of the rest,
    without diacritics ("Nguyễn Thị Mai Anh" → "anhntm"), numbered when already taken."""
    words = [w for w in (_ascii(w) for w in full_name.split()) if w]
    base = (words[-1] + "".join(w[0] for w in words[:-1])) if words else "nguoidung"
    base = base[:24]
    User = get_user_model()
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


# -- memberships ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleChoice:
    """What a membership should be: its role and what the role is attached to."""

    role: str
    party: Party | None = None
    school_class: SchoolClass | None = None
    title: str = ""


def _check_role(scope: Scope, unit: Unit, choice: RoleChoice) -> None:
    if choice.role not in ROLE_RANK:
        raise PeopleError(_("Vai trò không hợp lệ."))
    if ROLE_RANK[choice.role] > rank_in(scope, unit):
        raise PeopleError(
            _("Bạn không thể giao vai trò “%(role)s”, cao hơn vai trò của mình.")
            % {"role": Role(choice.role).label}
        )
    if choice.role == Role.PARTNER:
        if choice.party is None:
            raise PeopleError(_("Đầu mối đối tác phải gắn với một tổ chức phối hợp."))
        if choice.party.unit_id != unit.pk:
            raise PeopleError(_("Tổ chức phối hợp phải thuộc cùng đơn vị."))
    if choice.role == Role.HOMEROOM:
        if choice.school_class is None:
            raise PeopleError(_("Giáo viên chủ nhiệm phải gắn với một lớp."))
        if choice.school_class.unit_id != unit.pk:
            raise PeopleError(_("Lớp chủ nhiệm phải thuộc cùng đơn vị."))
    if len(choice.title) > 120:
        raise PeopleError(_("Chức danh dài quá 120 ký tự."))


def _homeroom_party(unit: Unit) -> Party | None:
    return Party.objects.filter(unit=unit, kind="gvcn").order_by("pk").first()


@transaction.atomic
def give_role(scope: Scope, user, unit: Unit, choice: RoleChoice) -> Membership:
    """Give ``user`` a role in ``unit``. Holding the same role (for the same party or class)
    already is not an error: nothing changes."""
    _require_manager(scope, unit)
    _check_role(scope, unit, choice)
    party = choice.party
    if choice.role == Role.HOMEROOM and party is None:
        party = _homeroom_party(unit)
    existing = (
        Membership.objects.current()
        .filter(user=user, unit=unit, role=choice.role)
        .filter(party=party)
        .filter(school_class=choice.school_class)
        .first()
    )
    if existing:
        return existing
    if not user.is_active:
        type(user).objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
    return Membership.objects.create(
        user=user,
        unit=unit,
        role=choice.role,
        party=party,
        school_class=choice.school_class,
        title=choice.title.strip(),
    )


@transaction.atomic
def add_person(scope: Scope, unit: Unit, *, full_name: str, email: str = "", choice: RoleChoice):
    """Create an account for a new person with one role in ``unit``; they set their own password
    through an invitation (the account has none until then)."""
    _require_manager(scope, unit)
    name = clean_name(full_name)
    email = clean_email(email)
    _check_role(scope, unit, choice)
    first, last = split_name(name)
    user = get_user_model().objects.create_user(
        username_for(name), email=email, first_name=first, last_name=last
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    give_role(scope, user, unit, choice)
    return user


def update_person(scope: Scope, user, unit: Unit, *, full_name: str, email: str) -> None:
    _require_manager(scope, unit)
    _require_person_of(user, unit)
    _require_outranks(scope, user, unit)
    first, last = split_name(clean_name(full_name))
    user.first_name, user.last_name, user.email = first, last, clean_email(email)
    user.save(update_fields=["first_name", "last_name", "email"])


def _require_person_of(user, unit: Unit) -> None:
    if not Membership.objects.filter(user=user, unit=unit).exists():
        raise PeopleError(_("Người này không thuộc %(unit)s.") % {"unit": unit})


def _require_outranks(scope: Scope, user, unit: Unit) -> None:
    """A clerk does not change a leader's account."""
    rank = rank_in(scope, unit)
    held = Membership.objects.current().filter(user=user, unit=unit).values_list("role", flat=True)
    if any(ROLE_RANK[r] > rank for r in held):
        raise PeopleError(_("Bạn không thể thay đổi tài khoản của người có vai trò cao hơn mình."))


def _is_last_leader(membership: Membership) -> bool:
    if membership.role != Role.LEADER:
        return False
    others = (
        Membership.objects.current()
        .filter(unit_id=membership.unit_id, role=Role.LEADER, user__is_active=True)
        .exclude(user_id=membership.user_id)
    )
    return not others.exists()


@transaction.atomic
def end_membership(scope: Scope, membership: Membership, *, now=None) -> bool:
    """End one role; True when the account was deactivated because no role was left."""
    unit = membership.unit
    rank = _require_manager(scope, unit)
    if ROLE_RANK[membership.role] > rank:
        raise PeopleError(_("Bạn không thể bỏ vai trò cao hơn vai trò của mình."))
    if membership.user_id == scope.user.pk and _is_last_leader(membership):
        raise PeopleError(
            _(
                "Bạn là lãnh đạo cuối cùng của %(unit)s: hãy giao vai trò lãnh đạo cho người khác "
                "trước khi bỏ vai trò của mình."
            )
            % {"unit": unit}
        )
    now = now or timezone.now()
    Membership.objects.filter(pk=membership.pk, ended_at__isnull=True).update(ended_at=now)
    return _deactivate_if_done(membership.user, now=now)


def _deactivate_if_done(user, *, now) -> bool:
    if Membership.objects.current().filter(user=user).exists():
        return False
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    revoke_invitations(user, now=now)
    FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    return True


@transaction.atomic
def deactivate_person(scope: Scope, user, unit: Unit, *, now=None) -> bool:
    """``user`` leaves: every role they hold in the part of the tree the actor manages ends. True
    when the account itself was deactivated (they held no role anywhere else)."""
    _require_manager(scope, unit)
    _require_person_of(user, unit)
    now = now or timezone.now()
    managed = [
        m
        for m in Membership.objects.current().filter(user=user).select_related("unit")
        if rank_in(scope, m.unit)
    ]
    if not managed:
        raise PeopleError(_("Người này không còn vai trò nào ở %(unit)s.") % {"unit": unit})
    for membership in managed:
        end_membership(scope, membership, now=now)
    return not Membership.objects.current().filter(user=user).exists()


@transaction.atomic
def hand_over_class(scope: Scope, school_class: SchoolClass, new_teacher, *, now=None):
    """Make ``new_teacher`` the homeroom teacher of ``school_class``, in one step: the previous
    teacher's homeroom role for the class ends (their other roles stay)."""
    unit = school_class.unit
    _require_manager(scope, unit)
    if (
        not Membership.objects.current()
        .filter(user=new_teacher, unit=unit)
        .exclude(role=Role.PARTNER)
        .exists()
    ):
        raise PeopleError(
            _("%(name)s chưa là cán bộ, giáo viên của %(unit)s.")
            % {"name": new_teacher.get_full_name() or new_teacher.username, "unit": unit}
        )
    now = now or timezone.now()
    previous = list(
        Membership.objects.current()
        .filter(unit=unit, role=Role.HOMEROOM, school_class=school_class)
        .exclude(user=new_teacher)
    )
    membership = give_role(
        scope, new_teacher, unit, RoleChoice(Role.HOMEROOM, school_class=school_class)
    )
    for old in previous:
        Membership.objects.filter(pk=old.pk).update(ended_at=now)
        _deactivate_if_done(old.user, now=now)
    return membership


# -- who is in a unit ----------------------------------------------------------------------------


@dataclass
class Person:
    user: object
    memberships: list[Membership]
    invited: bool  # an invitation is open
    signed_in: bool  # has signed in at least once


def people_of(unit: Unit, *, current: bool = True) -> list[Person]:
    """The people of ``unit`` with their roles there: current ones, or (``current=False``) the
    former ones, who hold no role in it any more."""
    memberships = (
        Membership.objects.filter(unit=unit)
        .select_related("user", "party", "school_class")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    by_user: dict[int, Person] = {}
    ended: dict[int, Person] = {}
    for m in memberships:
        target = by_user if m.ended_at is None else ended
        target.setdefault(m.user_id, Person(m.user, [], False, m.user.last_login is not None))
        target[m.user_id].memberships.append(m)
    chosen = by_user if current else {k: v for k, v in ended.items() if k not in by_user}
    now = timezone.now()
    open_ids = set(
        Invitation.objects.filter(
            user_id__in=chosen, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).values_list("user_id", flat=True)
    )
    for person in chosen.values():
        person.invited = person.user.pk in open_ids
    # Vietnamese lists sort by the given name, then the family and middle names.
    return sorted(
        chosen.values(),
        key=lambda p: (natural_key(p.user.last_name), natural_key(p.user.first_name)),
    )
