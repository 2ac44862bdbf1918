"""Students' history (Decree 13/2023/NĐ-CP: processing of personal data is recorded): an import
and a transfer leave history rows naming the user who acted."""

import pytest
from django.urls import reverse

from phoihop.tracking import students_import as si
from phoihop.tracking.models import Student
from tests.tracking.test_students_import import TODAY, upload, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pending_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_imported_students_have_a_creation_row_naming_the_importer(world, login):
    client = login(world.a.leader)
    data = workbook(
        ["Mã HS", "Họ và tên", "Lớp"], [["H1", "Ngô Quyền", "6A"], ["H2", "Lê Hoàn", "7A"]]
    )
    upload(client, world.a.unit, data)
    response = client.post(reverse("tracking:students-import-report", args=[world.a.unit.pk]))
    assert response.status_code == 302
    for code in ("H1", "H2"):
        rows = list(Student.objects.get(code=code).history.all())
        assert [(r.history_type, r.history_user) for r in rows] == [("+", world.a.leader)]


def test_the_import_service_records_the_user_it_is_given(world):
    sheet = si.read_sheet(workbook(["Mã HS", "Họ và tên", "Lớp"], [["H3", "Đinh Tiên", "6A"]]))
    si.import_students(
        world.a.unit,
        sheet,
        si.guess_mapping(sheet.headers),
        today=TODAY,
        create_classes=False,
        only_valid=False,
        user=world.a.leader,
    )
    row = Student.objects.get(code="H3").history.get()
    assert (row.history_user, row.full_name) == (world.a.leader, "Đinh Tiên")


def test_transfers_leave_history_rows_with_the_leader_and_the_dates(world, login):
    client = login(world.a.leader)
    student = world.a.student
    url = reverse("tracking:student-transfer", args=[student.pk])
    client.post(url, {"direction": "out", "out-left_on": "2025-11-03", "out-reason": "Chuyển"})
    client.post(url, {"direction": "in", "in-enrolled_on": "2026-01-05", "in-reason": ""})
    changes = list(student.history.filter(history_type="~").order_by("history_date", "pk"))
    assert [(str(c.left_on), c.history_user) for c in changes] == [
        ("2025-11-03", world.a.leader),
        ("None", world.a.leader),
    ]
    assert str(changes[-1].enrolled_on) == "2026-01-05"


def test_a_transfer_outside_a_request_still_names_its_user(world):
    import datetime as dt

    from phoihop.tracking import transfers

    transfers.transfer_out(
        world.a.student, left_on=dt.date(2025, 12, 1), reason="Thôi học", user=world.a.leader
    )
    row = world.a.student.history.latest()
    assert (row.history_type, row.history_user, row.left_on) == (
        "~",
        world.a.leader,
        dt.date(2025, 12, 1),
    )
