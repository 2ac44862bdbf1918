"""Students from an .xlsx list: read, map the columns, validate row by row, save all or nothing.

Schools keep their student lists in spreadsheets exported from the Ministry's or a vendor's
system, with a title block above the header row and headers worded a little differently each
time. The reading, the column guess and the validation are plain functions over plain data so
that the web steps (upload → mapping → report → save), the benchmark and the tests share them;
``import_students`` is the one service that writes, in one transaction.

An uploaded workbook is hostile until proven otherwise: its size and the zip members' declared
sizes and ratios are checked before openpyxl inflates anything.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

MAX_ROWS = 20000
MAX_COLUMNS = 60
# Expanded sizes; the compression ratio limit is the .docx importer's (one zip guard).
MAX_SHEET_PART = 64 * 1024 * 1024
MAX_INFLATED = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 15


class StudentImportError(Exception):
    """The file cannot be read as a student list; the message says why, in Vietnamese."""


class ImportRefused(Exception):
    """Some rows were refused and the user did not choose to import only the valid ones."""

    def __init__(self, report: Report) -> None:
        super().__init__(_("Có dòng bị từ chối: không nhập dòng nào."))
        self.report = report


# -- fields and the column guess -----------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    # Folded header words (no diacritics, lower case) that name this column.
    synonyms: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), single spaces: how headers are compared."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", text).strip().lower()


def fields() -> list[Field]:
    """The student fields a column can be mapped to (labels translated at call time)."""
    return [
        Field("code", _("Mã học sinh"), True, ("ma hs", "ma hoc sinh", "ma so hs", "ma dinh danh")),
        Field("full_name", _("Họ và tên"), True, ("ho va ten", "ho ten", "ten hoc sinh")),
        Field("birth_date", _("Ngày sinh"), False, ("ngay sinh", "ngay thang nam sinh")),
        Field("class_name", _("Lớp"), True, ("lop", "ten lop", "lop hoc")),
        Field("weak_results", _("Học lực yếu"), False, ("hoc luc yeu", "hoc yeu", "yeu")),
        Field(
            "frequent_absence",
            _("Hay nghỉ học"),
            False,
            ("hay nghi", "hay nghi hoc", "nghi hoc nhieu", "vang nhieu"),
        ),
        Field(
            "hardship",
            _("Hoàn cảnh khó khăn"),
            False,
            ("hoan canh kho khan", "hckk", "kho khan", "ho ngheo"),
        ),
        Field("enrolled_on", _("Ngày nhập học"), False, ("ngay nhap hoc", "ngay vao truong")),
        Field(
            "photo_consent",
            _("Gia đình đồng ý dùng ảnh"),
            False,
            ("dong y dung anh", "dong y chup anh", "dong y su dung anh", "dong y anh"),
        ),
    ]


FIELD_KEYS = ("code", "full_name", "birth_date", "class_name") + (
    "weak_results",
    "frequent_absence",
    "hardship",
    "enrolled_on",
    "photo_consent",
)
FLAG_KEYS = ("weak_results", "frequent_absence", "hardship")

Mapping = dict[str, int | None]


def _header_score(header: str, field_: Field) -> int:
    """3 for an exact synonym, 2 for a header that starts with one, 0 otherwise."""
    folded = fold(header).strip(" :*.")
    if not folded:
        return 0
    best = 0
    for synonym in field_.synonyms:
        if folded == synonym:
            return 3
        if folded.startswith(synonym + " ") or folded.startswith(synonym + "("):
            best = max(best, 2)
    return best


def guess_mapping(headers: list[str], known: list[Field] | None = None) -> Mapping:
    """Which column holds which field (of ``known``, the student fields by default), from the
    header words; each column used at most once."""
    known = fields() if known is None else known
    candidates = []
    for key_index, field_ in enumerate(known):
        for column, header in enumerate(headers):
            score = _header_score(header, field_)
            if score:
                candidates.append((-score, key_index, column, field_.key))
    mapping: Mapping = {f.key: None for f in known}
    used: set[int] = set()
    for _score, _index, column, key in sorted(candidates):
        if mapping[key] is None and column not in used:
            mapping[key] = column
            used.add(column)
    return mapping


# -- reading the workbook ------------------------------------------------------------------------


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple]  # data rows, cells as openpyxl gives them
    first_row_number: int  # the spreadsheet's row number of rows[0]

    def samples(self, column: int, count: int = 3) -> list[str]:
        values = []
        for row in self.rows:
            if column < len(row) and cell_text(row[column]):
                values.append(cell_text(row[column]))
                if len(values) == count:
                    break
        return values


def _check_archive(data: bytes) -> None:
    """The project's one zip guard (``core.importing.safety.check_zip``), with a worksheet's limits:
    openpyxl streams the sheet in read-only mode, so a part may be larger than a .docx's."""
    from phoihop.core.importing.errors import ImportFailure
    from phoihop.core.importing.safety import check_zip

    try:
        check_zip(
            data,
            what=_("Bảng tính Excel (.xlsx)"),
            max_part=MAX_SHEET_PART,
            max_total=MAX_INFLATED,
        ).close()
    except ImportFailure as exc:
        raise StudentImportError(str(exc)) from exc


