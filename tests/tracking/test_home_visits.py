"""Home visits: a few taps on a phone, the class's coverage matrix, the school's coverage, and the
students' privacy (only their homeroom teacher and the leadership)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from phoihop.schedule.models import Activity
from phoihop.tracking.models import Record
from tests import factories as f

pytestmark = pytest.mark.django_db


def log_visit(client, school_class, student, day, **extra):
    data = {"student": student.pk, "done_on": day.isoformat(), "met_with": "Mẹ", "notes": "Ổn"}
    data.update(extra)
    return client.post(reverse("tracking:home-visit", args=[school_class.pk]), data)


def test_visit_form_lists_flagged_students_first_and_defaults_to_today(world, visits, login, today):
    body = (
        login(world.a.homeroom)
        .get(reverse("tracking:home-visit", args=[world.a.school_class.pk]))
        .content.decode()
    )
    assert body.index("Vũ Thị Yến") < body.index("Lê Văn Minh")
    assert f'value="{today.isoformat()}"' in body
    assert world.a.other_student.full_name not in body


def test_logging_a_visit_records_it_on_the_current_activity_for_the_student(
    world, visits, login, today, photo
):
    response = log_visit(
        login(world.a.homeroom), world.a.school_class, world.a.student, today, photo=photo
    )
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.activity == visits.activity
    assert record.student == world.a.student
    assert record.participants == "Mẹ"
    assert record.attachments.count() == 1
    visits.activity.refresh_from_db()
    assert visits.activity.status == Activity.Status.PARTLY


def test_visit_date_in_last_month_goes_to_last_months_activity(world, visits, login):
    day = visits.previous.window_starts_on + dt.timedelta(days=1)
    log_visit(login(world.a.homeroom), world.a.school_class, world.a.student, day)
    assert Record.objects.get().activity == visits.previous


def test_visit_on_a_day_outside_every_planned_period_is_accepted(world, visits, login):
    """A family is visited when it can be: the visit keeps its day and counts for the nearest
    period (issue 18)."""
    day = visits.previous.window_starts_on - dt.timedelta(days=40)
    response = log_visit(login(world.a.homeroom), world.a.school_class, world.a.student, day)
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.done_on == day
    assert record.activity == visits.previous


def test_visit_for_a_class_without_any_visit_activity_says_so_clearly(world, visits, login):
    client = login(world.a.other_homeroom)
    response = log_visit(client, world.a.other_class, world.a.other_student, dt.date(2025, 10, 1))
    assert response.status_code == 200
    assert "chưa có đợt thăm gia đình học sinh nào trong lịch" in response.content.decode()
    assert Record.objects.count() == 0


def test_teacher_cannot_log_a_visit_for_another_class_student(world, visits, login, today):
    response = log_visit(
        login(world.a.homeroom), world.a.school_class, world.a.other_student, today
    )
    assert response.status_code == 200
    assert Record.objects.count() == 0


def test_visit_photo_must_be_an_image(world, visits, login, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"<html>hi</html>", content_type="image/jpeg")
    response = log_visit(
        login(world.a.homeroom), world.a.school_class, world.a.student, today, photo=fake
    )
    assert "không phải ảnh" in response.content.decode()
    assert Record.objects.count() == 0


def test_coverage_matrix_shows_a_logged_visit_flagged_students_first(world, visits, login, today):
    client = login(world.a.homeroom)
    log_visit(client, world.a.school_class, world.a.student, today)
    body = client.get(
        reverse("tracking:class-coverage", args=[world.a.school_class.pk])
    ).content.decode()
    matrix = body[body.index('id="coverage-matrix"') :]
    assert matrix.index("Vũ Thị Yến") < matrix.index("Lê Văn Minh")
    record = Record.objects.get()
    assert reverse("tracking:record-detail", args=[record.pk]) in body
    assert f"✓ {today:%d/%m}" in body
    assert f"Tháng {today.month}/{today.year}" in body
    assert "1/2" in body  # this month: one of two students visited


def test_coverage_matrix_columns_follow_a_semester_cadence(world, login, today):
    item = f.ItemFactory(
        document=world.a.document,
        text="GVCN thăm gia đình học sinh mỗi học kỳ một lần.",
        cadence={"per": "semester", "per_subject": "hoc_sinh", "count": 1},
    )
    for key, label in (("hk1", "Học kỳ I"), ("hk2", "Học kỳ II")):
        f.ActivityFactory(
            item=item,
            key=key,
            title=f"{label} · {item.text}",
            school_class=world.a.school_class,
            obligations=1,
        )
    body = (
        login(world.a.homeroom)
        .get(reverse("tracking:class-coverage", args=[world.a.school_class.pk]))
        .content.decode()
    )
    assert "Học kỳ I</th>" in body and "Học kỳ II</th>" in body


def test_school_coverage_counts_visits_per_class_for_the_leadership(world, visits, login, today):
    log_visit(login(world.a.homeroom), world.a.school_class, world.a.student, today)
    response = login(world.a.leader).get(reverse("tracking:school-coverage"))
    body = response.content.decode()
    assert response.status_code == 200
    # This month and last month have begun: 2 periods × 2 students required, 1 visited.
    assert "đã thăm 1/4 lượt" in body
    assert "25%" in body


def test_school_coverage_is_for_the_leadership_only(world, visits, login):
    assert login(world.a.police_contact).get(reverse("tracking:school-coverage")).status_code == 404
    assert (
        login(world.b.leader)
        .get(reverse("tracking:school-coverage") + f"?unit={world.a.unit.pk}")
        .status_code
        == 404
    )


def test_other_teachers_and_every_partner_get_404_for_the_students_visit_and_photo(
    world, visits, login, today, photo
):
    log_visit(login(world.a.homeroom), world.a.school_class, world.a.student, today, photo=photo)
    record = Record.objects.get()
    attachment = record.attachments.get()
    urls = [
        reverse("tracking:student-detail", args=[world.a.student.pk]),
        reverse("tracking:record-detail", args=[record.pk]),
        reverse("tracking:record-edit", args=[record.pk]),
        reverse("tracking:attachment", args=[attachment.pk]),
        reverse("tracking:home-visit", args=[world.a.school_class.pk]),
        reverse("tracking:class-coverage", args=[world.a.school_class.pk]),
    ]
    outsiders = [
        world.a.other_homeroom,
        world.a.police_contact,  # named on the home-visit item: sees the activity, not students
        world.a.health_contact,
        world.b.leader,
        world.b.homeroom,
        world.b.police_contact,
    ]
    for user in outsiders:
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    # The police contact sees the activity page, but not the record about the student.
    body = (
        login(world.a.police_contact)
        .get(reverse("schedule:activity-detail", args=[visits.activity.pk]))
        .content.decode()
    )
    assert world.a.student.full_name not in body
    assert reverse("tracking:attachment", args=[attachment.pk]) not in body


def test_the_teacher_and_the_principal_see_the_photo_clean(world, visits, login, today, photo):
    log_visit(login(world.a.homeroom), world.a.school_class, world.a.student, today, photo=photo)
    attachment = Record.objects.get().attachments.get()
    for user in (world.a.homeroom, world.a.leader):
        response = login(user).get(reverse("tracking:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert max(image.size) <= 2000
        assert image.getexif().get_ifd(0x8825) == {}
        assert dict(image.getexif()) == {}


def _grow_class(world, visits, students: int, today):
    school = world.a
    for i in range(students):
        student = f.StudentFactory(school_class=school.school_class, weak_results=i % 2 == 0)
        Record.objects.create(
            activity=visits.activity, student=student, done_on=today, created_by=school.homeroom
        )
    for i in range(3):
        f.ActivityFactory(
            item=visits.item,
            key=f"extra{i}",
            title=f"Tháng {i + 1}/2020 · x",
            school_class=school.school_class,
            window_starts_on=dt.date(2020, i + 1, 1),
            window_ends_on=dt.date(2020, i + 1, 28),
            obligations=students,
        )
    extra_class = f.SchoolClassFactory(unit=school.unit, name="8A")
    f.ActivityFactory(item=visits.item, key="8a", school_class=extra_class, obligations=5)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("view", ["class", "school"])
def test_coverage_query_count_does_not_grow_with_students_or_periods(
    world, visits, login, today, view
):
    if view == "class":
        client = login(world.a.homeroom)
        url = reverse("tracking:class-coverage", args=[world.a.school_class.pk])
    else:
        client = login(world.a.leader)
        url = reverse("tracking:school-coverage")
    before = count_queries(client, url)
    _grow_class(world, visits, 30, today)
    assert count_queries(client, url) == before


def test_the_student_page_shows_the_visits_photos(world, visits, login, today, photo):
    client = login(world.a.homeroom)
    log_visit(client, world.a.school_class, world.a.student, today, photo=photo)
    attachment = Record.objects.get().attachments.get()
    page = client.get(reverse("tracking:student-detail", args=[world.a.student.pk]))
    assert (
        f'<img src="{reverse("tracking:attachment", args=[attachment.pk])}"'
        in page.content.decode()
    )
    # Another school's leader still gets nothing.
    assert (
        login(world.b.leader)
        .get(reverse("tracking:student-detail", args=[world.a.student.pk]))
        .status_code
        == 404
    )


def test_coverage_bars_keep_a_css_width_whatever_the_decimal_mark(world, visits, login, today):
    log_visit(login(world.a.homeroom), world.a.school_class, world.a.student, today)
    body = login(world.a.leader).get(reverse("tracking:school-coverage")).content.decode()
    import re

    widths = re.findall(r'style="width: ([^"]*)"', body)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?%", w) for w in widths), widths
