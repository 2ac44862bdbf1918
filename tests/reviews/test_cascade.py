"""Cascade: an office's plan sent down to its schools, and what each made of it."""

import pytest
from django.urls import reverse

from phoihop.documents.models import Document, Item
from phoihop.reviews.cascade import cascade_document, cascade_status, target_units
from phoihop.reviews.models import InheritedItem
from phoihop.units.models import Party, Unit
from tests import factories as f


@pytest.fixture
def office_plan(world):
    office = world.office
    document = f.DocumentFactory(
        unit=office, title="KẾ HOẠCH LIÊN TỊCH Phối hợp năm học 2025-2026", status="issued"
    )
    own = f.PartyFactory(unit=office, kind="co_quan_quan_ly", name="Sở GD&ĐT")
    leaders = f.PartyFactory(unit=office, kind="lanh_dao", name="Lãnh đạo các trường")
    union = f.PartyFactory(unit=office, kind="cong_doan", name="Công đoàn ngành")
    only_office = f.ItemFactory(document=document, position=0, text="Sở kiểm tra các trường.")
    f.link_parties(only_office, own)
    joint = f.ItemFactory(
        document=document, position=1, text="Nhà trường và Công đoàn tổ chức Hội nghị viên chức."
    )
    f.link_parties(joint, leaders, union, own)
    f.ItemFactory(document=document, position=2, text="Các trường báo cáo kết quả cuối năm.")
    f.TargetFactory(document=document)
    return document


def test_each_school_gets_a_linked_draft_with_the_items_addressed_to_it(world, office_plan):
    result = cascade_document(office_plan, target_units(world.office, level=Unit.Level.THCS))
    assert len(result.created) == 2
    child = Document.objects.get(parent=office_plan, unit=world.a.unit)
    assert (child.status, child.doc_type) == ("draft", office_plan.doc_type)
    assert child.title == "KẾ HOẠCH LIÊN TỊCH Phối hợp năm học 2025-2026"  # no "của Trường A"
    texts = list(child.items.order_by("position").values_list("text", flat=True))
    assert texts == [
        "Nhà trường và Công đoàn tổ chức Hội nghị viên chức.",
        "Các trường báo cáo kết quả cuối năm.",
    ]
    joint = child.items.get(position=0)
    assert sorted(joint.parties.values_list("kind", flat=True)) == ["cong_doan", "lanh_dao"]
    assert set(joint.parties.values_list("unit_id", flat=True)) == {world.a.unit.pk}
    assert joint.parties.get(kind="cong_doan") == world.a.union  # the school's own union
    assert Party.objects.filter(unit=world.a.unit, kind="lanh_dao").count() == 1  # created
    assert InheritedItem.objects.get(child_item=joint).parent_item.text == joint.text
    assert child.targets.count() == 1


def test_sending_again_does_not_duplicate(world, office_plan):
    units = target_units(world.office, level=Unit.Level.THCS)
    cascade_document(office_plan, units)
    again = cascade_document(office_plan, units)
    assert (len(again.created), len(again.existing)) == (0, 2)
    assert Document.objects.filter(parent=office_plan).count() == 2
    assert InheritedItem.objects.count() == 4


def test_office_sees_who_issued_and_each_childs_differences(world, office_plan):
    third = f.UnitFactory(parent=world.office, name="Trường C")
    cascade_document(office_plan, [world.a.unit, world.b.unit])
    a_doc = Document.objects.get(parent=office_plan, unit=world.a.unit)
    first, second = a_doc.items.order_by("position")
    first.text = "Nhà trường và Công đoàn tổ chức Hội nghị viên chức trong tháng 9."
    first.save()
    second.delete()
    f.ItemFactory(document=a_doc, position=5, text="Thêm: phối hợp với Đoàn phường.")
    Document.objects.filter(parent=office_plan, unit=world.b.unit).update(status="issued")
    rows = {r.unit.pk: r for r in cascade_status(office_plan)}
    a, b, c = rows[world.a.unit.pk], rows[world.b.unit.pk], rows[third.pk]
    assert (a.state, b.state, c.state) == ("draft", "issued", "none")
    assert [i.text for i in a.added] == ["Thêm: phối hợp với Đoàn phường."]
    assert [i.text for i in a.removed] == ["Các trường báo cáo kết quả cuối năm."]
    assert [(p.text, c_.text) for p, c_ in a.changed] == [
        (
            "Nhà trường và Công đoàn tổ chức Hội nghị viên chức.",
            "Nhà trường và Công đoàn tổ chức Hội nghị viên chức trong tháng 9.",
        )
    ]
    assert b.unchanged and c.document is None


