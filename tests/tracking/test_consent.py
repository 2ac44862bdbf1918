"""Parents' consent to photos as evidence: recorded on the student page by the homeroom teacher
or the leadership; a photo about a student without it is refused, not blurred."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop.tracking import students_import as si
from phoihop.tracking.models import Attachment, PhotoConsent, Record
from phoihop.tracking.services import RecordingError, record_activity
from tests.tracking.conftest import PDF_BYTES, jpeg_with_gps
from tests.tracking.test_home_visits import log_visit
from tests.tracking.test_students_import import TODAY, workbook

pytestmark = pytest.mark.django_db


def a_photo():
    return SimpleUploadedFile("nha.jpg", jpeg_with_gps((600, 400)), content_type="image/jpeg")


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_visit_photo_of_a_student_without_consent_is_refused_and_nothing_is_saved(
    world, visits, login, today, media_root
):
    # Yến's family was never asked (the fixture gives consent for Minh only).
    response = log_visit(
        login(world.a.homeroom), world.a.school_class, visits.flagged, today, photo=a_photo()
    )
    body = response.content.decode()
    assert "chưa đồng ý cho dùng ảnh của em làm minh chứng" in body
    assert "Vũ Thị Yến" in body
    assert not Record.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_the_same_visit_without_a_photo_is_recorded(world, visits, login, today):
    response = log_visit(login(world.a.homeroom), world.a.school_class, visits.flagged, today)
    assert response.status_code == 302
    assert Record.objects.get().student == visits.flagged


def test_a_withdrawn_consent_refuses_photos_again(world, visits, today):
    consent = PhotoConsent.objects.get(student=world.a.student)
    consent.given = False
    consent.save()
    with pytest.raises(RecordingError):
        record_activity(
            visits.activity,
            world.a.homeroom,
            done_on=today,
            student=world.a.student,
            files=[a_photo()],
        )
    assert not Record.objects.exists()


def test_a_scanned_pdf_about_a_student_is_not_a_photo(world, visits, today):
    scan = SimpleUploadedFile("bien-ban.pdf", PDF_BYTES, content_type="application/pdf")
    record = record_activity(
        visits.activity, world.a.homeroom, done_on=today, student=visits.flagged, files=[scan]
    )
    assert record.attachments.count() == 1


def consent_url(student):
    return reverse("tracking:student-consent", args=[student.pk])


@pytest.mark.parametrize("who", ["homeroom", "leader"])
def test_the_homeroom_teacher_or_the_leadership_records_consent_then_photos_are_taken(
    world, visits, login, today, who
):
    school = world.a
    client = login(getattr(school, who))
    page = client.get(reverse("tracking:student-detail", args=[visits.flagged.pk])).content
    assert "Chưa ghi nhận ý kiến của gia đình" in page.decode()
    response = client.post(
        consent_url(visits.flagged),
        {"given": "1", "given_by": "Vũ Văn Hùng", "given_on": today.isoformat()},
    )
    assert response.status_code == 302
    consent = PhotoConsent.objects.get(student=visits.flagged)
    assert (consent.given, consent.given_by, consent.given_on) == (True, "Vũ Văn Hùng", today)
    assert consent.recorded_by == getattr(school, who)
    assert consent.history.get().history_user == getattr(school, who)
    page = client.get(reverse("tracking:student-detail", args=[visits.flagged.pk])).content
    assert "Vũ Văn Hùng" in page.decode()
    response = log_visit(
        login(school.homeroom), school.school_class, visits.flagged, today, photo=a_photo()
    )
    assert response.status_code == 302
    assert Record.objects.get().attachments.count() == 1


def test_withdrawing_keeps_the_earlier_answer_in_history(world, login, today):
    client = login(world.a.homeroom)
    student = world.a.student
    client.post(consent_url(student), {"given": "1", "given_by": "Lê Thị Mai", "given_on": today})
    client.post(consent_url(student), {"given": "0", "given_by": "", "given_on": today})
    consent = PhotoConsent.objects.get(student=student)
    assert consent.given is False
    assert [h.given for h in consent.history.order_by("history_date", "pk")] == [True, False]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"given": "1", "given_by": "", "given_on": "2025-10-01"}, "Hãy ghi họ tên cha mẹ"),
        ({"given": "1", "given_by": "Mẹ", "given_on": "2999-01-01"}, "không được sau hôm nay"),
        ({"given": "maybe", "given_by": "Mẹ", "given_on": "2025-10-01"}, "lựa chọn hợp lệ"),
        ({"given": "1", "given_by": "Mẹ", "given_on": "31/02/2025"}, "ngày hợp lệ"),
    ],
)
def test_bad_consent_input_is_refused_in_vietnamese_and_changes_nothing(
    world, login, data, message
):
    response = login(world.a.homeroom).post(consent_url(world.a.student), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PhotoConsent.objects.filter(student=world.a.student).exists()


@pytest.mark.parametrize("who", ["police_contact", "other_homeroom"])
def test_who_cannot_see_the_student_cannot_record_consent(world, login, today, who):
    response = login(getattr(world.a, who)).post(
        consent_url(world.a.student), {"given": "1", "given_by": "X", "given_on": today}
    )
    assert response.status_code == 404
    assert not PhotoConsent.objects.exists()


def test_another_schools_leader_cannot_record_consent(world, login, today):
    response = login(world.b.leader).post(
        consent_url(world.a.student), {"given": "1", "given_by": "X", "given_on": today}
    )
    assert response.status_code == 404


def test_the_import_reads_the_optional_consent_column(world):
    data = workbook(
        ["Mã HS", "Họ và tên", "Lớp", "Đồng ý dùng ảnh"],
        [["C1", "Lê Văn Có", "6A", "x"], ["C2", "Lê Văn Không", "6A", ""]],
    )
    sheet = si.read_sheet(data)
    si.import_students(
        world.a.unit,
        sheet,
        si.guess_mapping(sheet.headers),
        today=TODAY,
        create_classes=False,
        only_valid=False,
        user=world.a.leader,
    )
    consent = PhotoConsent.objects.get(student__code="C1")
    assert (consent.given, consent.given_on, consent.recorded_by) == (
        True,
        TODAY,
        world.a.leader,
    )
    assert not PhotoConsent.objects.filter(student__code="C2").exists()


def test_the_template_carries_the_consent_column(world, login):
    import io

    import openpyxl

    response = login(world.a.leader).get(
        reverse("tracking:students-import-template", args=[world.a.unit.pk])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[3]]
    assert "Đồng ý dùng ảnh" in headers
    mapping = si.guess_mapping([h or "" for h in headers])
    assert mapping["photo_consent"] == headers.index("Đồng ý dùng ảnh")


def test_the_visit_form_says_which_families_have_not_agreed_to_photos(world, visits, login):
    import re

    body = (
        login(world.a.homeroom)
        .get(reverse("tracking:home-visit", args=[world.a.school_class.pk]))
        .content.decode()
    )
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', body)
    assert sorted(options) == [
        "Lê Văn Minh",
        "⚑ Vũ Thị Yến (gia đình chưa đồng ý dùng ảnh)",
    ]