def uploaded_workbook(upload) -> bytes:
    """The bytes of an uploaded .xlsx (the student list, the staff list), or a Vietnamese
    ``StudentImportError`` for a missing file, another format or one above the upload limit."""
    if upload is None:
        raise StudentImportError(_("Hãy chọn một tệp .xlsx để nhập."))
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise StudentImportError(
            _("Chỉ nhận tệp Excel .xlsx. Hãy mở tệp bằng Excel và lưu lại dạng .xlsx.")
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise StudentImportError(
            _("Tệp quá lớn; giới hạn là %(mb)s MB.")
            % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    return upload.read(settings.UPLOAD_MAX_BYTES + 1)


def read_sheet(data: bytes, known: list[Field] | None = None) -> Sheet:
    """The first worksheet's header row and data rows.

    The header row is the first of the top rows that names at least two columns of ``known``
    (the student fields by default; exports put the school's name and a title above it);
    failing that, the first non-empty row.
    """
    import openpyxl

    if not data:
        raise StudentImportError(_("Tệp rỗng."))
    _check_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a broken workbook
        raise StudentImportError(
            _("Không đọc được bảng tính: %(error)s. Hãy lưu lại dạng .xlsx rồi nhập.")
            % {"error": exc}
        ) from exc
    try:
        worksheet = workbook.worksheets[0]
        rows = []
        for row in worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise StudentImportError(
                    _("Bảng tính quá dài: tối đa %(max)s dòng mỗi lần nhập.") % {"max": MAX_ROWS}
                )
    finally:
        workbook.close()

    header_index = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [cell_text(c) for c in row]
        if sum(1 for v in guess_mapping(headers, known).values() if v is not None) >= 2:
            header_index = index
            break
    if header_index is None:
        header_index = next((i for i, r in enumerate(rows) if any(cell_text(c) for c in r)), None)
    if header_index is None:
        raise StudentImportError(_("Bảng tính không có dữ liệu."))
    headers = [cell_text(c) for c in rows[header_index]]
    while headers and not headers[-1]:
        headers.pop()
    body = rows[header_index + 1 :]
    return Sheet(headers=headers, rows=body, first_row_number=header_index + 2)


# -- cell values ---------------------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"\s+", " ", text).strip()


_DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$"), ("y", "m", "d")),
]


class BadDate(ValueError):
    pass


def parse_date(value) -> dt.date | None:
    """A date from a cell: an Excel date, or text d/m/yyyy (Vietnamese order) or yyyy-mm-dd.

    Raises BadDate for text that is not a real calendar date (31/02/2012, 15/13/2012).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError as exc:
                raise BadDate(text) from exc
    raise BadDate(text)


_TRUE_WORDS = {"x", "v", "1", "co", "c", "yes", "y", "true", "dung", "✓", "✔", "*"}


def parse_flag(value) -> bool:
    """A tick in a flag column: "x", "có", "1", "✓" … count; empty, "0", "không" do not."""
    if value is True:
        return True
    return fold(cell_text(value)) in _TRUE_WORDS


def class_key(name: str) -> str:
    """Class names compared without case or spaces: "6a", "6 A" and "6A" are one class."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", name)).upper()


def grade_of(name: str) -> int | None:
    match = re.match(r"\s*(\d{1,2})", name)
    return int(match.group(1)) if match else None


# -- validation ----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # the spreadsheet's row number, as the user sees it in Excel
    code: str = ""
    full_name: str = ""
    birth_date: dt.date | None = None
    class_name: str = ""
    weak_results: bool = False
    frequent_absence: bool = False
    hardship: bool = False
    enrolled_on: dt.date | None = None
    photo_consent: bool = False
    errors: list[str] = field(default_factory=list)
    new_class: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    rows: list[Row]
    new_classes: list[str]  # class names not yet in the school, in file order

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def refused(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]


