"""The leadership's dashboard: SVG charts with their numbers, overdue list, home-visit coverage,
.xlsx exports; managers of the unit only; a bounded number of queries."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phoihop.schedule.models import Activity
from phoihop.tracking import dashboard
from tests import factories as f


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def board(world, today):
    """School A: the union's activity done, the police's overdue, one upcoming; a home-visit
    activity for class 6A with 3 students to visit, 2 of them visited (one twice)."""
    a = world.a
    Activity.objects.filter(pk=a.activity.pk).update(status="done", due_on=today)
    Activity.objects.filter(pk=a.police_activity.pk).update(due_on=today - dt.timedelta(days=3))
    f.ActivityFactory(
        item=a.union_item,
        assignee_party=a.union,
        due_on=today + dt.timedelta(days=5),
        title="Hội nghị sắp tới",
    )
    visits_item = f.ItemFactory(document=a.document, text="GVCN thăm gia đình học sinh")
    visit = f.ActivityFactory(
        item=visits_item,
        school_class=a.school_class,
        obligations=3,
        due_on=today + dt.timedelta(days=10),
        title="Thăm gia đình 6A",
    )
    second = f.StudentFactory(school_class=a.school_class)
    for student in (a.student, a.student, second):
        f.RecordFactory(activity=visit, student=student, done_on=today)
    return visit


def test_leader_sees_svg_charts_each_with_its_table(world, login, board):
    client = login(world.a.leader)
    response = client.get(reverse("tracking:dashboard", args=[world.a.unit.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for key in dashboard.CHART_KEYS:
        assert f'id="chart-{key}"' in body
        assert reverse("tracking:dashboard-export", args=[world.a.unit.pk, key]) in body
    assert body.count("<svg") >= 3
    assert "<script" not in body.split("<main")[1].split("</main>")[0]
    charts = {c.key: c for c in response.context["board"].charts}
    sections = {row[0]: row for row in charts["sections"].table}
    union = sections["I. Phối hợp với Công đoàn"]
    # label, done, partly, missed, overdue, upcoming, total
    assert union[1:] == [1, 0, 0, 0, 1, 2]
    assert sections["II. Phối hợp với Công an"][4] == 1
    parties = {row[0]: row for row in charts["parties"].table}
    assert parties[world.a.police.name][4] == 1
    assert charts["coverage"].table == [["6A", 3, 2, 66.7]]
    overdue = response.context["board"].overdue
    assert [a.pk for a in overdue] == [world.a.police_activity.pk]
    assert world.a.police_activity.title in body


def test_each_chart_exports_to_an_xlsx_that_openpyxl_opens(world, login, board):
    client = login(world.a.clerk)
    url = reverse("tracking:dashboard-export", args=[world.a.unit.pk, "coverage"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Lớp", "Lượt cần thăm", "Đã thăm", "Tỷ lệ (%)")
    assert rows[2] == ("6A", 3, 2, 66.7)
    for key in dashboard.CHART_KEYS:
        response = client.get(reverse("tracking:dashboard-export", args=[world.a.unit.pk, key]))
        openpyxl.load_workbook(io.BytesIO(response.content))
    bad = client.get(reverse("tracking:dashboard-export", args=[world.a.unit.pk, "nothing"]))
    assert bad.status_code == 404


def test_dashboard_export_writes_party_names_as_text_not_formulas(world, login, board):
    import zipfile

    from phoihop.units.models import Party

    Party.objects.filter(pk=world.a.police.pk).update(name='=HYPERLINK("http://x.example","Xem")')
    client = login(world.a.clerk)
    response = client.get(reverse("tracking:dashboard-export", args=[world.a.unit.pk, "parties"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s" and cell.quotePrefix


def test_office_leader_sees_the_schools_dashboard(world, login, board):
    client = login(world.officer)
    assert client.get(reverse("tracking:dashboard", args=[world.a.unit.pk])).status_code == 200


def test_another_units_leader_gets_404(world, login, board):
    client = login(world.b.leader)
    assert client.get(reverse("tracking:dashboard", args=[world.a.unit.pk])).status_code == 404
    url = reverse("tracking:dashboard-export", args=[world.a.unit.pk, "sections"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["homeroom", "police_contact", "health_contact"])
def test_homeroom_teachers_and_partners_cannot_see_the_dashboard(world, login, who, board):
    client = login(getattr(world.a, who))
    assert client.get(reverse("tracking:dashboard", args=[world.a.unit.pk])).status_code == 403
    url = reverse("tracking:dashboard-export", args=[world.a.unit.pk, "coverage"])
    assert client.get(url).status_code == 403


def test_nav_link_leads_a_leader_to_their_dashboard(world, login):
    client = login(world.a.leader)
    response = client.get(reverse("tracking:dashboard-home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking:dashboard", args=[world.a.unit.pk])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_data(world, login, board, today):
    client = login(world.a.leader)
    url = reverse("tracking:dashboard", args=[world.a.unit.pk])
    small = _queries(client, url)
    a = world.a
    for n in range(30):
        section = f.SectionFactory(document=a.document, heading=f"Mục thêm {n}")
        item = f.ItemFactory(document=a.document, section=section)
        party = f.PartyFactory(unit=a.unit, name=f"Tổ chức thêm {n}")
        f.ActivityFactory(item=item, assignee_party=party, due_on=today - dt.timedelta(days=n))
        klass = f.SchoolClassFactory(unit=a.unit, name=f"9B{n}")
        visit = f.ActivityFactory(item=item, school_class=klass, obligations=2, due_on=today)
        f.RecordFactory(activity=visit, student=f.StudentFactory(school_class=klass))
        f.TargetFactory(document=a.document, text=f"Chỉ tiêu {n} đạt 90%", value=90)
    assert _queries(client, url) == small


def test_the_dashboard_shows_the_school_year_chosen(world, login, board, today):
    """Every year-bound page has a year choice (issue 18): last year's dashboard counts last
    year's activities only, and its exports follow."""
    from phoihop.core.calendar import school_year_label_for

    label = school_year_label_for(today)
    first = int(label[:4])
    last_year = f"{first - 1}-{first}"
    old = f.ActivityFactory(
        item=world.a.union_item,
        assignee_party=world.a.union,
        due_on=dt.date(first - 1, 11, 20),
        title="Hội nghị năm trước",
    )
    client = login(world.a.leader)
    url = reverse("tracking:dashboard", args=[world.a.unit.pk])
    this_year = client.get(url, {"year": label}).content.decode()
    assert f'<option value="{last_year}">' in this_year and "Hội nghị năm trước" not in this_year
    page = client.get(url, {"year": last_year}).content.decode()
    assert f'<option value="{last_year}" selected>' in page
    assert old.title in page  # overdue in last year's board
    assert world.a.police_activity.title not in page
    export = reverse("tracking:dashboard-export", args=[world.a.unit.pk, "parties"])
    assert f"{export}?year={last_year}" in page
    assert client.get(url, {"year": "rubbish"}).status_code == 200