def test_cascade_page_sends_and_shows_the_status(world, office_plan, login):
    client = login(world.officer)
    url = reverse("reviews:cascade", args=[office_plan.pk])
    response = client.post(url, {"units": [world.a.unit.pk]})
    assert response.status_code == 302
    assert list(Document.objects.filter(parent=office_plan).values_list("unit", flat=True)) == [
        world.a.unit.pk
    ]
    page = client.get(url).content.decode()
    assert "Đang dự thảo" in page and "Chưa có" in page
    client.post(url, {"level": Unit.Level.THCS})
    assert Document.objects.filter(parent=office_plan).count() == 2
    assert Item.objects.filter(document__parent=office_plan).count() == 4


@pytest.mark.parametrize("who", ["school_leader", "other_school", "sibling_office"])
def test_others_get_404_on_the_cascade_page(world, office_plan, sibling_officer, login, who):
    user = {
        "school_leader": world.a.leader,
        "other_school": world.b.leader,
        "sibling_office": sibling_officer,
    }[who]
    client = login(user)
    url = reverse("reviews:cascade", args=[office_plan.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"level": Unit.Level.THCS}).status_code == 404
    assert not Document.objects.filter(parent=office_plan).exists()


def test_a_school_plan_cannot_be_cascaded(world, login):
    client = login(world.a.leader)
    url = reverse("reviews:cascade", args=[world.a.document.pk])
    assert client.get(url).status_code == 404


def test_cascade_status_query_count_does_not_grow_with_units(world, office_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cascade_document(office_plan, [world.a.unit, world.b.unit])

    def count():
        with CaptureQueriesContext(connection) as queries:
            cascade_status(office_plan)
        return len(queries)

    before = count()
    extra = [f.UnitFactory(parent=world.office, name=f"Trường thêm {n}") for n in range(3)]
    cascade_document(office_plan, extra)
    assert count() == before


def test_a_school_moved_to_another_office_leaves_the_cascade_page(world, office_plan, login):
    from phoihop.units.services import move_unit

    cascade_document(office_plan, [world.a.unit, world.b.unit])
    a_doc = Document.objects.get(parent=office_plan, unit=world.a.unit)
    f.ItemFactory(document=a_doc, position=9, text="Nội dung riêng của trường A.")
    other = f.UnitFactory(level=Unit.Level.SO, name="Sở GD&ĐT khác")
    move_unit(world.a.unit, other)
    assert [r.unit.pk for r in cascade_status(office_plan)] == [world.b.unit.pk]
    page = login(world.officer).get(reverse("reviews:cascade", args=[office_plan.pk]))
    assert page.status_code == 200
    assert "Nội dung riêng của trường A." not in page.content.decode()
    assert world.a.unit.name not in page.content.decode()


def test_the_office_plan_reaches_each_schools_received_documents(world, office_plan, login):
    detail = reverse("documents:document-detail", args=[office_plan.pk])
    assert login(world.a.leader).get(detail).status_code == 404
    cascade_document(office_plan, target_units(world.office, level=Unit.Level.THCS))
    cascade_document(office_plan, target_units(world.office, level=Unit.Level.THCS))
    received = reverse("documents:acknowledgement-list")
    for school in (world.a, world.b):
        for user in (school.leader, school.clerk):
            assert office_plan.title in login(user).get(received).content.decode()
    assert office_plan.title not in login(world.a.homeroom).get(received).content.decode()
    assert office_plan.acknowledgements.count() == 4  # once each, though sent twice
    page = login(world.a.leader).get(detail).content.decode()  # a recipient reads all of it
    assert "Sở kiểm tra các trường." in page and "Các trường báo cáo kết quả cuối năm." in page
    assert login(world.a.homeroom).get(detail).status_code == 404


def test_an_issued_plans_page_links_to_its_reviews_and_to_sending_it_down(
    world, office_plan, login
):
    page = login(world.officer).get(reverse("documents:document-detail", args=[office_plan.pk]))
    body = page.content.decode()
    assert reverse("reviews:plan-reviews", args=[office_plan.pk]) in body
    assert reverse("reviews:cascade", args=[office_plan.pk]) in body
    school_page = login(world.a.leader).get(
        reverse("documents:document-detail", args=[world.a.document.pk])
    )
    assert (
        reverse("reviews:plan-reviews", args=[world.a.document.pk])
        not in school_page.content.decode()
    )  # a draft
