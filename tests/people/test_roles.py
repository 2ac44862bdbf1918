"""Who may give which role to whom: nobody above their own rank or outside their subtree; the last
leader stays; leaving ends roles, closes the account and keeps the records."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phoihop.people import invitations
from phoihop.people.services import (
    PeopleError,
    RoleChoice,
    add_person,
    deactivate_person,
    end_membership,
    give_role,
    grantable_roles,
    hand_over_class,
    username_for,
)
from phoihop.schedule.models import FeedToken
from phoihop.units.models import Membership
from phoihop.units.scoping import Scope
from tests import factories as f

pytestmark = pytest.mark.django_db
Role = Membership.Role


def scope(user):
    return Scope.for_user(user)


def test_clerk_is_not_offered_and_cannot_give_the_leader_role(world):
    clerk = scope(world.a.clerk)
    assert Role.LEADER not in dict(grantable_roles(clerk, world.a.unit))
    with pytest.raises(PeopleError, match="cao hơn"):
        add_person(clerk, world.a.unit, full_name="Trần Văn Bình", choice=RoleChoice(Role.LEADER))
    assert not Membership.objects.filter(user__last_name="Bình").exists()


def test_clerk_cannot_raise_their_own_role(world):
    with pytest.raises(PeopleError):
        give_role(scope(world.a.clerk), world.a.clerk, world.a.unit, RoleChoice(Role.LEADER))
    assert not Membership.objects.filter(user=world.a.clerk, role=Role.LEADER).exists()


def test_teacher_cannot_give_any_role(world):
    with pytest.raises(PeopleError, match="không quản lý"):
        give_role(scope(world.a.homeroom), world.a.homeroom, world.a.unit, RoleChoice(Role.CLERK))


def test_leader_cannot_add_people_to_another_school(world):
    with pytest.raises(PeopleError, match="không quản lý"):
        add_person(
            scope(world.a.leader),
            world.b.unit,
            full_name="Lê Thị Cúc",
            choice=RoleChoice(Role.MEMBER),
        )


def test_leader_cannot_attach_a_role_to_another_schools_party_or_class(world):
    leader = scope(world.a.leader)
    with pytest.raises(PeopleError, match="cùng đơn vị"):
        add_person(
            leader,
            world.a.unit,
            full_name="Hà Văn Dũng",
            choice=RoleChoice(Role.PARTNER, party=world.b.police),
        )
    with pytest.raises(PeopleError, match="cùng đơn vị"):
        add_person(
            leader,
            world.a.unit,
            full_name="Hà Văn Dũng",
            choice=RoleChoice(Role.HOMEROOM, school_class=world.b.school_class),
        )


def test_office_leader_adds_the_leader_of_a_school_below(world):
    user = add_person(
        scope(world.officer),
        world.a.unit,
        full_name="Phạm Quang Huy",
        choice=RoleChoice(Role.LEADER, title="Hiệu trưởng"),
    )
    membership = Membership.objects.get(user=user)
    assert (membership.unit, membership.role, membership.title) == (
        world.a.unit,
        Role.LEADER,
        "Hiệu trưởng",
    )
    assert user.get_full_name() == "Phạm Quang Huy"
    assert not user.has_usable_password()


def test_school_leader_cannot_act_on_the_office(world):
    with pytest.raises(PeopleError):
        add_person(
            scope(world.a.leader), world.office, full_name="Vũ An", choice=RoleChoice(Role.MEMBER)
        )


def test_last_leader_cannot_end_their_own_leadership(world):
    own = Membership.objects.get(user=world.a.leader, unit=world.a.unit)
    with pytest.raises(PeopleError, match="lãnh đạo cuối cùng"):
        end_membership(scope(world.a.leader), own)
    with pytest.raises(PeopleError, match="lãnh đạo cuối cùng"):
        deactivate_person(scope(world.a.leader), world.a.leader, world.a.unit)
    own.refresh_from_db()
    assert own.ended_at is None
    # With a second leader, the first may step down.
    give_role(scope(world.a.leader), world.a.clerk, world.a.unit, RoleChoice(Role.LEADER))
    end_membership(scope(world.a.leader), own)
    own.refresh_from_db()
    assert own.ended_at is not None


def test_clerk_cannot_end_a_leaders_role(world):
    leader_membership = Membership.objects.get(user=world.a.leader, unit=world.a.unit)
    with pytest.raises(PeopleError, match="cao hơn"):
        end_membership(scope(world.a.clerk), leader_membership)


def test_leaving_closes_the_account_its_invitations_and_feeds_but_keeps_records(world, client):
    teacher = world.a.homeroom
    teacher.set_password("mat-khau-cu-2026")
    teacher.save()
    record = f.RecordFactory(activity=world.a.activity, created_by=teacher)
    _invitation, token = invitations.issue_invitation(teacher)
    feed = FeedToken.objects.create(user=teacher)

    assert deactivate_person(scope(world.a.leader), teacher, world.a.unit) is True

    teacher.refresh_from_db()
    assert not teacher.is_active
    assert invitations.find_invitation(token) is None
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    record.refresh_from_db()
    assert record.created_by == teacher  # the record keeps its author's name
    assert Membership.objects.filter(user=teacher, ended_at__isnull=False).count() == 1
    response = client.post(
        reverse("login"), {"username": teacher.username, "password": "mat-khau-cu-2026"}
    )
    assert response.status_code == 200  # the form again, not a redirect into the site
    assert "_auth_user_id" not in client.session
    assert Scope.for_user(teacher).units().count() == 0


def test_a_partner_of_two_schools_leaving_one_keeps_the_account(world):
    contact = world.a.police_contact
    Membership.objects.create(
        user=contact, unit=world.b.unit, role=Role.PARTNER, party=world.b.police
    )
    assert deactivate_person(scope(world.a.leader), contact, world.a.unit) is False
    contact.refresh_from_db()
    assert contact.is_active
    assert Scope.for_user(contact).partner_unit_ids == {world.b.unit.pk}


def test_hand_over_a_class_in_one_step(world):
    old, new = world.a.homeroom, world.a.other_homeroom
    hand_over_class(scope(world.a.leader), world.a.school_class, new)
    assert Scope.for_user(new).homeroom_class_ids == {
        world.a.school_class.pk,
        world.a.other_class.pk,
    }
    assert world.a.school_class.pk not in Scope.for_user(old).homeroom_class_ids
    old.refresh_from_db()
    assert not old.is_active  # that class was their only role


def test_a_class_cannot_go_to_someone_outside_the_school(world):
    with pytest.raises(PeopleError, match="chưa là cán bộ"):
        hand_over_class(scope(world.a.leader), world.a.school_class, world.b.homeroom)
    with pytest.raises(PeopleError, match="không quản lý"):
        hand_over_class(scope(world.b.leader), world.a.school_class, world.b.homeroom)


def test_usernames_are_typeable_and_unique(db):
    assert username_for("Nguyễn Thị Mai Anh") == "anhntm"
    f.UserFactory(username="anhntm")
    assert username_for("Nguyễn Thị Mai Anh") == "anhntm2"
    assert username_for("Đặng Đức") == "ducd"


def test_an_invitation_expires_after_seven_days(world):
    now = timezone.now()
    _invitation, token = invitations.issue_invitation(world.a.homeroom, now=now)
    assert invitations.find_invitation(token, now=now + dt.timedelta(days=6, hours=23))
    assert invitations.find_invitation(token, now=now + dt.timedelta(days=7)) is None
