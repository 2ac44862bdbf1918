"""A student's data on request: the leadership exports all of it, or erases it; erasure keeps
every count and tally and leaves no trace of the student's name in the database."""

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from phoihop.reviews import tally
from phoihop.reviews.models import ActivityTally
from phoihop.schedule.models import Activity
from phoihop.tracking import transfers
from phoihop.tracking.consent import record_consent
from phoihop.tracking.models import Attachment, PhotoConsent, Record, Student, StudentDataAccess
from phoihop.tracking.services import MeetingData, record_activity, update_record
from tests import factories as f
from tests.tracking.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db

NAME = "Hoàng Thị Thu Trang"
CODE = "HS-TRANG-77"
PARENT = "Hoàng Văn Quế"
TRACES = (NAME, "Thu Trang", CODE, PARENT)


@pytest.fixture
def trang(world, visits, today):
    """A student with everything a school may hold about her: flags, consent, two visits with
    notes and photos, minutes, an edit in history, a transfer, and views in the access log."""
    a = world.a
    student = f.StudentFactory(
        school_class=a.school_class,
        full_name=NAME,
        code=CODE,
        birth_date=dt.date(2013, 5, 2),
        hardship=True,
    )
    record_consent(student, given=True, parent_name=PARENT, on=today, user=a.homeroom)
    photo = SimpleUploadedFile(
        "Nhà Thu Trang.jpg", jpeg_with_gps((500, 400)), content_type="image/jpeg"
    )
    first = record_activity(
        visits.activity,
        a.homeroom,
        done_on=today,
        participants=f"Bố {PARENT}",
        notes=f"Em {NAME} đi học đều.",
        student=student,
        files=[photo],
    )
    update_record(first, a.homeroom, participants=PARENT, notes=f"Thu Trang cần hỗ trợ ({CODE}).")
    record_activity(
        visits.previous,
        a.homeroom,
        done_on=visits.previous.window_ends_on,
        notes="Gặp ông bà của Thu Trang.",
        student=student,
        meeting=MeetingData(chair=PARENT, agenda=f"Tình hình của {NAME}"),
    )
    # The class's parent meeting names her in full; its minutes too, edited once (history).
    item = f.ItemFactory(document=a.document, position=9, text="Họp cha mẹ học sinh đầu năm.")
    meeting = f.ActivityFactory(item=item, assignee_party=a.union, school_class=a.school_class)
    minutes = record_activity(
        meeting,
        a.homeroom,
        done_on=today,
        participants="Cha mẹ học sinh lớp 6A",
        notes=f"Tuyên dương em {NAME}. An toàn giao thông.",
        meeting=MeetingData(conclusions=f"Lớp giúp đỡ {NAME}."),
    )
    update_record(
        minutes,
        a.homeroom,
        participants="Cha mẹ học sinh lớp 6A",
        notes=f"Tuyên dương em {NAME} và em Lê Văn Minh. An toàn giao thông.",
        meeting=MeetingData(conclusions=f"Lớp giúp đỡ {NAME}."),
    )
    transfers.transfer_out(
        student, left_on=today, reason=f"{NAME} chuyển trường theo gia đình", user=a.leader
    )
    transfers.transfer_in(student, enrolled_on=today, reason="Quay lại", user=a.leader)
    return student


def figures(unit):
    return {
        "students": Student.objects.filter(unit=unit).count(),
        "records": Record.objects.filter(activity__unit=unit).count(),
        "visits": Record.objects.filter(activity__unit=unit, student__isnull=False).count(),
        "statuses": sorted(Activity.objects.filter(unit=unit).values_list("pk", "status")),
        "tally": sorted(
            ActivityTally.objects.filter(unit=unit).values_list(
                "month", "day", "total", "done", "planned", "obligations", "visits"
            )
        ),
    }


