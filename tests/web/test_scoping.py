"""A user never sees another unit's data; a partner sees only the items naming its party;
students are seen only by their homeroom teacher and the school's leadership."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def detail_urls(school):
    return {
        "unit": reverse("units:unit-detail", args=[school.unit.pk]),
        "document": reverse("documents:document-detail", args=[school.document.pk]),
        "item": reverse("documents:item-detail", args=[school.union_item.pk]),
        "activity": reverse("schedule:activity-detail", args=[school.activity.pk]),
        "class": reverse("tracking:class-detail", args=[school.school_class.pk]),
        "student": reverse("tracking:student-detail", args=[school.student.pk]),
        "access-log": reverse("tracking:student-access-log", args=[school.unit.pk]),
        "student-export": reverse("tracking:student-export", args=[school.student.pk, "json"]),
        "student-erase": reverse("tracking:student-erase", args=[school.student.pk]),
    }


@pytest.mark.parametrize("role", ["leader", "clerk", "homeroom", "police_contact"])
@pytest.mark.parametrize(
    "page",
    [
        "unit",
        "document",
        "item",
        "activity",
        "class",
        "student",
        "access-log",
        "student-export",
        "student-erase",
    ],
)
def test_user_of_school_a_gets_404_for_school_b(world, login, role, page):
    client = login(getattr(world.a, role))
    response = client.get(detail_urls(world.b)[page])
    assert response.status_code == 404


def test_leader_sees_own_school_pages(world, login):
    client = login(world.a.leader)
    for page, url in detail_urls(world.a).items():
        assert client.get(url).status_code == 200, page


def test_anonymous_user_is_sent_to_sign_in(client, world):
    for url in detail_urls(world.a).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_partner_sees_only_items_naming_its_party(world, login, published):
    client = login(world.a.police_contact)
    response = client.get(reverse("documents:document-detail", args=[world.a.document.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.police_item.text in body
    assert world.a.union_item.text not in body
    item_url = reverse("documents:item-detail", args=[world.a.union_item.pk])
    assert client.get(item_url).status_code == 404


def test_partner_without_shared_items_does_not_see_the_document(world, login):
    client = login(world.a.health_contact)
    response = client.get(reverse("documents:document-detail", args=[world.a.document.pk]))
    assert response.status_code == 404


def test_partner_activity_list_holds_only_its_items(world, login, published):
    client = login(world.a.police_contact)
    body = client.get(reverse("schedule:activity-list")).content.decode()
    assert world.a.police_activity.title in body
    assert world.a.activity.title not in body
    assert world.b.police_activity.title not in body
    denied = reverse("schedule:activity-detail", args=[world.a.activity.pk])
    assert client.get(denied).status_code == 404


def test_partner_cannot_see_students(world, login):
    client = login(world.a.police_contact)
    url = reverse("tracking:student-detail", args=[world.a.student.pk])
    assert client.get(url).status_code == 404


def test_homeroom_teacher_sees_own_class_students_only(world, login):
    client = login(world.a.homeroom)
    own = reverse("tracking:student-detail", args=[world.a.student.pk])
    other = reverse("tracking:student-detail", args=[world.a.other_student.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    class_page = client.get(reverse("tracking:class-detail", args=[world.a.school_class.pk]))
    assert world.a.student.full_name in class_page.content.decode()


def test_clerk_does_not_see_students(world, login):
    client = login(world.a.clerk)
    url = reverse("tracking:student-detail", args=[world.a.student.pk])
    assert client.get(url).status_code == 404


def test_office_staff_see_their_schools_but_not_students(world, login):
    client = login(world.officer)
    assert (
        client.get(reverse("documents:document-detail", args=[world.b.document.pk])).status_code
        == 200
    )
    url = reverse("tracking:student-detail", args=[world.b.student.pk])
    assert client.get(url).status_code == 404


def test_sibling_office_staff_see_nothing_of_other_subtree(world, login):
    from phoihop.units.models import Membership, Unit
    from tests import factories as f

    sibling = f.UnitFactory(level=Unit.Level.SO, name="Sở khác")
    outsider = f.MembershipFactory(unit=sibling, role=Membership.Role.LEADER).user
    client = login(outsider)
    for url in detail_urls(world.a).values():
        assert client.get(url).status_code == 404


def test_activity_list_is_scoped_to_own_unit(world, login):
    client = login(world.a.leader)
    body = client.get(reverse("schedule:activity-list")).content.decode()
    assert world.a.activity.title in body
    assert world.b.activity.title not in body


def test_unit_home_lists_only_visible_documents(world, login):
    client = login(world.a.leader)
    body = client.get(reverse("units:unit-detail", args=[world.a.unit.pk])).content.decode()
    assert world.a.document.title in body
    assert world.b.document.title not in body


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_partner_does_not_read_a_plan_before_it_is_issued(world, login, status):
    from phoihop.documents.models import Document

    Document.objects.filter(pk=world.a.document.pk).update(status=status)
    client = login(world.a.police_contact)
    for name in ("documents:document-detail", "documents:document-docx"):
        assert client.get(reverse(name, args=[world.a.document.pk])).status_code == 404, name
    item_url = reverse("documents:item-detail", args=[world.a.police_item.pk])
    assert client.get(item_url).status_code == 404
    activity_url = reverse("schedule:activity-detail", args=[world.a.police_activity.pk])
    assert client.get(activity_url).status_code == 404
    # The school's own staff read their draft.
    assert (
        login(world.a.clerk)
        .get(reverse("documents:document-detail", args=[world.a.document.pk]))
        .status_code
        == 200
    )
