"""The people pages: only the unit's managers (or an office's above) reach them; adding a person
makes an invitation to print or send; accepting it works once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from phoihop.people.models import Invitation
from phoihop.units.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db
Role = Membership.Role


def page_urls(school):
    unit, person = school.unit.pk, school.homeroom.pk
    membership = Membership.objects.get(user=school.homeroom, unit=school.unit).pk
    return {
        "list": ("get", reverse("people:people-list", args=[unit])),
        "add": ("get", reverse("people:person-add", args=[unit])),
        "detail": ("get", reverse("people:person-detail", args=[unit, person])),
        "edit": ("post", reverse("people:person-edit", args=[unit, person])),
        "role-add": ("post", reverse("people:role-add", args=[unit, person])),
        "role-end": ("post", reverse("people:role-end", args=[unit, person, membership])),
        "deactivate": ("post", reverse("people:person-deactivate", args=[unit, person])),
        "invitation": ("get", reverse("people:invitation", args=[unit, person])),
        "invitation-new": ("post", reverse("people:invitation-new", args=[unit, person])),
        "invitation-revoke": ("post", reverse("people:invitation-revoke", args=[unit, person])),
        "handover": (
            "get",
            reverse("people:class-handover", args=[unit, school.school_class.pk]),
        ),
    }


PAGES = [
    "list",
    "add",
    "detail",
    "edit",
    "role-add",
    "role-end",
    "deactivate",
    "invitation",
    "invitation-new",
    "invitation-revoke",
    "handover",
]


@pytest.mark.parametrize("page", PAGES)
def test_another_schools_leader_is_refused(world, login, page):
    method, url = page_urls(world.b)[page]
    client = login(world.a.leader)
    response = getattr(client, method)(url, {"full_name": "X", "role": "leader"})
    assert response.status_code == 404
    assert Membership.objects.filter(unit=world.b.unit, ended_at__isnull=False).count() == 0
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["homeroom", "police_contact"])
@pytest.mark.parametrize("page", ["list", "add", "detail", "deactivate", "invitation-new"])
def test_teachers_and_partners_of_the_school_are_refused(world, login, role, page):
    method, url = page_urls(world.a)[page]
    response = getattr(login(getattr(world.a, role)), method)(url)
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_office_leader_reaches_a_schools_people_page(world, login):
    response = login(world.officer).get(reverse("people:people-list", args=[world.a.unit.pk]))
    assert response.status_code == 200
    assert world.a.homeroom.get_full_name() in response.content.decode()


def test_people_page_lists_people_with_their_roles_in_few_queries(
    world, login, django_assert_max_num_queries
):
    client = login(world.a.leader)
    url = reverse("people:people-list", args=[world.a.unit.pk])
    client.get(url)
    for _index in range(10):
        f.MembershipFactory(unit=world.a.unit, role=Role.MEMBER)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    body = response.content.decode()
    assert world.a.police.name in body
    assert "6A" in body


def test_adding_a_person_gives_an_invitation_with_link_and_qr(world, login, smtp):
    client = login(world.a.leader)
    response = client.post(
        reverse("people:person-add", args=[world.a.unit.pk]),
        {
            "full_name": "  Trần   Thị Lan ",
            "email": "lan@truong.test",
            "role": Role.HOMEROOM,
            "new_class": "8B",
            "title": "Giáo viên",
        },
        follow=True,
    )
    assert response.status_code == 200
    lan = get_user_model().objects.get(username="lantt")
    assert lan.get_full_name() == "Trần Thị Lan"
    membership = Membership.objects.get(user=lan)
    assert membership.school_class.name == "8B"
    assert membership.school_class.unit == world.a.unit
    body = response.content.decode()
    link = re.search(r'id="invitation-link" href="([^"]+)"', body).group(1)
    assert link.startswith("https://phoihop.truong.test/people/invite/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes: 256 bits
    assert "<svg" in body and "qrline" in body
    # Only the digest is stored; the mail carries the same link.
    assert not Invitation.objects.filter(digest=token).exists()
    [(recipients, message)] = smtp.messages()
    assert recipients == ["lan@truong.test"]
    assert link in message.get_content()
    assert "lantt" in message.get_content()


def test_accepting_an_invitation_sets_the_password_once(world, login, client):
    from phoihop.people.invitations import issue_invitation

    teacher = f.MembershipFactory(unit=world.a.unit, role=Role.MEMBER).user
    teacher.set_unusable_password()
    teacher.save()
    _invitation, token = issue_invitation(teacher, by=world.a.leader)
    url = reverse("people:invitation-accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert teacher.username in page.content.decode()
    response = client.post(
        url, {"new_password1": "Hoa-sen-no-2026", "new_password2": "Hoa-sen-no-2026"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(teacher.pk)
    teacher.refresh_from_db()
    assert teacher.check_password("Hoa-sen-no-2026")
    client.logout()
    again = client.post(
        url, {"new_password1": "Khac-hoan-toan-9", "new_password2": "Khac-hoan-toan-9"}
    )
    assert again.status_code == 404
    assert "không còn hiệu lực" in again.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password("Hoa-sen-no-2026")


def test_a_guessed_or_revoked_invitation_does_not_work(world, login, client):
    from phoihop.people.invitations import issue_invitation

    _invitation, token = issue_invitation(world.a.homeroom)
    guessed = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("people:invitation-accept", args=[guessed])).status_code == 404
    login(world.a.leader).post(
        reverse("people:invitation-revoke", args=[world.a.unit.pk, world.a.homeroom.pk])
    )
    client.logout()
    assert client.get(reverse("people:invitation-accept", args=[token])).status_code == 404


def test_clerk_posting_the_leader_role_is_refused(world, login):
    client = login(world.a.clerk)
    response = client.post(
        reverse("people:person-add", args=[world.a.unit.pk]),
        {"full_name": "Đỗ Minh Quân", "role": Role.LEADER},
    )
    assert response.status_code == 200
    assert "Lãnh đạo" not in re.search(
        r'<select name="role".*?</select>', response.content.decode(), re.S
    ).group(0)
    assert not get_user_model().objects.filter(last_name="Quân").exists()


def test_deactivating_through_the_page_keeps_the_name_in_the_former_list(world, login):
    client = login(world.a.leader)
    url = reverse("people:person-deactivate", args=[world.a.unit.pk, world.a.health_contact.pk])
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    world.a.health_contact.refresh_from_db()
    assert not world.a.health_contact.is_active
    assert "Đã nghỉ hoặc chuyển đi" in response.content.decode()
    assert world.a.health_contact.get_full_name() in response.content.decode()


def test_class_handover_page_moves_the_class(world, login):
    client = login(world.a.leader)
    url = reverse("people:class-handover", args=[world.a.unit.pk, world.a.school_class.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"teacher": world.a.clerk.pk})
    assert response.status_code == 302
    assert (
        Membership.objects.current().get(role=Role.HOMEROOM, school_class=world.a.school_class).user
        == world.a.clerk
    )


def test_office_page_lists_its_schools_leaders_and_offers_to_add_one(world, login):
    client = login(world.officer)
    body = client.get(reverse("people:people-list", args=[world.office.pk])).content.decode()
    assert world.a.unit.name in body and world.a.leader.get_full_name() in body
    add = reverse("people:person-add", args=[world.b.unit.pk]) + "?role=leader"
    assert add.replace("&", "&amp;") in body
    form = client.get(add).content.decode()
    assert '<option value="leader" selected>' in form
