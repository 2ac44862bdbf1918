"""Compare two plans item by item, on a page and as a DOCX."""

import io

import docx
import pytest
from django.urls import reverse

from phoihop.documents.compare import compare_plans, comparison_docx, word_diff
from phoihop.documents.models import Document
from tests import factories as f


def plan(*items):
    return {
        "commitments": [
            {"text": text, "parties": parties, "cadence": cadence}
            for text, parties, cadence in items
        ]
    }


MONTHLY = {"count": 1, "per": "month"}
OLD = plan(
    ("Giáo viên chủ nhiệm thăm gia đình học sinh ít nhất một lần mỗi tháng.", ["gvcn"], MONTHLY),
    ("Công an phường tuyên truyền an toàn giao thông cho học sinh.", ["cong_an"], None),
    ("Tổ chức Hội nghị viên chức đầu năm học.", ["lanh_dao", "cong_doan"], None),
)
NEW = plan(
    ("Giáo viên chủ nhiệm thăm gia đình học sinh ít nhất một lần mỗi tháng.", ["gvcn"], MONTHLY),
    ("Trạm y tế khám sức khỏe cho học sinh đầu năm.", ["y_te"], None),
    ("Tổ chức Hội nghị viên chức, người lao động đầu năm học.", ["lanh_dao", "cong_doan"], None),
)


def test_compare_finds_added_removed_changed_unchanged():
    result = compare_plans(OLD, NEW)
    assert result.counts == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
    statuses = [row.status for row in result.rows]
    assert statuses[0] == "unchanged"
    changed = next(r for r in result.rows if r.status == "changed")
    assert ("insert", "chức, người lao động") in [(s.op, s.text) for s in changed.diff]
    removed = next(r for r in result.rows if r.status == "removed")
    assert removed.old_text.startswith("Công an phường")


def test_changed_parties_or_cadence_count_as_changed():
    new = plan(
        ("Giáo viên chủ nhiệm thăm gia đình học sinh ít nhất một lần mỗi tháng.", ["gvcn", "cmhs"], MONTHLY),
    )  # fmt: skip
    row = compare_plans(OLD, new).rows[0]
    assert row.status == "changed" and row.changes == ["parties"]


def test_word_diff():
    assert [(s.op, s.text) for s in word_diff("a b c", "a x c")] == [
        ("equal", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", "c"),
    ]


def test_comparison_docx_opens_with_a_two_column_table():
    data = comparison_docx(compare_plans(OLD, NEW), old_title="Năm trước", new_title="Năm nay")
    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    assert len(table.columns) == 2 and len(table.rows) == 1 + 4
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert "Năm trước" in table.rows[0].cells[0].text


@pytest.fixture
def pair(world):
    old = world.a.document
    new = f.DocumentFactory(unit=world.a.unit, title="Kế hoạch năm nay", previous=old)
    item = f.ItemFactory(document=new, text="Công đoàn tổ chức hội nghị cán bộ đầu năm học.")
    f.link_parties(item, world.a.union)
    f.ItemFactory(document=new, text="Trạm y tế khám sức khỏe học sinh.")
    return old, new


@pytest.mark.django_db
def test_compare_page_against_previous(pair, login, world):
    old, new = pair
    response = login(world.a.leader).get(reverse("documents:document-compare", args=[new.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thêm mới 1, bỏ đi 1" in body
    assert "Trạm y tế khám sức khỏe học sinh." in body


@pytest.mark.django_db
def test_compare_docx_download(pair, login, world):
    old, new = pair
    url = reverse("documents:document-compare-docx", args=[new.pk]) + f"?other={old.pk}"
    response = login(world.a.leader).get(url)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert len(document.tables[0].columns) == 2


@pytest.mark.django_db
def test_compare_refused_to_other_units_and_partners(pair, login, world):
    old, new = pair
    url = reverse("documents:document-compare", args=[new.pk])
    assert login(world.b.leader).get(url).status_code == 404
    assert login(world.a.police_contact).get(url).status_code == 404
    # Another unit's document as ``other`` is a 404 too.
    other = reverse("documents:document-compare", args=[old.pk]) + f"?other={world.b.document.pk}"
    assert login(world.a.leader).get(other).status_code == 404
    docx_url = reverse("documents:document-compare-docx", args=[new.pk])
    assert login(world.b.leader).get(docx_url).status_code == 404
    assert Document.objects.count() >= 3
