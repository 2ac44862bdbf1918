"""The built-in templates: lint-clean plans that start a draft for the chosen school year."""

import pytest
from django.urls import reverse

from phoihop.core.lint import lint
from phoihop.documents import builtin
from phoihop.documents.models import Document

ALLOWED_INFO = {"missing_number", "missing_place_date", "spelling_skipped"}
# A template leaves the signer's name for the school to write; issuing is blocked until it does.
TEMPLATE_BLANKS = {"signer_placeholder"}


def _not_info(findings):
    return [f for f in findings if f.severity != "info" and f.rule not in TEMPLATE_BLANKS]


@pytest.mark.parametrize("key", builtin.KEYS)
def test_template_is_lint_clean(key):
    findings = lint(builtin.load(key))
    assert _not_info(findings) == []
    assert {f.rule for f in findings} <= ALLOWED_INFO | TEMPLATE_BLANKS, [f.text for f in findings]


@pytest.mark.parametrize("key", builtin.KEYS)
def test_template_moved_to_another_year_is_still_clean(key):
    plan = builtin.instantiate(key, "2027-2028", issuer="Trường THCS Thử")
    assert "2027-2028" in plan["title"]
    findings = lint(plan)
    assert _not_info(findings) == []


def test_six_templates_with_cadences_and_targets():
    assert len(builtin.available()) == 6
    for key in builtin.KEYS:
        plan = builtin.load(key)
        assert plan["targets"] and all(t["value"] is not None for t in plan["targets"])
        assert any(c["cadence"] for c in plan["commitments"])


@pytest.mark.django_db
def test_manager_creates_a_draft_from_a_template(world, login):
    client = login(world.a.leader)
    page = client.get(reverse("documents:document-new", args=[world.a.unit.pk]))
    assert page.status_code == 200 and "Từ mẫu có sẵn" in page.content.decode()
    response = client.post(
        reverse("documents:document-new-template", args=[world.a.unit.pk]),
        {"template": "cong_an", "year": "2026-2027"},
    )
    document = Document.objects.get(unit=world.a.unit, title__contains="Công an phường")
    assert response.url == reverse("documents:document-edit", args=[document.pk])
    assert document.status == Document.Status.DRAFT
    assert document.school_year.label == "2026-2027"
    assert "2026-2027" in document.title
    assert document.items.count() >= 6 and document.targets.count() == 2


@pytest.mark.django_db
def test_new_document_page_refused_to_others(world, login):
    url = reverse("documents:document-new", args=[world.a.unit.pk])
    post_url = reverse("documents:document-new-template", args=[world.a.unit.pk])
    assert login(world.b.leader).get(url).status_code == 404
    assert (
        login(world.b.leader)
        .post(post_url, {"template": "cong_an", "year": "2025-2026"})
        .status_code
        == 404
    )
    assert login(world.a.police_contact).get(url).status_code in (403, 404)
    assert login(world.a.homeroom).get(url).status_code == 403
    assert not Document.objects.filter(title__contains="Công an phường bảo đảm").exists()


@pytest.mark.django_db
def test_editor_renders_a_full_template_draft(world, login):
    client = login(world.a.leader)
    client.post(
        reverse("documents:document-new-template", args=[world.a.unit.pk]),
        {"template": "cha_me_hoc_sinh", "year": "2025-2026"},
    )
    document = Document.objects.get(unit=world.a.unit, title__contains="Ban đại diện")
    page = client.get(reverse("documents:document-edit", args=[document.pk]))
    assert page.status_code == 200 and "Lưu: VT." in page.content.decode()
    item = document.items.get(text__contains="sổ liên lạc điện tử")
    body = client.get(reverse("documents:item-edit", args=[item.pk])).content.decode()
    assert "Ít nhất 1 lần mỗi tháng cho mỗi học sinh" in body and "/2025" in body
