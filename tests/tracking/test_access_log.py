"""The log of who read students' personal data: written by every view that shows it, read by the
school's leadership only (Decree 13/2023/NĐ-CP)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.tracking.models import StudentDataAccess
from phoihop.tracking.services import MeetingData, record_activity
from tests import factories as f
from tests.tracking.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db
Kind = StudentDataAccess.Kind


def last_entry():
    return StudentDataAccess.objects.order_by("-pk").first()


def test_the_student_page_logs_who_read_whose_data(world, login):
    a = world.a
    url = reverse("tracking:student-detail", args=[a.student.pk])
    assert login(a.homeroom).get(url).status_code == 200
    entry = last_entry()
    assert (entry.user, entry.kind, entry.student, entry.unit) == (
        a.homeroom,
        Kind.PAGE,
        a.student,
        a.unit,
    )
    assert entry.school_class == a.school_class
    assert entry.path == url


def test_pages_listing_a_class_log_the_class(world, visits, login):
    a = world.a
    client = login(a.homeroom)
    for name in ("class-detail", "class-coverage", "home-visit"):
        before = StudentDataAccess.objects.count()
        assert client.get(reverse(f"tracking:{name}", args=[a.school_class.pk])).status_code == 200
        assert StudentDataAccess.objects.count() == before + 1, name
        entry = last_entry()
        assert (entry.school_class, entry.student, entry.kind) == (a.school_class, None, Kind.PAGE)


def test_the_school_coverage_page_logs_the_school(world, visits, login):
    login(world.a.leader).get(reverse("tracking:school-coverage"))
    entry = last_entry()
    assert (entry.user, entry.unit, entry.school_class, entry.student) == (
        world.a.leader,
        world.a.unit,
        None,
        None,
    )


def test_a_refused_page_logs_nothing(world, login):
    client = login(world.b.leader)
    assert client.get(reverse("tracking:student-detail", args=[world.a.student.pk])).status_code
    assert client.get(reverse("tracking:class-detail", args=[world.a.school_class.pk]))
    assert not StudentDataAccess.objects.exists()


def test_a_visit_photo_its_record_and_the_activity_page_are_logged(world, visits, login, today):
    a = world.a
    photo = SimpleUploadedFile("nha.jpg", jpeg_with_gps((400, 300)), content_type="image/jpeg")
    record = record_activity(
        visits.activity, a.homeroom, done_on=today, student=a.student, files=[photo]
    )
    client = login(a.leader)
    client.get(reverse("tracking:attachment", args=[record.attachments.get().pk]))
    assert (last_entry().kind, last_entry().student) == (Kind.PHOTO, a.student)
    client.get(reverse("tracking:record-detail", args=[record.pk]))
    assert (last_entry().kind, last_entry().student) == (Kind.PAGE, a.student)
    client.get(reverse("schedule:activity-detail", args=[visits.activity.pk]))
    assert (last_entry().kind, last_entry().school_class) == (Kind.PAGE, a.school_class)


def test_an_activity_page_without_students_logs_nothing(world, login):
    login(world.a.leader).get(reverse("schedule:activity-detail", args=[world.a.activity.pk]))
    assert not StudentDataAccess.objects.exists()


def test_minutes_of_a_class_meeting_are_logged(world, login, today):
    a = world.a
    item = f.ItemFactory(document=a.document, position=9, text="Họp cha mẹ học sinh đầu năm.")
    meeting = f.ActivityFactory(item=item, assignee_party=a.union, school_class=a.school_class)
    record = record_activity(
        meeting, a.homeroom, done_on=today, meeting=MeetingData(chair="Cô Lan")
    )
    response = login(a.homeroom).get(reverse("tracking:record-minutes", args=[record.pk]))
    assert response.status_code == 200
    assert (last_entry().kind, last_entry().school_class) == (Kind.MINUTES, a.school_class)


def test_the_transfer_page_and_the_import_report_are_logged(world, login, settings, tmp_path):
    from tests.tracking.test_students_import import upload, workbook

    settings.VAR_DIR = tmp_path
    a = world.a
    client = login(a.leader)
    client.get(reverse("tracking:student-transfer", args=[a.student.pk]))
    assert (last_entry().kind, last_entry().student) == (Kind.PAGE, a.student)
    upload(client, a.unit, workbook(["Mã HS", "Họ và tên", "Lớp"], [["L1", "Lý Bí", "6A"]]))
    client.get(reverse("tracking:students-import-report", args=[a.unit.pk]))
    entry = last_entry()
    assert (entry.unit, entry.student, entry.school_class) == (a.unit, None, None)
    assert entry.path == reverse("tracking:students-import-report", args=[a.unit.pk])


# -- the leadership's page ----------------------------------------------------------------------


def log_url(unit, **params):
    from django.utils.http import urlencode

    url = reverse("tracking:student-access-log", args=[unit.pk])
    return f"{url}?{urlencode(params)}" if params else url


def test_the_principal_reads_the_log_newest_first_linked_from_the_school_page(world, login):
    a = world.a
    login(a.homeroom).get(reverse("tracking:student-detail", args=[a.student.pk]))
    login(a.other_homeroom).get(reverse("tracking:class-detail", args=[a.other_class.pk]))
    client = login(a.leader)
    assert (
        log_url(a.unit)
        in client.get(reverse("units:unit-detail", args=[a.unit.pk])).content.decode()
    )
    response = client.get(log_url(a.unit))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [r.user for r in rows] == [a.other_homeroom, a.homeroom]
    body = response.content.decode()
    assert a.student.full_name in body
    assert "Danh sách lớp 7A" in body


def test_the_log_filters_by_person_and_by_student(world, login):
    a = world.a
    login(a.homeroom).get(reverse("tracking:student-detail", args=[a.student.pk]))
    login(a.other_homeroom).get(reverse("tracking:student-detail", args=[a.other_student.pk]))
    login(a.homeroom).get(reverse("tracking:class-detail", args=[a.school_class.pk]))
    client = login(a.leader)
    by_person = client.get(log_url(a.unit, user=a.other_homeroom.pk)).context["page"]
    assert [(e.user, e.student) for e in by_person] == [(a.other_homeroom, a.other_student)]
    by_student = client.get(log_url(a.unit, student=a.student.pk)).context["page"]
    # The student's own page and the list of their class.
    assert [(e.student, e.school_class) for e in by_student] == [
        (None, a.school_class),
        (a.student, a.school_class),
    ]


def test_the_log_is_paginated_with_the_filters_kept(world, login):
    a = world.a
    StudentDataAccess.objects.bulk_create(
        StudentDataAccess(user=a.homeroom, unit=a.unit, kind=Kind.PAGE, student=a.student, path="/")
        for _n in range(120)
    )
    client = login(a.leader)
    response = client.get(log_url(a.unit, user=a.homeroom.pk))
    assert response.context["page"].paginator.num_pages == 3
    assert f"user={a.homeroom.pk}&amp;page=2" in response.content.decode()
    assert len(client.get(log_url(a.unit, user=a.homeroom.pk, page=3)).context["page"]) == 20


def test_the_log_page_costs_the_same_queries_for_ten_or_fifty_rows(world, login):
    a = world.a

    def fill(n):
        StudentDataAccess.objects.bulk_create(
            StudentDataAccess(
                user=f.UserFactory(), unit=a.unit, kind=Kind.PAGE, student=a.student, path="/"
            )
            for _n in range(n)
        )

    client = login(a.leader)
    fill(10)
    with CaptureQueriesContext(connection) as few:
        client.get(log_url(a.unit))
    fill(40)
    with CaptureQueriesContext(connection) as many:
        client.get(log_url(a.unit))
    assert len(many) == len(few)


def test_another_schools_leader_gets_404(world, login):
    response = login(world.b.leader).get(log_url(world.a.unit))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["homeroom", "clerk", "police_contact"])
def test_a_homeroom_teacher_a_clerk_and_a_partner_cannot_read_the_log(world, login, who):
    school = world.a
    response = login(getattr(school, who)).get(log_url(school.unit))
    assert response.status_code in (403, 404)
    if who == "homeroom":
        assert response.status_code == 403
        page = login(school.homeroom).get(reverse("units:unit-detail", args=[school.unit.pk]))
        assert log_url(school.unit) not in page.content.decode()


def test_a_student_of_another_school_or_a_bad_id_in_the_filter_is_refused(world, login):
    client = login(world.a.leader)
    assert client.get(log_url(world.a.unit, student=world.b.student.pk)).status_code == 404
    assert client.get(log_url(world.a.unit, user="abc")).status_code == 400


def test_an_office_leader_above_the_school_cannot_read_its_log(world, login):
    assert login(world.officer).get(log_url(world.a.unit)).status_code == 403
