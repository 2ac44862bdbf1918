"""Students from .xlsx: column guess, row-by-row report, all-or-nothing save, who may import;
transfers in and out."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from phoihop.bench import example_students
from phoihop.tracking import students_import as si
from phoihop.tracking.models import SchoolClass, Student

TODAY = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def pending_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def workbook(headers, rows, title_rows=0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for _n in range(title_rows):
        sheet.append(["TRƯỜNG THCS THỬ NGHIỆM"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, unit, data, name="hs.xlsx"):
    url = reverse("tracking:students-import", args=[unit.pk])
    return client.post(url, {"file": _file(data, name)})


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post_mapping(client, unit, mapping):
    url = reverse("tracking:students-import-mapping", args=[unit.pk])
    return client.post(url, {k: "" if v is None else str(v) for k, v in mapping.items()})


def bad_school_list():
    """2,000 students, of which row-level problems: a missing name, a duplicated ID, an impossible
    and a future birth date."""
    students = example_students(2000, prefix="T")
    students[10]["full_name"] = ""
    students[20]["code"] = students[21]["code"]
    students[30]["birth_date"] = "31/02/2013"
    students[40]["birth_date"] = "15/13/2012"
    students[50]["birth_date"] = dt.date(2030, 1, 1)
    return students


# -- plain functions -----------------------------------------------------------------------------


def test_columns_are_guessed_from_vietnamese_headers():
    headers = [
        "STT",
        "Mã học sinh",
        "Họ và tên",
        "Ngày sinh",
        "Lớp",
        "Học lực yếu",
        "Hay nghỉ",
        "Hoàn cảnh khó khăn",
        "Đồng ý dùng ảnh",
    ]
    mapping = si.guess_mapping(headers)
    assert mapping == {
        "code": 1,
        "full_name": 2,
        "birth_date": 3,
        "class_name": 4,
        "weak_results": 5,
        "frequent_absence": 6,
        "hardship": 7,
        "enrolled_on": None,
        "photo_consent": 8,
    }
    other = si.guess_mapping(["Họ tên", "MÃ HS", "Lớp", "Ngày tháng năm sinh"])
    assert (other["full_name"], other["code"], other["class_name"], other["birth_date"]) == (
        0,
        1,
        2,
        3,
    )


def test_header_row_is_found_under_the_title_block():
    data = workbook(["Mã HS", "Họ và tên", "Lớp"], [["HS1", "Lê An", "6A"]], title_rows=3)
    sheet = si.read_sheet(data)
    assert sheet.headers == ["Mã HS", "Họ và tên", "Lớp"]
    assert sheet.first_row_number == 5


def test_impossible_dates_are_refused_and_excel_dates_read():
    assert si.parse_date("05/09/2013") == dt.date(2013, 9, 5)
    assert si.parse_date(dt.datetime(2013, 9, 5)) == dt.date(2013, 9, 5)
    with pytest.raises(si.BadDate):
        si.parse_date("31/02/2013")
    with pytest.raises(si.BadDate):
        si.parse_date("ngày 5")


def test_not_an_xlsx_is_refused_with_a_reason():
    with pytest.raises(si.StudentImportError):
        si.read_sheet(b"%PDF-1.4 not a workbook")


def test_student_list_template_writes_names_as_text_not_formulas():
    import zipfile

    data = si.write_example([{"code": "-1", "full_name": "=1+2", "class_name": "@6A"}])
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in archive.namelist() if "worksheets/" in n]
    assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[-1][1:5] == ("-1", "=1+2", None, "@6A")


def test_workbook_past_the_one_zip_ratio_limit_is_refused():
    # The .docx importer and the student import share one guard: a part compressed 300-fold
    # (under the student import's old limit of 400) is refused like a .docx would be.
    import random
    import zipfile

    from phoihop.core.importing.safety import MAX_RATIO

    rng = random.Random(1)
    padding = b"".join(b" " * 1500 + bytes([rng.randrange(97, 123)]) for _n in range(4000))
    buf = io.BytesIO(workbook(["Mã HS", "Họ và tên", "Lớp"], [["HS1", "An", "6A"]]))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", padding)
    info = zipfile.ZipFile(buf).getinfo("xl/padding.xml")
    assert MAX_RATIO < info.file_size / info.compress_size < 400
    with pytest.raises(si.StudentImportError, match="bom zip"):
        si.read_sheet(buf.getvalue())


# -- the web steps -------------------------------------------------------------------------------


def test_two_thousand_students_with_bad_rows_reports_every_bad_row_and_imports_nothing(
    world, login
):
    client = login(world.a.leader)
    unit = world.a.unit
    before = Student.objects.count()
    data = si.write_example(bad_school_list())
    response = upload(client, unit, data)
    assert response.status_code == 302
    response = client.get(reverse("tracking:students-import-mapping", args=[unit.pk]))
    assert response.status_code == 200
    response = post_mapping(client, unit, response.context["entry"]["mapping"])
    assert response.status_code == 302

    report_url = reverse("tracking:students-import-report", args=[unit.pk])
    response = client.get(report_url)
    refused = {r.number: r.errors for r in response.context["refused"]}
    # Title row, blank row, header row: the first student is on spreadsheet row 4.
    assert set(refused) == {14, 24, 25, 34, 44, 54}
    assert "Thiếu họ và tên." in refused[14]
    assert any("trùng với dòng 25" in e for e in refused[24])
    assert any("không phải một ngày có thật" in e for e in refused[34])
    assert any("không thể đúng" in e for e in refused[54])
    assert response.context["valid_count"] == 1994
    body = response.content.decode()
    assert 'id="row-44"' in body

    response = client.post(report_url, {"create_classes": "1"})
    assert response.status_code == 400
    assert Student.objects.count() == before
    assert not SchoolClass.objects.filter(unit=unit, name="9A60").exists()
    assert "Không nhập học sinh nào" in response.content.decode()


def test_only_valid_rows_are_imported_when_the_user_says_so(world, login):
    client = login(world.a.leader)
    unit = world.a.unit
    upload(client, unit, si.write_example(bad_school_list()[:100]))
    response = client.post(
        reverse("tracking:students-import-report", args=[unit.pk]),
        {"create_classes": "1", "only_valid": "1"},
    )
    assert response.status_code == 302
    imported = Student.objects.filter(unit=unit).exclude(pk=world.a.student.pk)
    imported = imported.exclude(pk=world.a.other_student.pk)
    assert imported.count() == 94  # 6 refused: both rows of the duplicated code, 4 others
    assert not imported.filter(full_name="").exists()


def test_a_code_already_in_the_school_is_refused(world):
    data = workbook(
        ["Mã HS", "Họ và tên", "Lớp"],
        [[world.a.student.code, "Ai Đó", "6A"], ["NEW1", "Người Mới", "6A"]],
    )
    sheet = si.read_sheet(data)
    report = si.check(world.a.unit, sheet, si.guess_mapping(sheet.headers), today=TODAY)
    assert [r.number for r in report.refused] == [2]
    assert "đã có trong trường" in report.refused[0].errors[0]


def test_unknown_class_is_created_only_on_confirmation(world):
    unit = world.a.unit
    data = workbook(["Mã HS", "Họ và tên", "Lớp"], [["N1", "Lê Văn Tám", "8c"]])
    sheet = si.read_sheet(data)
    mapping = si.guess_mapping(sheet.headers)
    with pytest.raises(si.ImportRefused) as refused:
        si.import_students(
            unit, sheet, mapping, today=TODAY, create_classes=False, only_valid=False
        )
    assert "chưa có trong trường" in refused.value.report.refused[0].errors[0]
    result = si.import_students(
        unit, sheet, mapping, today=TODAY, create_classes=True, only_valid=False
    )
    assert result.classes_created == ["8c"]
    created = SchoolClass.objects.get(unit=unit, name="8c")
    assert created.grade == 8
    assert Student.objects.get(code="N1").school_class == created


def test_existing_class_matches_whatever_the_case_and_spaces(world):
    data = workbook(["Mã HS", "Họ và tên", "Lớp"], [["N2", "Võ Thị Sáu", "6 a"]])
    sheet = si.read_sheet(data)
    result = si.import_students(
        world.a.unit,
        sheet,
        si.guess_mapping(sheet.headers),
        today=TODAY,
        create_classes=False,
        only_valid=False,
    )
    assert result.classes_created == []
    assert Student.objects.get(code="N2").school_class == world.a.school_class


def test_save_is_all_or_nothing_when_the_database_fails(world, monkeypatch):
    data = workbook(["Mã HS", "Họ và tên", "Lớp"], [["N3", "Lê Lợi", "9Z"]])
    sheet = si.read_sheet(data)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Student.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        si.import_students(
            world.a.unit,
            sheet,
            si.guess_mapping(sheet.headers),
            today=TODAY,
            create_classes=True,
            only_valid=False,
        )
    assert not SchoolClass.objects.filter(name="9Z").exists()


def test_the_user_can_change_the_mapping(world, login):
    client = login(world.a.leader)
    unit = world.a.unit
    data = workbook(
        ["Số hiệu", "Tên đầy đủ", "Lớp", "Ghi chú"],
        [["X1", "Đinh Bộ Lĩnh", "6A", ""], ["X2", "Lý Công Uẩn", "7A", "x"]],
    )
    upload(client, unit, data)
    response = client.get(reverse("tracking:students-import-mapping", args=[unit.pk]))
    guessed = response.context["entry"]["mapping"]
    assert guessed["code"] is None and guessed["full_name"] is None
    # Leaving a required field unmapped is refused with the reason.
    response = post_mapping(client, unit, {**guessed, "code": 0})
    assert response.status_code == 400
    response = post_mapping(
        client, unit, {**guessed, "code": 0, "full_name": 1, "class_name": 2, "hardship": 3}
    )
    assert response.status_code == 302
    response = client.post(reverse("tracking:students-import-report", args=[unit.pk]))
    assert response.status_code == 302
    assert Student.objects.get(code="X1").full_name == "Đinh Bộ Lĩnh"
    assert Student.objects.get(code="X2").hardship is True


@pytest.mark.parametrize("who", ["homeroom", "clerk", "police_contact"])
def test_only_the_schools_leaders_may_import(world, login, who):
    client = login(getattr(world.a, who))
    for name in ("students-import", "students-import-mapping", "students-import-report"):
        response = client.get(reverse(f"tracking:{name}", args=[world.a.unit.pk]))
        assert response.status_code == 403, name


def test_another_units_leader_gets_404(world, login):
    client = login(world.b.leader)
    for name in (
        "students-import",
        "students-import-mapping",
        "students-import-report",
        "students-import-template",
    ):
        response = client.get(reverse(f"tracking:{name}", args=[world.a.unit.pk]))
        assert response.status_code == 404, name
    response = client.get(reverse("tracking:student-transfer", args=[world.a.student.pk]))
    assert response.status_code == 404


# -- transfers -----------------------------------------------------------------------------------


def test_leader_records_a_transfer_out_and_back_in(world, login):
    client = login(world.a.leader)
    student = world.a.student
    url = reverse("tracking:student-transfer", args=[student.pk])
    response = client.post(
        url, {"direction": "out", "out-left_on": "2025-11-03", "out-reason": "Chuyển trường"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.left_on == dt.date(2025, 11, 3)
    page = client.get(url).content.decode()
    assert "Chuyển trường" in page
    client.post(url, {"direction": "in", "in-enrolled_on": "2026-01-05", "in-reason": ""})
    student.refresh_from_db()
    assert (student.enrolled_on, student.left_on) == (dt.date(2026, 1, 5), None)
    detail = client.get(reverse("tracking:student-detail", args=[student.pk])).content.decode()
    assert url in detail


def test_homeroom_teacher_sees_dates_but_cannot_record_transfers(world, login):
    client = login(world.a.homeroom)
    student = world.a.student
    detail = client.get(reverse("tracking:student-detail", args=[student.pk]))
    assert detail.status_code == 200
    assert reverse("tracking:student-transfer", args=[student.pk]) not in detail.content.decode()
    response = client.post(
        reverse("tracking:student-transfer", args=[student.pk]),
        {"direction": "out", "out-left_on": "2025-11-03", "out-reason": "x"},
    )
    assert response.status_code == 403
    other = client.get(reverse("tracking:student-transfer", args=[world.a.other_student.pk]))
    assert other.status_code == 404
