"""The plan editor: who may use it, what each action changes, and that the history says who."""

import pytest
from django.urls import reverse

from phoihop.documents import editor
from phoihop.documents.models import Document, Item, LegalBasis, Recipient, Section, Signer, Target
from tests import factories as f

pytestmark = pytest.mark.django_db


def edit_url(document):
    return reverse("documents:document-edit", args=[document.pk])


def post_section(client, document, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("documents:section-action", args=[document.pk]), data, **headers)


# --- access ---------------------------------------------------------------------------------------


def _editor_urls(world):
    doc, item = world.a.document, world.a.union_item
    section = item.section
    return [
        ("get", reverse("documents:document-edit", args=[doc.pk]), {}),
        ("post", reverse("documents:section-action", args=[doc.pk]), {"action": "rename", "section": section.pk, "heading": "X"}),
        ("post", reverse("documents:section-undo", args=[doc.pk]), {}),
        ("post", reverse("documents:item-action", args=[doc.pk]), {"action": "delete", "item": item.pk}),
        ("post", reverse("documents:part-action", args=[doc.pk, "targets"]), {"action": "add", "text": "X"}),
        ("get", reverse("documents:item-edit", args=[item.pk]), {}),
        ("post", reverse("documents:item-cadence-preview", args=[item.pk]), {"per": "month"}),
    ]  # fmt: skip


def test_editor_pages_are_404_for_another_units_leader(world, login):
    client = login(world.b.leader)
    for method, url, data in _editor_urls(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    assert Section.objects.get(pk=world.a.union_item.section_id).heading != "X"


def test_editor_pages_are_refused_to_partners(world, login):
    client = login(world.a.police_contact)
    for method, url, data in _editor_urls(world):
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), url
    assert Item.objects.filter(pk=world.a.union_item.pk).exists()


def test_leader_sees_the_editor(world, login):
    response = login(world.a.leader).get(edit_url(world.a.document))
    assert response.status_code == 200
    assert "Soạn thảo văn bản" in response.content.decode()
    assert "Phối hợp với Công đoàn" in response.content.decode()


def test_non_draft_document_refuses_edits_with_a_message(world, login):
    document = world.a.document
    Document.objects.filter(pk=document.pk).update(status=Document.Status.SUBMITTED)
    client = login(world.a.leader)
    section = world.a.union_item.section
    response = post_section(client, document, action="rename", section=section.pk, heading="Mới")
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.heading == "Phối hợp với Công đoàn"
    page = client.get(edit_url(document)).content.decode()
    assert "Chỉ sửa được dự thảo" in page


def test_non_draft_refusal_over_htmx_is_a_fragment(world, login):
    document = world.a.document
    Document.objects.filter(pk=document.pk).update(status=Document.Status.ISSUED)
    response = post_section(
        login(world.a.leader), document, htmx=True, action="add", heading="Mục mới"
    )
    body = response.content.decode()
    assert "<html" not in body and "Chỉ sửa được dự thảo" in body
    assert response["HX-Retarget"] == "#editor-messages"


# --- sections -------------------------------------------------------------------------------------


def test_add_section_is_in_history_with_the_user(world, login):
    document = world.a.document
    response = post_section(
        login(world.a.leader), document, action="add", heading="III. Phối hợp với Trạm y tế"
    )
    assert response.status_code == 302
    section = Section.objects.get(document=document, heading="III. Phối hợp với Trạm y tế")
    record = section.history.latest()
    assert record.history_user == world.a.leader
    assert record.history_change_reason == "Thêm mục"
    assert section.label == "3" and section.level == 1


