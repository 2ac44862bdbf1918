"""Recording results: status, evidence stored safely and served only to who may see it, history,
the meeting's biên bản."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image

from phoihop.schedule.models import Activity
from phoihop.tracking import services
from phoihop.tracking.models import Attachment, Record
from tests.tracking.conftest import PDF_BYTES, jpeg_with_gps

pytestmark = pytest.mark.django_db


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def post_record(client, activity, **extra):
    data = {"done_on": "2025-10-10", "outcome": "done", "participants": "", "notes": ""}
    data.update(extra)
    return client.post(reverse("tracking:record-create", args=[activity.pk]), data)


def test_recording_done_marks_the_activity_done(world):
    activity = world.a.activity
    services.record_activity(activity, world.a.leader, done_on=dt.date(2025, 10, 10))
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE


def test_recording_partly_marks_the_activity_partly_done(world):
    activity = world.a.activity
    services.record_activity(
        activity, world.a.leader, done_on=dt.date(2025, 10, 10), outcome="partly"
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PARTLY


def test_per_student_activity_is_done_only_when_every_student_is_covered(world, visits, today):
    school = world.a
    services.record_activity(
        visits.activity, school.homeroom, done_on=today, student=school.student
    )
    visits.activity.refresh_from_db()
    assert visits.activity.status == Activity.Status.PARTLY
    services.record_activity(
        visits.activity, school.homeroom, done_on=today, student=visits.flagged
    )
    visits.activity.refresh_from_db()
    assert visits.activity.status == Activity.Status.DONE


def test_record_form_on_the_activity_page_saves_notes_files_and_status(world, login, media_root):
    client = login(world.a.leader)
    page = client.get(reverse("schedule:activity-detail", args=[world.a.activity.pk]))
    assert "Ghi nhận kết quả" in page.content.decode()
    photo = SimpleUploadedFile("hop.jpg", jpeg_with_gps(), content_type="image/jpeg")
    scan = SimpleUploadedFile("bien-ban.pdf", PDF_BYTES, content_type="application/pdf")
    response = post_record(
        client, world.a.activity, participants="BGH, BCH Công đoàn", files=[photo, scan]
    )
    assert response.status_code == 302
    record = Record.objects.get(activity=world.a.activity)
    assert record.participants == "BGH, BCH Công đoàn"
    assert record.created_by == world.a.leader
    assert sorted(a.content_type for a in record.attachments.all()) == [
        "application/pdf",
        "image/jpeg",
    ]
    world.a.activity.refresh_from_db()
    assert world.a.activity.status == Activity.Status.DONE
    names = [p.name for p in stored_files(media_root)]
    assert len(names) == 2
    assert not any("hop" in n or "bien-ban" in n for n in names), "stored under a random name"


@pytest.mark.parametrize(
    "name,data",
    [
        ("anh.jpg", b"MZ\x90\x00" + b"\x00" * 300),
        ("trang.jpg", b"<html><body><script>alert(1)</script></body></html>"),
    ],
)
def test_wrong_type_is_refused_in_vietnamese_and_nothing_is_saved(
    world, login, media_root, name, data
):
    client = login(world.a.leader)
    bad = SimpleUploadedFile(name, data, content_type="image/jpeg")
    response = post_record(client, world.a.activity, files=[bad])
    body = response.content.decode()
    assert response.status_code == 200
    assert "không phải ảnh (JPEG, PNG, WebP) hay PDF" in body
    assert Record.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []
    world.a.activity.refresh_from_db()
    assert world.a.activity.status == Activity.Status.PLANNED


def test_oversize_file_is_refused_and_nothing_is_saved(world, login, media_root, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    client = login(world.a.leader)
    big = SimpleUploadedFile("to.pdf", PDF_BYTES + b"0" * 8192, content_type="application/pdf")
    response = post_record(client, world.a.activity, files=[big])
    assert "quá lớn" in response.content.decode()
    assert Record.objects.count() == 0
    assert stored_files(media_root) == []


def test_served_photo_has_no_metadata_and_safe_headers(world, login):
    record = services.record_activity(
        world.a.activity,
        world.a.leader,
        done_on=dt.date(2025, 10, 10),
        files=[SimpleUploadedFile("anh.jpg", jpeg_with_gps())],
    )
    attachment = record.attachments.get()
    response = login(world.a.clerk).get(reverse("tracking:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "anh.jpg" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(image.size) <= 2000
    assert dict(image.getexif()) == {}


def test_pdf_is_served_as_a_download(world, login):
    record = services.record_activity(
        world.a.activity,
        world.a.leader,
        done_on=dt.date(2025, 10, 10),
        files=[SimpleUploadedFile("bb.pdf", PDF_BYTES)],
    )
    response = login(world.a.leader).get(
        reverse("tracking:attachment", args=[record.attachments.get().pk])
    )
    assert response["Content-Disposition"].startswith("attachment")


def test_edit_keeps_the_old_text_and_who_changed_it(world, login):
    record = services.record_activity(
        world.a.activity, world.a.leader, done_on=dt.date(2025, 10, 10), notes="Bản đầu"
    )
    client = login(world.a.clerk)
    response = client.post(
        reverse("tracking:record-edit", args=[record.pk]),
        {"notes": "Bản đã sửa", "participants": "Toàn thể CBGVNV"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.notes == "Bản đã sửa"
    history = list(record.history.order_by("history_date"))
    assert [h.notes for h in history] == ["Bản đầu", "Bản đã sửa"]
    assert history[0].history_user == world.a.leader
    assert history[-1].history_user == world.a.clerk
    page = client.get(reverse("tracking:record-detail", args=[record.pk])).content.decode()
    assert "Lịch sử thay đổi" in page
    assert world.a.clerk.get_full_name() in page


def test_notes_longer_than_the_limit_are_refused_in_vietnamese(world, login):
    # 15 MB of notes were accepted (issue 13).
    from phoihop.tracking.record_forms import NOTES_MAX_CHARS

    client = login(world.a.leader)
    response = post_record(client, world.a.activity, notes="x" * (NOTES_MAX_CHARS + 1))
    assert response.status_code == 200
    assert "Nội dung dài quá: tối đa 20.000 ký tự" in response.content.decode()
    assert not Record.objects.filter(activity=world.a.activity).exists()
    assert post_record(client, world.a.activity, notes="x" * NOTES_MAX_CHARS).status_code == 302


def test_editing_notes_past_the_limit_is_refused(world, login):
    from phoihop.tracking.record_forms import NOTES_MAX_CHARS

    record = services.record_activity(
        world.a.activity, world.a.leader, done_on=dt.date(2025, 10, 10), notes="Bản đầu"
    )
    response = login(world.a.leader).post(
        reverse("tracking:record-edit", args=[record.pk]),
        {"notes": "y" * (NOTES_MAX_CHARS + 1), "participants": ""},
    )
    assert response.status_code == 200 and "dài quá" in response.content.decode()
    record.refresh_from_db()
    assert record.notes == "Bản đầu"


def test_partner_may_not_record_on_another_partys_activity(world, visits, login, published):
    # The police are named on the home-visit item, so they see its activities, which are not theirs.
    client = login(world.a.police_contact)
    response = post_record(client, visits.activity, notes="x")
    assert response.status_code == 403
    assert Record.objects.count() == 0


def test_meeting_minutes_export_as_a_docx_that_opens(world, login):
    client = login(world.a.leader)
    response = post_record(
        client,
        world.a.activity,
        is_meeting="on",
        participants="Hiệu trưởng; Chủ tịch Công đoàn; 45 CBGVNV",
        notes="Thông qua quy chế phối hợp năm học.",
        place="Phòng họp hội đồng",
        chair="Nguyễn Minh An",
        secretary="Trần Thị Bình",
        agenda="1. Báo cáo kết quả năm học trước\n2. Thông qua quy chế",
        absentees="02 đồng chí (có lý do)",
        conclusions="Hội nghị nhất trí 100%.",
    )
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.meeting.chair == "Nguyễn Minh An"
    response = client.get(reverse("tracking:record-minutes", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "BIÊN BẢN" in text
    assert "Thông qua quy chế phối hợp năm học." in text
    assert "Hội nghị nhất trí 100%." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Nguyễn Minh An" in cells


def test_a_record_that_is_not_a_meeting_has_no_minutes(world, login):
    record = services.record_activity(
        world.a.activity, world.a.leader, done_on=dt.date(2025, 10, 1)
    )
    response = login(world.a.leader).get(reverse("tracking:record-minutes", args=[record.pk]))
    assert response.status_code == 404


def test_another_units_user_gets_404_on_every_recording_view(world, login):
    record = services.record_activity(
        world.a.activity,
        world.a.leader,
        done_on=dt.date(2025, 10, 10),
        files=[SimpleUploadedFile("anh.jpg", jpeg_with_gps((50, 50)))],
        meeting=services.MeetingData(chair="A"),
    )
    attachment = record.attachments.get()
    urls = [
        reverse("tracking:record-create", args=[world.a.activity.pk]),
        reverse("tracking:record-detail", args=[record.pk]),
        reverse("tracking:record-edit", args=[record.pk]),
        reverse("tracking:record-minutes", args=[record.pk]),
        reverse("tracking:attachment", args=[attachment.pk]),
    ]
    for user in (world.b.leader, world.b.homeroom, world.b.police_contact):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert post_record(client, world.a.activity).status_code == 404
    assert Record.objects.count() == 1


def test_activity_page_hides_the_form_from_who_may_not_record(world, login, published):
    body = (
        login(world.a.police_contact)
        .get(reverse("schedule:activity-detail", args=[world.a.police_activity.pk]))
        .content.decode()
    )
    assert "Lưu kết quả" in body  # the police contact acts for the assignee party
    body = (
        login(world.a.homeroom)
        .get(reverse("schedule:activity-detail", args=[world.a.police_activity.pk]))
        .content.decode()
    )
    assert "Lưu kết quả" not in body


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("not_done", Activity.Status.MISSED), ("postponed", Activity.Status.PLANNED)],
)
def test_not_done_and_postponed_are_recorded_with_their_status(world, login, outcome, status):
    """Beside done and partly done (issue 18): 'Không thực hiện' marks the activity not done,
    'Hoãn' keeps it owed; a later 'done' still closes it."""
    page = login(world.a.leader).get(
        reverse("schedule:activity-detail", args=[world.a.activity.pk])
    )
    assert "Không thực hiện" in page.content.decode() and "Hoãn" in page.content.decode()
    response = post_record(
        login(world.a.leader), world.a.activity, outcome=outcome, notes="Mưa bão"
    )
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.outcome == outcome and record.get_outcome_display() in ("Không thực hiện", "Hoãn")
    world.a.activity.refresh_from_db()
    assert world.a.activity.status == status
    services.record_activity(world.a.activity, world.a.leader, done_on=dt.date(2025, 11, 3))
    world.a.activity.refresh_from_db()
    assert world.a.activity.status == Activity.Status.DONE


def test_an_unknown_outcome_is_refused(world):
    with pytest.raises(services.RecordingError, match="không hợp lệ"):
        services.record_activity(
            world.a.activity, world.a.leader, done_on=dt.date(2025, 10, 10), outcome="maybe"
        )
    assert not Record.objects.exists()