def traces_in_database(needles):
    """Every (table, column) whose text holds one of ``needles``, over every model, including
    the history tables, the admin log and the access log."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            for needle in needles:
                if model._base_manager.filter(**{f"{field.attname}__contains": needle}).exists():
                    found.append((model._meta.db_table, field.attname, needle))
    return found


def erase(client, student):
    return client.post(reverse("tracking:student-erase", args=[student.pk]), {"confirm": "1"})


def test_the_fixture_really_spreads_the_name_over_the_database(trang):
    tables = {table for table, _column, _needle in traces_in_database(TRACES)}
    assert {
        "tracking_student",
        "tracking_historicalstudent",
        "tracking_record",
        "tracking_historicalrecord",
        "tracking_meetingminutes",
        "tracking_historicalmeetingminutes",
        "tracking_attachment",
        "tracking_photoconsent",
        "tracking_historicalphotoconsent",
        "django_admin_log",
    } <= tables


def test_erasure_keeps_every_count_and_tally_and_leaves_no_trace_of_the_name(
    world, trang, login, media_root, django_capture_on_commit_callbacks
):
    unit = world.a.unit
    before = figures(unit)
    photos = [a.file.path for a in Attachment.objects.filter(record__student=trang)]
    assert photos and all(Path(p).exists() for p in photos)

    client = login(world.a.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = erase(client, trang)
    assert response.status_code == 302

    assert figures(unit) == before
    assert not tally.check()
    call_command("tally", "--check")
    assert traces_in_database(TRACES) == []
    assert not any(Path(p).exists() for p in photos)

    trang.refresh_from_db()
    assert trang.full_name == f"Học sinh đã xoá #{trang.pk}"
    assert (trang.birth_date, trang.hardship, trang.school_class) == (
        None,
        False,
        world.a.school_class,
    )
    assert trang.erased_at is not None
    assert not PhotoConsent.objects.filter(student=trang).exists()
    # One history row is left: the erasure itself, with who did it.
    [row] = trang.history.all()
    assert (row.history_user, row.full_name) == (world.a.leader, trang.full_name)
    assert not Record.history.filter(student_id=trang.pk).exists()
    # The class meeting is kept, with only her name replaced.
    meeting = Record.objects.get(notes__startswith="Tuyên dương")
    assert meeting.notes == (
        f"Tuyên dương em {trang.full_name} và em Lê Văn Minh. An toàn giao thông."
    )
    assert meeting.meeting.conclusions == f"Lớp giúp đỡ {trang.full_name}."
    assert meeting.history.count() == 2
    assert StudentDataAccess.objects.filter(
        student=trang, kind=StudentDataAccess.Kind.ERASE, user=world.a.leader
    ).exists()
    page = client.get(reverse("tracking:student-detail", args=[trang.pk])).content.decode()
    assert "đã được xoá theo yêu cầu" in page
    assert reverse("tracking:student-erase", args=[trang.pk]) not in page
    # The pages that show her records still work, without her name.
    for url in [reverse("tracking:record-detail", args=[r.pk]) for r in trang.records.all()] + [
        reverse("tracking:class-coverage", args=[world.a.school_class.pk]),
        reverse("tracking:student-access-log", args=[world.a.unit.pk]) + f"?student={trang.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Thu Trang" not in response.content.decode(), url


def test_erasure_asks_for_confirmation_first_and_changes_nothing_without_it(world, trang, login):
    client = login(world.a.leader)
    url = reverse("tracking:student-erase", args=[trang.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="confirm"' in body
    assert "không thể hoàn tác" in body
    assert page.context["summary"] == {"records": 2, "files": 1, "history": 3}
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Hãy đánh dấu ô xác nhận" in response.content.decode()
    trang.refresh_from_db()
    assert trang.full_name == NAME
    assert Attachment.objects.filter(record__student=trang).count() == 1


def test_the_export_holds_the_students_records_consent_history_and_transfers(world, trang, login):
    client = login(world.a.leader)
    response = client.get(reverse("tracking:student-export", args=[trang.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert (data["student"]["full_name"], data["student"]["code"]) == (NAME, CODE)
    assert data["student"]["hardship"] is True
    assert data["photo_consent"]["given_by"] == PARENT
    notes = sorted(r["notes"] for r in data["records"])
    assert notes == ["Gặp ông bà của Thu Trang.", f"Thu Trang cần hỗ trợ ({CODE})."]
    assert any(r["meeting"] and r["meeting"]["chair"] == PARENT for r in data["records"])
    assert [f["name"] for r in data["records"] for f in r["files"]] == ["Nhà Thu Trang.jpg"]
    assert len(data["history"]) == 3  # created, transferred out, back in
    assert any("chuyển trường" in t["change"] for t in data["transfers"])
    assert StudentDataAccess.objects.filter(kind="json", student=trang).count() == 1


def test_the_xlsx_export_writes_the_same_data_as_text(world, trang, login):
    Record.objects.filter(student=trang, notes__startswith="Gặp").update(notes="=1+1 ghi chú")
    response = login(world.a.leader).get(
        reverse("tracking:student-export", args=[trang.pk, "xlsx"])
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = dict(book["Học sinh"].iter_rows(values_only=True))
    assert (values["full_name"], values["code"]) == (NAME, CODE)
    assert StudentDataAccess.objects.filter(kind="xlsx", student=trang).count() == 1
    records = list(book["Ghi nhận"].iter_rows(values_only=True))
    headers = records[0]
    notes = sorted(row[headers.index("notes")] for row in records[1:])
    assert notes == ["=1+1 ghi chú", f"Thu Trang cần hỗ trợ ({CODE})."]
    cells = [c for row in book["Ghi nhận"].iter_rows() for c in row if c.value == "=1+1 ghi chú"]
    assert [c.data_type for c in cells] == ["s"]  # text, not a formula


@pytest.mark.parametrize("name", ["student-erase", "student-export"])
def test_the_homeroom_teacher_may_not_export_or_erase(world, trang, login, name):
    args = [trang.pk] if name == "student-erase" else [trang.pk, "json"]
    client = login(world.a.homeroom)
    assert client.get(reverse(f"tracking:{name}", args=args)).status_code == 403
    if name == "student-erase":
        assert erase(client, trang).status_code == 403
        trang.refresh_from_db()
        assert trang.full_name == NAME


@pytest.mark.parametrize("who", ["b_leader", "police_contact", "officer"])
def test_another_unit_or_a_partner_gets_404(world, trang, login, who):
    user = {
        "b_leader": world.b.leader,
        "police_contact": world.a.police_contact,
        "officer": world.officer,
    }[who]
    client = login(user)
    for response in (
        client.get(reverse("tracking:student-export", args=[trang.pk, "json"])),
        erase(client, trang),
    ):
        assert response.status_code == 404
    trang.refresh_from_db()
    assert trang.full_name == NAME


def test_an_unknown_export_format_is_404(world, trang, login):
    response = login(world.a.leader).get(f"/classes/students/{trang.pk}/export.csv")
    assert response.status_code == 404


def test_an_erased_student_leaves_the_home_visit_form(world, trang, login, visits):
    client = login(world.a.leader)
    erase(client, trang)
    form = client.get(reverse("tracking:home-visit", args=[world.a.school_class.pk]))
    assert f"Học sinh đã xoá #{trang.pk}" not in form.content.decode()