def test_add_subsection_over_htmx_returns_the_tree_fragment(world, login):
    document = world.a.document
    parent = world.a.union_item.section
    response = post_section(
        login(world.a.leader), document, htmx=True, action="add", heading="1. Con", parent=parent.pk
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="editor-tree"' in body and "1. Con" in body
    child = Section.objects.get(heading="1. Con")
    parent.refresh_from_db()
    assert child.parent == parent and child.level == 2 and child.label == f"{parent.label}.1"


def test_rename_section(world, login):
    section = world.a.union_item.section
    post_section(
        login(world.a.leader), world.a.document, action="rename", section=section.pk, heading="I. Với Công đoàn cơ sở"
    )  # fmt: skip
    section.refresh_from_db()
    assert section.heading == "I. Với Công đoàn cơ sở"
    assert section.history.latest().history_user == world.a.leader


def test_reorder_section_down_and_up(world, login):
    client = login(world.a.leader)
    first, second = world.a.union_item.section, world.a.police_item.section
    post_section(client, world.a.document, action="down", section=first.pk)
    order = list(Section.objects.filter(document=world.a.document).order_by("position"))
    assert order == [second, first]
    assert order[0].label == "1" and order[1].label == "2"
    post_section(client, world.a.document, action="up", section=first.pk)
    order = list(Section.objects.filter(document=world.a.document).order_by("position"))
    assert order == [first, second]


def test_move_section_under_another(world, login):
    first, second = world.a.union_item.section, world.a.police_item.section
    post_section(
        login(world.a.leader), world.a.document, action="move", section=second.pk, parent=first.pk
    )
    second.refresh_from_db()
    assert second.parent == first and second.level == 2 and second.label == "1.1"
    assert second.history.latest().history_change_reason == "Chuyển mục"


def test_move_section_into_itself_is_refused(world, login):
    first = world.a.union_item.section
    child = f.SectionFactory(document=world.a.document, parent=first, heading="Con", position=5)
    client = login(world.a.leader)
    post_section(client, world.a.document, action="move", section=first.pk, parent=child.pk)
    first.refresh_from_db()
    assert first.parent is None


def test_delete_section_then_undo_restores_it_with_its_items(world, login):
    client = login(world.a.leader)
    section = world.a.union_item.section
    item_pk = world.a.union_item.pk
    response = post_section(client, world.a.document, action="delete", section=section.pk)
    assert response.status_code == 302
    assert not Section.objects.filter(pk=section.pk).exists()
    assert not Item.objects.filter(pk=item_pk).exists()
    page = client.get(edit_url(world.a.document)).content.decode()
    assert "Hoàn tác" in page
    response = client.post(reverse("documents:section-undo", args=[world.a.document.pk]))
    assert response.status_code == 302
    restored = Section.objects.get(pk=section.pk)
    assert restored.heading == "Phối hợp với Công đoàn"
    item = Item.objects.get(pk=item_pk)
    assert item.section == restored
    assert [p.kind for p in item.parties.all()] == ["cong_doan"]
    assert item.cadence["anchors"] == ["dau_nam_hoc"]
    assert item.history.latest().history_user == world.a.leader
    deleted = Section.history.filter(id=section.pk, history_type="-").get()
    assert deleted.history_user == world.a.leader


# --- items ----------------------------------------------------------------------------------------


def test_add_item_goes_to_its_edit_page(world, login):
    section = world.a.union_item.section
    response = login(world.a.leader).post(
        reverse("documents:item-action", args=[world.a.document.pk]),
        {"action": "add", "section": section.pk, "text": "Công đoàn tổ chức ngày hội thể thao."},
    )
    item = Item.objects.get(text="Công đoàn tổ chức ngày hội thể thao.")
    assert response.url == reverse("documents:item-edit", args=[item.pk])
    assert item.section == section
    assert item.history.latest().history_user == world.a.leader


def test_edit_item_text_parties_and_cadence(world, login):
    item = world.a.police_item
    client = login(world.a.leader)
    response = client.post(
        reverse("documents:item-edit", args=[item.pk]),
        {
            "text": "Công an phường tuyên truyền an toàn giao thông mỗi học kỳ một lần.",
            "section": item.section_id,
            "lead": world.a.police.pk,
            "cooperating": [world.a.union.pk, world.a.health.pk],
            "per": "semester",
            "count": "1",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text.endswith("mỗi học kỳ một lần.")
    assert item.cadence["per"] == "semester" and item.cadence["count"] == 1
    links = list(item.item_parties.order_by("position"))
    assert [(link.party, link.is_lead) for link in links] == [
        (world.a.police, True),
        (world.a.union, False),
        (world.a.health, False),
    ]
    record = item.history.latest()
    assert record.history_user == world.a.leader
    assert "bên tham gia" in record.history_change_reason


def test_edit_item_creates_a_party_on_the_fly(world, login):
    item = world.a.police_item
    login(world.a.leader).post(
        reverse("documents:item-edit", args=[item.pk]),
        {
            "text": item.text,
            "lead": world.a.police.pk,
            "new_party_kind": "hoi_phu_nu",
            "new_party_name": "Hội Phụ nữ phường",
            "new_party_role": "cooperating",
        },
    )
    assert item.parties.filter(name="Hội Phụ nữ phường", kind="hoi_phu_nu").exists()


def test_party_of_another_unit_is_refused(world, login):
    item = world.a.police_item
    response = login(world.a.leader).post(
        reverse("documents:item-edit", args=[item.pk]),
        {"text": item.text, "lead": world.b.police.pk},
    )
    assert response.status_code == 200
    assert "không thuộc đơn vị" in response.content.decode()
    assert item.item_parties.filter(party=world.b.police).count() == 0


def test_invalid_cadence_is_explained(world, login):
    item = world.a.police_item
    response = login(world.a.leader).post(
        reverse("documents:item-edit", args=[item.pk]),
        {"text": item.text, "per": "month", "count": "0"},
    )
    assert "Số lần" in response.content.decode() or "không hợp lệ" in response.content.decode()


def test_cadence_preview_shows_words_and_dates(world, login):
    document = world.a.document
    document.school_year = f.SchoolYearFactory()
    document.save()
    response = login(world.a.leader).post(
        reverse("documents:item-cadence-preview", args=[world.a.police_item.pk]),
        {"per": "month", "count": "1", "at_least": "1", "per_subject": "hoc_sinh"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Ít nhất 1 lần mỗi tháng cho mỗi học sinh" in body
    assert "/2025" in body and "Lớp mẫu" in body


def test_item_form_preview_button_does_not_save(world, login):
    document = world.a.document
    document.school_year = f.SchoolYearFactory()
    document.save()
    item = world.a.police_item
    response = login(world.a.leader).post(
        reverse("documents:item-edit", args=[item.pk]),
        {"text": "Đổi mà chưa lưu", "per": "quarter", "count": "1", "preview": "1"},
    )
    body = response.content.decode()
    assert "1 lần mỗi quý" in body and "/2025" in body
    item.refresh_from_db()
    assert item.text != "Đổi mà chưa lưu"


def test_item_edit_over_htmx_returns_the_form_fragment(world, login):
    item = world.a.union_item
    response = login(world.a.leader).post(
        reverse("documents:item-edit", args=[item.pk]),
        {"text": "Nội dung đã sửa", "lead": world.a.union.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="item-form"' in body and "Đã lưu nội dung" in body


def test_delete_and_reorder_items(world, login):
    client = login(world.a.leader)
    url = reverse("documents:item-action", args=[world.a.document.pk])
    section = world.a.union_item.section
    extra = f.ItemFactory(document=world.a.document, section=section, position=5, text="Thứ hai")
    client.post(url, {"action": "up", "item": extra.pk})
    extra.refresh_from_db()
    world.a.union_item.refresh_from_db()
    assert extra.position < world.a.union_item.position
    client.post(url, {"action": "delete", "item": extra.pk})
    assert not Item.objects.filter(pk=extra.pk).exists()
    assert Item.history.filter(id=extra.pk, history_type="-").get().history_user == world.a.leader


# --- parts ----------------------------------------------------------------------------------------


def test_targets_basis_recipients_signers(world, login):
    document = world.a.document
    client = login(world.a.leader)

    def part(kind, **data):
        return client.post(reverse("documents:part-action", args=[document.pk, kind]), data)

    part(
        "targets", action="add", text="Duy trì sĩ số", comparator=">=", value="98,5", unit_label="%"
    )
    target = Target.objects.get(document=document, text="Duy trì sĩ số")
    assert str(target.value) == "98.50" and target.comparator == ">="
    cited = f.DocumentFactory(unit=world.a.unit, title="Kế hoạch năm học của trường")
    part("basis", action="add", ref_document=cited.pk)
    basis = LegalBasis.objects.get(document=document)
    assert basis.ref_document == cited and "Kế hoạch năm học của trường" in basis.text
    part(
        "basis",
        action="add",
        text="Căn cứ Thông tư 32/2020/TT-BGDĐT",
        ref_number="32/2020/TT-BGDĐT",
    )
    assert LegalBasis.objects.filter(document=document).count() == 2
    part("recipients", action="add", name="Lưu: VT.", purpose="luu")
    assert Recipient.objects.get(document=document).purpose == "luu"
    part("signers", action="add", authority="KT.", title="HIỆU TRƯỞNG", name="Lê Văn A")
    signer = Signer.objects.get(document=document)
    part("signers", action="save", id=signer.pk, authority="", title="HIỆU TRƯỞNG", name="Lê Văn B")
    signer.refresh_from_db()
    assert signer.name == "Lê Văn B"
    part("targets", action="delete", id=target.pk)
    assert not Target.objects.filter(pk=target.pk).exists()
    reasons = list(document.history.values_list("history_change_reason", flat=True))
    assert "Thêm chỉ tiêu" in reasons and "Xoá chỉ tiêu" in reasons and "Sửa người ký" in reasons


def test_basis_cannot_cite_a_document_the_user_cannot_see(world, login):
    document = world.a.document
    login(world.a.leader).post(
        reverse("documents:part-action", args=[document.pk, "basis"]),
        {"action": "add", "ref_document": world.b.document.pk},
    )
    assert not LegalBasis.objects.filter(document=document).exists()


def test_part_htmx_returns_fragment(world, login):
    response = login(world.a.leader).post(
        reverse("documents:part-action", args=[world.a.document.pk, "recipients"]),
        {"action": "add", "name": "Phòng GD&ĐT", "purpose": "bao_cao"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="editor-parts"' in body and "Phòng GD&amp;ĐT" in body


# --- history --------------------------------------------------------------------------------------


def test_history_page_lists_who_changed_what(world, login):
    client = login(world.a.leader)
    section = world.a.union_item.section
    post_section(client, world.a.document, action="rename", section=section.pk, heading="Đổi tên")
    response = client.get(reverse("documents:document-history", args=[world.a.document.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đổi tên mục" in body
    assert world.a.leader.get_full_name() in body
    assert "tiêu đề" in body


def test_history_is_404_for_other_units_and_partners(world, login):
    url = reverse("documents:document-history", args=[world.a.document.pk])
    assert login(world.b.leader).get(url).status_code == 404
    assert login(world.a.police_contact).get(url).status_code == 404


def test_service_records_user_without_a_request(world):
    section = editor.add_section(world.a.document, world.a.clerk, "Mục do văn thư thêm")
    assert section.history.latest().history_user == world.a.clerk
