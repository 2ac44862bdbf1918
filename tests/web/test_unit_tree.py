"""An office manages its unit tree; moving a school keeps its history; others are refused."""

import pytest
from django.urls import reverse

from phoihop.units.models import Membership, Unit
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_office(world):
    return f.UnitFactory(level=Unit.Level.PHONG, name="Phòng Giáo dục thử", parent=world.office)


def test_office_manager_sees_the_subtree(world, login, second_office):
    body = login(world.officer).get(reverse("units:unit-tree", args=[world.office.pk])).content
    for name in (world.a.unit.name, world.b.unit.name, second_office.name):
        assert name in body.decode()


def test_moving_a_school_keeps_its_documents_and_updates_paths(world, login, second_office):
    child = f.UnitFactory(parent=world.a.unit, name="Điểm trường lẻ")
    client = login(world.officer)
    client.post(
        reverse("units:unit-move", args=[world.office.pk, world.a.unit.pk]),
        {"parent": second_office.pk},
    )
    world.a.unit.refresh_from_db()
    child.refresh_from_db()
    assert world.a.unit.parent == second_office
    assert world.a.unit.path == f"{second_office.path}{world.a.unit.pk}/"
    assert child.path == f"{world.a.unit.path}{child.pk}/"
    assert world.a.unit.documents.get() == world.a.document
    # Still inside the office's subtree: its leader keeps seeing the school.
    url = reverse("documents:document-detail", args=[world.a.document.pk])
    assert client.get(url).status_code == 200


def test_a_unit_cannot_move_under_itself(world, login, second_office):
    client = login(world.officer)
    response = client.post(
        reverse("units:unit-move", args=[world.office.pk, second_office.pk]),
        {"parent": second_office.pk},
        follow=True,
    )
    assert "Không thể chuyển" in response.content.decode()
    second_office.refresh_from_db()
    assert second_office.parent == world.office


def test_adding_a_school(world, login):
    client = login(world.officer)
    client.post(
        reverse("units:unit-add", args=[world.office.pk]),
        {"parent": world.office.pk, "name": "Trường THCS Mới", "level": "thcs", "code": "THCSM"},
    )
    assert Unit.objects.get(name="Trường THCS Mới").parent == world.office


@pytest.mark.parametrize("role", ["leader", "clerk", "homeroom", "police_contact"])
def test_school_users_are_refused(world, login, role):
    response = login(getattr(world.a, role)).get(reverse("units:unit-tree", args=[world.office.pk]))
    assert response.status_code == 404


def test_sibling_office_is_refused(world, login):
    sibling = f.UnitFactory(level=Unit.Level.SO, name="Sở khác")
    outsider = f.MembershipFactory(unit=sibling, role=Membership.Role.LEADER).user
    client = login(outsider)
    assert client.get(reverse("units:unit-tree", args=[world.office.pk])).status_code == 404
    response = client.post(
        reverse("units:unit-move", args=[world.office.pk, world.a.unit.pk]),
        {"parent": sibling.pk},
    )
    assert response.status_code == 404
    world.a.unit.refresh_from_db()
    assert world.a.unit.parent == world.office


@pytest.mark.parametrize(
    ("locality", "place"),
    [
        ("phường Thanh Bình, tỉnh Sông Lam", "Thanh Bình"),
        ("Thị trấn Chúc Sơn, huyện Chương Mỹ", "Chúc Sơn"),
        ("thành phố Hà Nội", "Hà Nội"),
        ("Tiên Sơn", "Tiên Sơn"),
        ("", ""),
    ],
)
def test_place_name_for_the_date_line(locality, place):
    assert Unit(locality=locality).place_name == place
