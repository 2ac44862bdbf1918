"""Rollover: next year's draft from this year's document."""

import pytest
from django.urls import reverse

from phoihop.documents.models import Document
from phoihop.documents.rollover import rollover_document, shift_text
from phoihop.documents.services import create_document_from_plan
from tests import factories as f


def test_shift_text_moves_own_years_and_the_lunar_name():
    text = "Kế hoạch năm học 2025-2026; Tết Bính Ngọ; họp ngày 20/11/2025, tháng 5/2026, năm 2026."
    assert shift_text(text, 2025) == (
        "Kế hoạch năm học 2026-2027; Tết Đinh Mùi; họp ngày 20/11/2026, tháng 5/2027, năm 2027."
    )


def test_shift_text_leaves_other_years_and_numbers():
    text = "Theo Thông tư số 32/2020/TT-BGDĐT và Luật năm 2019; năm học 2025 - 26."
    assert (
        shift_text(text, 2025)
        == "Theo Thông tư số 32/2020/TT-BGDĐT và Luật năm 2019; năm học 2026 - 27."
    )


PLAN = {
    "format": "phoihop.import/1",
    "doc_type": "ke_hoach",
    "title": "KẾ HOẠCH Phối hợp năm học 2025-2026",
    "number": "12/KH-THCS",
    "date": "2025-09-10",
    "place": "Hà Nội",
    "period": {"text": "2025-2026", "start_year": 2025, "end_year": 2026},
    "legal_basis": [{"text": "Căn cứ kế hoạch năm học 2025-2026 của Phòng", "ref": None}],
    "sections": [{"path": "1", "heading": "I. Nội dung năm học 2025-2026", "level": 1}],
    "commitments": [
        {
            "section": "1",
            "text": "Thăm hỏi giáo viên dịp Tết Bính Ngọ, trong tháng 1/2026.",
            "parties": ["cong_doan"],
            "cadence": {
                "count": 1,
                "per": "once",
                "window": {"start": "2026-01", "end": "2026-01"},
            },
        }
    ],
    "targets": [
        {"text": "Năm học 2025-2026 đạt 100%", "comparator": "=", "value": 100, "unit": "%"}
    ],
    "recipients": [{"text": "Lưu: VT.", "name": "Lưu: VT.", "purpose": "luu"}],
    "signers": [{"authority": None, "title": "HIỆU TRƯỞNG", "name": "Lê A"}],
}


@pytest.mark.django_db
def test_rollover_moves_the_year_and_clears_number_and_status(world):
    old = create_document_from_plan(world.a.unit, PLAN)
    old.status = Document.Status.IN_FORCE
    old.school_year = f.SchoolYearFactory()
    old.save()
    new = rollover_document(old, world.a.leader)
    assert new.title == "KẾ HOẠCH Phối hợp năm học 2026-2027"
    assert (new.start_year, new.end_year, new.period_text) == (2026, 2027, "2026-2027")
    assert new.number is None and new.issued_on is None and new.status == Document.Status.DRAFT
    assert new.previous == old and new.symbol == "KH-THCS"
    assert new.school_year.label == "2026-2027"
    item = new.items.get()
    assert item.text == "Thăm hỏi giáo viên dịp Tết Đinh Mùi, trong tháng 1/2027."
    assert item.cadence["window"] == {"start": "2027-01", "end": "2027-01"}
    assert [p.pk for p in item.parties.all()] == [p.pk for p in old.items.get().parties.all()]
    assert new.sections.get().heading == "I. Nội dung năm học 2026-2027"
    assert new.targets.get().text == "Năm học 2026-2027 đạt 100%"
    # The legal basis cites a real document: kept, for a person to replace (the lint says so).
    assert new.legal_basis.get().text.endswith("2025-2026 của Phòng")
    assert new.history.latest().history_user == world.a.leader


@pytest.mark.django_db
def test_rollover_view_shows_the_lint_of_the_new_draft(world, login):
    old = create_document_from_plan(world.a.unit, PLAN)
    response = login(world.a.leader).post(reverse("documents:document-rollover", args=[old.pk]))
    new = Document.objects.get(previous=old)
    assert response.url == reverse("documents:document-lint", args=[new.pk])
    page = login(world.a.leader).get(response.url).content.decode()
    assert "Kiểm tra văn bản" in page
    assert "Văn bản chưa có địa danh hoặc ngày ban hành." in page  # the new draft's findings


@pytest.mark.django_db
def test_rollover_refused_to_other_units_and_partners(world, login):
    url = reverse("documents:document-rollover", args=[world.a.document.pk])
    assert login(world.b.leader).post(url).status_code == 404
    assert login(world.a.police_contact).post(url).status_code in (403, 404)
    assert not Document.objects.filter(previous=world.a.document).exists()