def validate(
    sheet: Sheet,
    mapping: Mapping,
    *,
    existing_codes: dict[str, str],
    known_classes: set[str],
    today: dt.date,
    create_classes: bool = True,
) -> Report:
    """Every data row checked: what would be imported and what is refused, with the reason.

    ``existing_codes`` maps the codes already in the school to the student's name;
    ``known_classes`` holds ``class_key`` of the school's classes. Rows of an unknown class are
    valid only when the user agrees to create the class (``create_classes``).
    """
    missing = [f.label for f in fields() if f.required and mapping.get(f.key) is None]
    if missing:
        raise StudentImportError(
            _("Chưa chọn cột cho: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    oldest = dt.date(today.year - 100, 1, 1)

    def cell(raw: tuple, key: str):
        column = mapping.get(key)
        if column is None or column >= len(raw):
            return None
        return raw[column]

    rows: list[Row] = []
    for offset, raw in enumerate(sheet.rows):
        if not any(cell_text(c) for c in raw):
            continue  # blank lines between blocks are not rows
        row = Row(number=sheet.first_row_number + offset)
        row.code = cell_text(cell(raw, "code"))
        row.full_name = cell_text(cell(raw, "full_name"))
        row.class_name = cell_text(cell(raw, "class_name"))
        for key in FLAG_KEYS:
            setattr(row, key, parse_flag(cell(raw, key)))
        row.photo_consent = parse_flag(cell(raw, "photo_consent"))
        if not row.full_name:
            row.errors.append(_("Thiếu họ và tên."))
        elif len(row.full_name) > 120:
            row.errors.append(_("Họ và tên dài quá 120 ký tự."))
        if not row.code:
            row.errors.append(_("Thiếu mã học sinh."))
        elif len(row.code) > 32:
            row.errors.append(_("Mã học sinh dài quá 32 ký tự."))
        elif row.code in existing_codes:
            row.errors.append(
                _("Mã học sinh %(code)s đã có trong trường (%(name)s).")
                % {"code": row.code, "name": existing_codes[row.code]}
            )
        try:
            row.birth_date = parse_date(cell(raw, "birth_date"))
        except BadDate as exc:
            row.errors.append(
                _("Ngày sinh “%(value)s” không phải một ngày có thật.") % {"value": exc}
            )
        else:
            if row.birth_date and not oldest <= row.birth_date <= today:
                row.errors.append(
                    _("Ngày sinh %(date)s không thể đúng.")
                    % {"date": row.birth_date.strftime("%d/%m/%Y")}
                )
        try:
            row.enrolled_on = parse_date(cell(raw, "enrolled_on"))
        except BadDate as exc:
            row.errors.append(
                _("Ngày nhập học “%(value)s” không phải một ngày có thật.") % {"value": exc}
            )
        if not row.class_name:
            row.errors.append(_("Thiếu lớp."))
        elif len(row.class_name) > 32:
            row.errors.append(_("Tên lớp dài quá 32 ký tự."))
        rows.append(row)

    # Duplicates inside the file: every row sharing a code is refused, since which one is right
    # is for the school to decide, not for the importer.
    by_code: dict[str, list[Row]] = {}
    for row in rows:
        if row.code and row.code not in existing_codes:
            by_code.setdefault(row.code, []).append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(o.number) for o in same if o is not row)
                row.errors.append(
                    _("Mã học sinh %(code)s trùng với dòng %(rows)s trong tệp.")
                    % {"code": code, "rows": others}
                )

    new_classes: dict[str, str] = {}
    for row in rows:
        if row.class_name and class_key(row.class_name) not in known_classes:
            row.new_class = True
            new_classes.setdefault(class_key(row.class_name), row.class_name)
            if not create_classes:
                row.errors.append(
                    _("Lớp %(name)s chưa có trong trường.") % {"name": row.class_name}
                )
    return Report(rows=rows, new_classes=list(new_classes.values()))


# -- saving --------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    imported: int
    refused: int
    classes_created: list[str]


def school_state(unit) -> tuple[dict[str, str], dict[str, object]]:
    """The school's student codes (→ name) and its classes by ``class_key``, current year first."""
    from phoihop.tracking.models import SchoolClass, Student

    codes = dict(Student.objects.filter(unit=unit).values_list("code", "full_name"))
    classes: dict[str, object] = {}
    ordered = SchoolClass.objects.filter(unit=unit).order_by("-school_year__starts_on", "-pk")
    for school_class in ordered:
        classes.setdefault(class_key(school_class.name), school_class)
    return codes, classes


def current_school_year(unit, today: dt.date):
    """The unit's school year holding ``today`` (its own frame first, else the national one)."""
    from django.db.models import F, Q

    from phoihop.schedule.models import SchoolYear

    return (
        SchoolYear.objects.filter(Q(unit=unit) | Q(unit__isnull=True))
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by(F("unit").asc(nulls_last=True))
        .first()
    )


def check(unit, sheet: Sheet, mapping: Mapping, *, today: dt.date, create_classes=True) -> Report:
    """Validate a sheet against the school as it is now (two queries)."""
    codes, classes = school_state(unit)
    return validate(
        sheet,
        mapping,
        existing_codes=codes,
        known_classes=set(classes),
        today=today,
        create_classes=create_classes,
    )


def import_students(
    unit,
    sheet: Sheet,
    mapping: Mapping,
    *,
    today: dt.date,
    create_classes: bool,
    only_valid: bool,
    user=None,
) -> ImportResult:
    """Save a checked student list in one transaction: every row, or none.

    The rows are validated again inside the transaction, against the school as it is at that
    moment, so a list checked a minute ago cannot slip a duplicate in. When a row is refused,
    nothing is saved unless the user explicitly chose to import only the valid rows. Every
    student created gets its first history row, with ``user`` as the one who imported it. A tick
    in the optional consent column records the family's consent to photos, as told to the school
    when the list was made (the parent's name is then left for the student page).
    """
    from simple_history.utils import bulk_create_with_history

    from phoihop.tracking.models import PhotoConsent, SchoolClass, Student

    with transaction.atomic():
        codes, classes = school_state(unit)
        report = validate(
            sheet,
            mapping,
            existing_codes=codes,
            known_classes=set(classes),
            today=today,
            create_classes=create_classes,
        )
        if report.refused and not only_valid:
            raise ImportRefused(report)
        valid = report.valid
        wanted = {class_key(r.class_name): r.class_name for r in valid if r.new_class}
        created = []
        if wanted:
            year = current_school_year(unit, today)
            for key, name in wanted.items():
                classes[key] = SchoolClass.objects.create(
                    unit=unit, school_year=year, name=name, grade=grade_of(name)
                )
                created.append(name)
        saved = bulk_create_with_history(
            [
                Student(
                    unit=unit,
                    school_class=classes[class_key(r.class_name)],
                    code=r.code,
                    full_name=r.full_name,
                    birth_date=r.birth_date,
                    weak_results=r.weak_results,
                    frequent_absence=r.frequent_absence,
                    hardship=r.hardship,
                    enrolled_on=r.enrolled_on,
                )
                for r in valid
            ],
            Student,
            batch_size=500,
            default_user=user,
        )
        consenting = {r.code for r in valid if r.photo_consent}
        if consenting:
            consents = [
                PhotoConsent(student=s, given=True, given_on=today, recorded_by=user)
                for s in saved
                if s.code in consenting
            ]
            bulk_create_with_history(consents, PhotoConsent, default_user=user)
    return ImportResult(imported=len(valid), refused=len(report.refused), classes_created=created)


def write_example(students: list[dict], *, title_rows: int = 2) -> bytes:
    """An .xlsx laid out like the schools' exports (title block, Vietnamese headers); for the
    benchmark, the tests and the "download a template" link."""
    import openpyxl

    from phoihop.xlsx import append_row

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách học sinh")
    if title_rows:
        append_row(sheet, ["DANH SÁCH HỌC SINH"])
        for _n in range(title_rows - 1):
            sheet.append([])
    append_row(
        sheet,
        [
            "STT",
            "Mã HS",
            "Họ và tên",
            "Ngày sinh",
            "Lớp",
            "Học lực yếu",
            "Hay nghỉ",
            "Hoàn cảnh khó khăn",
            "Đồng ý dùng ảnh",
        ],
    )
    for number, s in enumerate(students, start=1):
        append_row(
            sheet,
            [
                number,
                s.get("code"),
                s.get("full_name"),
                s.get("birth_date"),
                s.get("class_name"),
                "x" if s.get("weak_results") else None,
                "x" if s.get("frequent_absence") else None,
                "x" if s.get("hardship") else None,
                "x" if s.get("photo_consent") else None,
            ],
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
