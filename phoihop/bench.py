"""``phoihop bench``: the project's own benchmark.

Each suite returns metric dicts ``{"name", "value", "unit", "data"}``; the command prints them as a
table and writes ``var/bench/results.json``. Timings are medians over repeated runs on this machine;
``data`` says what was measured. Accuracy figures of the importer are measured here too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from phoihop.core.i18n import _

Metric = dict
SEEDS_DIR = Path(
    os.environ.get("PHOIHOP_SEEDS_DIR") or Path(__file__).resolve().parents[2] / "shared" / "seeds"
)


def median_ms(function: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    for _n in range(warmup):
        function()
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


# -- suites -------------------------------------------------------------------------------------


HOLDOUT_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "holdout"
TABLES_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "tables"
CORPUS_VERSION = "1"
"""Part of every cache key of var/bench/corpus/: bump it when a generator's output changes."""
SCAN_DPI = 200


class CorpusCache:
    """Generated PDFs and scans under var/bench/corpus/, keyed by a hash of the source text, the
    generator and its parameters: LibreOffice takes seconds per document and a scan tens of
    seconds, the importer's figures only milliseconds."""

    def __init__(self, folder: Path | None = None) -> None:
        from phoihop import config

        self.folder = folder or config.var_dir() / "bench" / "corpus"

    def get(self, kind: str, source: str | bytes, params: str, make: Callable[[], bytes]) -> bytes:
        import hashlib

        raw = source.encode("utf-8") if isinstance(source, str) else source
        key = hashlib.sha256(f"{CORPUS_VERSION}|{kind}|{params}|".encode() + raw).hexdigest()
        path = self.folder / f"{kind}-{key[:24]}.pdf"
        if path.exists():
            return path.read_bytes()
        data = make()
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return data

    def pdf(self, text: str) -> bytes:
        from phoihop.core.importing.fixtures import text_to_pdf

        return self.get("pdf", text, "libreoffice", lambda: text_to_pdf(text))

    def docx_pdf(self, docx: bytes) -> bytes:
        from phoihop.core.importing.fixtures import docx_to_pdf, school_page_setup

        return self.get(
            "docxpdf", docx, "libreoffice", lambda: docx_to_pdf(school_page_setup(docx))
        )

    def scan(self, pdf: bytes, seed: int, max_pages: int | None = None) -> bytes:
        from phoihop.core.importing.fixtures import pdf_to_scan

        params = f"dpi={SCAN_DPI};seed={seed};pages={max_pages}"
        return self.get(
            "scan", pdf, params, lambda: pdf_to_scan(pdf, SCAN_DPI, seed=seed, max_pages=max_pages)
        )


def corpus_forms(cache: CorpusCache, verbose: bool = True) -> dict[str, Callable | None]:
    """The input forms of the realistic corpus, each a scorer transform ``(text, stem) -> (bytes,
    filename)`` (``None``: the source file as it is). Forms whose system programs are missing
    are left out with one printed line, never failed."""
    from phoihop.core.importing.fixtures import (
        stable_seed,
        text_to_docx,
        to_nfd,
        to_tcvn3,
        to_vni,
        transform_damaged,
    )

    forms: dict[str, Callable | None] = {
        "txt": None,
        "docx": lambda text, stem: (text_to_docx(text), f"{stem}.docx"),
        "tcvn3": lambda text, stem: (to_tcvn3(text), f"{stem}.txt"),
        "vni": lambda text, stem: (to_vni(text), f"{stem}.txt"),
        "nfd": lambda text, stem: (to_nfd(text), f"{stem}.txt"),
        "damaged": transform_damaged,
    }
    missing = _missing_tools()
    if "soffice" in missing:
        _skip_line(verbose, "pdf, scan", "LibreOffice (soffice)")
        return forms
    forms["pdf"] = lambda text, stem: (cache.pdf(text), f"{stem}.pdf")
    if missing & {"pdftoppm", "tesseract"}:
        _skip_line(verbose, "scan", ", ".join(sorted(missing & {"pdftoppm", "tesseract"})))
    else:
        forms["scan"] = lambda text, stem: (
            cache.scan(cache.pdf(text), stable_seed(stem)),
            f"{stem}.pdf",
        )
    return forms


def _missing_tools() -> set[str]:
    import shutil

    missing = set()
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        missing.add("soffice")
    for tool in ("pdftoppm", "tesseract"):
        if not shutil.which(tool):
            missing.add(tool)
    return missing


def _skip_line(verbose: bool, forms: str, tool: str) -> None:
    if verbose:
        print(
            _("Bỏ qua dạng %(forms)s: máy này chưa cài %(tool)s.") % {"forms": forms, "tool": tool}
        )


def bench_import(gold_dir: Path = SEEDS_DIR, verbose: bool = True) -> list[Metric]:
    """Importer accuracy per input form on annotated plans, and import speed.

    The forms: the source text, the .docx, TCVN3, VNI and NFD versions, the text with font
    damage, the text PDF LibreOffice prints and the scan of that PDF — over ``gold_dir`` and,
    when it is another folder, over the team's held-out plans too; then the table-form plans of
    tests/data/tables as .docx, .html and PDF. Figures are ``import.<form>.<field>.f1`` (and
    ``import.seeds.*`` for the txt form, as before), ``import.holdout.<form>.*`` and
    ``import.tables.<form>.*``.
    """
    from phoihop.core.importing.scoring import (
        find_pairs,
        format_forms,
        format_report,
        report_metrics,
        score_files,
        score_folder,
    )

    pairs = find_pairs(gold_dir)
    if not pairs:
        raise SystemExit(
            _("Không có cặp *.txt + *.gold.json nào trong %(dir)s.") % {"dir": gold_dir}
        )
    metrics: list[Metric] = []
    cache = CorpusCache()
    forms = corpus_forms(cache, verbose)
    summaries: dict[str, dict] = {}

    corpora = [(gold_dir, "import")]
    if HOLDOUT_DIR.is_dir() and HOLDOUT_DIR.resolve() != Path(gold_dir).resolve():
        corpora.append((HOLDOUT_DIR, "import.holdout"))
    for folder, prefix in corpora:
        reports = {}
        for form, transform in forms.items():
            started = time.perf_counter()
            report = score_folder(folder, transform, variant=form)
            reports[form] = report
            if verbose:
                print(format_report(report))
                print(f"({time.perf_counter() - started:.1f} s)", end="\n\n")
            metrics += report_metrics(report, prefix=f"{prefix}.{form}")
            if prefix == "import" and form == "txt":
                metrics += report_metrics(report, prefix="import.seeds")
        summaries[f"{Path(folder).name}/"] = reports

    if TABLES_DIR.is_dir():
        reports = {}
        for extension in ("docx", "html"):
            reports[f"tables.{extension}"] = score_files(
                TABLES_DIR, extension, f"tables.{extension}"
            )
        if "pdf" in forms:
            reports["tables.pdf"] = _score_table_pdfs(cache)
        for form, report in reports.items():
            if verbose:
                print(format_report(report), end="\n\n")
            metrics += report_metrics(report, prefix=f"import.{form}")
        summaries[f"{TABLES_DIR.name}/"] = reports

    if verbose:
        for folder, reports in summaries.items():
            print(_("Độ chính xác theo dạng tệp đầu vào — %(folder)s") % {"folder": folder})
            print(format_forms(reports), end="\n\n")

    metrics += _import_speed(pairs, gold_dir, cache, "pdf" in forms, "scan" in forms, verbose)
    return metrics


def _score_table_pdfs(cache: CorpusCache):
    """The table plans' Word files printed to PDF: the table flattened into lines, as PDF
    extraction gives it."""
    from phoihop.core.importing.scoring import score_inputs

    inputs = []
    for gold_path in sorted(TABLES_DIR.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        docx = TABLES_DIR / f"{stem}.docx"
        if docx.exists():
            inputs.append(
                (
                    gold_path,
                    stem,
                    lambda d=docx, s=stem: (cache.docx_pdf(d.read_bytes()), f"{s}.pdf"),
                )
            )
    return score_inputs(inputs, "tables.pdf")


def _import_speed(
    pairs, gold_dir: Path, cache: CorpusCache, with_pdf: bool, with_scan: bool, verbose: bool
) -> list[Metric]:
    from phoihop.core.importing import ImportFailure, import_bytes
    from phoihop.core.importing.fixtures import stable_seed, text_to_docx
    from phoihop.core.importing.scoring import read_source_text

    metrics: list[Metric] = []
    sources = [(source.read_bytes(), source.name) for _gold, source in pairs]
    docx_sources = [
        (text_to_docx(read_source_text(source)), f"{source.stem}.docx") for _gold, source in pairs
    ]
    txt_times = [median_ms(lambda d=d, n=n: import_bytes(d, n)) for d, n in sources]
    docx_times = [median_ms(lambda d=d, n=n: import_bytes(d, n)) for d, n in docx_sources]
    described = f"{len(pairs)} documents of {gold_dir.name}/, median of 15 runs each; {machine()}"
    metrics.append(
        {
            "name": "import.txt.median_ms",
            "value": round(statistics.median(txt_times), 2),
            "unit": "ms",
            "data": described,
        }
    )
    metrics.append(
        {
            "name": "import.docx.median_ms",
            "value": round(statistics.median(docx_times), 2),
            "unit": "ms",
            "data": described + "; .docx written with real Word numbering",
        }
    )
    if not with_pdf:
        return metrics
    _gold, longest = max(pairs, key=lambda pair: len(read_source_text(pair[1])))
    pdf = cache.pdf(read_source_text(longest))
    # the bar is for a 5-page PDF: the annotated document whose PDF is nearest that size
    sized = []
    for _gold_path, source in pairs:
        text = read_source_text(source)
        document = cache.pdf(text)
        sized.append((abs(_page_count(document) - 5), -len(text), source.stem, document))
    _gap, _length, stem, five = min(sized)
    pages = _page_count(five)
    speeds = [("pdf", five, f"{stem}.pdf", 5, f"text PDF of {stem} ({pages} pages)")]
    if with_scan:
        scan = cache.scan(pdf, stable_seed(longest.stem), max_pages=3)
        what = f"3-page scan ({SCAN_DPI} dpi, skewed, noisy) of {longest.stem}"
        speeds.append(("scan", scan, f"{longest.stem}-scan.pdf", 3, what))
    for form, data, name, repeat, what in speeds:
        try:
            import_bytes(data, name)
        except ImportFailure as exc:
            if verbose:
                print(_("Chưa đo tốc độ nhập %(form)s: %(error)s") % {"form": form, "error": exc})
            continue
        value = median_ms(lambda d=data, n=name: import_bytes(d, n), repeat=repeat, warmup=0)
        metrics.append(
            {
                "name": f"import.{form}.median_ms",
                "value": round(value, 2),
                "unit": "ms",
                "data": f"{what}, median of {repeat} runs; {machine()}",
            }
        )
    return metrics


def _page_count(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def bench_render(gold_dir: Path = SEEDS_DIR, verbose: bool = True) -> list[Metric]:
    """Decree 30 rendering of the largest annotated plan to DOCX (and PDF when WeasyPrint is here)."""
    from phoihop.core.importing.scoring import find_pairs
    from phoihop.core.render import RenderError
    from phoihop.core.render.docx import render_docx
    from phoihop.core.render.pdf import render_pdf

    golds = [json.loads(g.read_text(encoding="utf-8")) for g, _s in find_pairs(gold_dir)]
    plan = max(golds, key=lambda g: len(g.get("commitments") or []))
    size = f"{len(plan.get('commitments') or [])} items, {len(plan.get('sections') or [])} sections"
    metrics = [
        {
            "name": "render.docx.median_ms",
            "value": round(median_ms(lambda: render_docx(plan)), 2),
            "unit": "ms",
            "data": f"largest seed plan ({size}); {machine()}",
        }
    ]
    try:
        render_pdf(plan)
    except RenderError as exc:
        if verbose:
            print(_("Bỏ qua đo PDF: %(error)s") % {"error": exc})
    else:
        value = median_ms(lambda: render_pdf(plan), repeat=5, warmup=1)
        metrics.append(
            {
                "name": "render.pdf.median_ms",
                "value": round(value, 2),
                "unit": "ms",
                "data": f"largest seed plan ({size}), WeasyPrint; {machine()}",
            }
        )
    return metrics


def django_on_temporary_sqlite() -> Path:
    """Start Django on a fresh SQLite database in a temporary folder (once per process).

    Benchmarks that need the ORM measure on the embedded default a school would run, never on the
    user's own database.
    """
    import tempfile

    folder = Path(os.environ.get("PHOIHOP_BENCH_DIR") or tempfile.mkdtemp(prefix="phoihop-bench-"))
    if not getattr(django_on_temporary_sqlite, "ready", False):
        os.environ["PHOIHOP_VAR_DIR"] = str(folder)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        django_on_temporary_sqlite.ready = True
    return folder


def make_school(classes: int = 60, students: int = 2000):
    """A school with ``classes`` classes sharing ``students`` students, on the 2025-2026 frame."""
    from phoihop.schedule.services import ensure_school_year
    from phoihop.tracking.models import SchoolClass, Student
    from phoihop.units.models import Unit

    year = ensure_school_year("2025-2026")
    school = Unit.objects.create(
        level=Unit.Level.THCS, name="Trường THCS đo hiệu năng", code="THCSBENCH"
    )
    rows = [
        SchoolClass(unit=school, school_year=year, name=f"{6 + c % 4}A{c}", grade=6 + c % 4)
        for c in range(classes)
    ]
    SchoolClass.objects.bulk_create(rows)
    rows = list(SchoolClass.objects.filter(unit=school).order_by("pk"))
    Student.objects.bulk_create(
        Student(
            unit=school,
            school_class=rows[n % classes],
            code=f"B{n:05d}",
            full_name=f"Học sinh {n}",
            enrolled_on=year.starts_on,
        )
        for n in range(students)
    )
    return school, year


def bench_schedule(verbose: bool = True) -> list[Metric]:
    """Scheduling the seed plans' items for a school of 2,000 students in 60 classes: the core
    engine alone, and the whole service writing the activities to SQLite."""
    from phoihop.core.cadence import Subject, expand
    from phoihop.core.calendar import get_school_year
    from phoihop.core.importing.scoring import find_pairs

    frame = get_school_year("2025-2026")
    plans = [json.loads(g.read_text(encoding="utf-8")) for g, _s in find_pairs(SEEDS_DIR)]
    for plan in plans:
        # Dated windows of the seeds lie in their own years (2015 …): they cannot be placed in
        # 2025-2026, so those items are measured without their window.
        for item in plan.get("commitments") or []:
            if (item.get("cadence") or {}).get("window"):
                item["cadence"] = dict(item["cadence"], window=None)
    items = [i for plan in plans for i in plan.get("commitments") or []]
    per_class = [Subject(id=str(c), name=f"Lớp {c}") for c in range(60)]
    per_student = [
        Subject(
            id=str(c),
            name=f"Lớp {c}",
            members=tuple(str(c * 100 + s) for s in range(34 if c < 20 else 33)),
        )
        for c in range(60)
    ]

    def run_core():
        total = 0
        for item in items:
            cadence = item.get("cadence")
            kind = (cadence or {}).get("per_subject")
            subjects = per_student if kind == "hoc_sinh" else per_class
            total += len(expand(cadence, frame, subjects=subjects, item_label=item["text"]))
        return total

    occurrences = run_core()
    metrics = [
        {
            "name": "schedule.core.school2000.median_ms",
            "value": round(median_ms(run_core, repeat=9), 2),
            "unit": "ms",
            "data": f"{len(items)} items of the seeds, 60 classes, 2,000 students, 2025-2026, "
            f"{occurrences} occurrences (cadence engine only); {machine()}",
        }
    ]

    django_on_temporary_sqlite()
    from django.db import transaction

    from phoihop.documents.services import create_document_from_plan
    from phoihop.schedule.models import Activity
    from phoihop.schedule.services import schedule_document

    school, year = make_school()
    documents = []
    for plan in plans:
        document = create_document_from_plan(school, plan)
        document.school_year = year
        document.save(update_fields=["school_year"])
        documents.append(document)

    def run_service():
        with transaction.atomic():
            Activity.objects.filter(unit=school).delete()
        for document in documents:
            schedule_document(document)

    value = median_ms(run_service, repeat=5, warmup=1)
    count = Activity.objects.filter(unit=school).count()
    metrics.append(
        {
            "name": "schedule.school2000.median_ms",
            "value": round(value, 2),
            "unit": "ms",
            "data": f"the five seed plans ({len(items)} items) scheduled from scratch for "
            f"60 classes / 2,000 students on 2025-2026 by schedule_document, "
            f"{count} activities written to SQLite (WAL), median of 5; {machine()}",
        }
    )
    return metrics


SUITES: dict[str, Callable[..., list[Metric]]] = {
    "import": bench_import,
    "render": bench_render,
    "schedule": bench_schedule,
}


def write_results(metrics: list[Metric], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = []
    if path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8")).get("metrics", [])
        except (ValueError, AttributeError):
            previous = []
    names = {m["name"] for m in metrics}
    merged = [m for m in previous if m.get("name") not in names] + metrics
    path.write_text(
        json.dumps({"metrics": merged}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def print_table(metrics: list[Metric]) -> None:
    width = max((len(m["name"]) for m in metrics), default=10)
    for m in metrics:
        print(f"{m['name']:<{width}}  {m['value']:>10}  {m['unit']:<6}  {m['data']}")


def run(suites: list[str], gold_dir: Path | None = None) -> list[Metric]:
    metrics: list[Metric] = []
    for name in suites:
        suite = SUITES[name]
        if gold_dir is not None and name in ("import", "render"):
            metrics += suite(gold_dir)
        else:
            metrics += suite()
        sys.stdout.flush()
    return metrics


# -- students import (issue 6) ------------------------------------------------------------------


def example_students(count: int, classes: int = 60, prefix: str = "HS") -> list[dict]:
    """A school's list: ``count`` students over ``classes`` classes of grades 6–9, some flagged."""

    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
    middle = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh"]
    given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh"]
    out = []
    for n in range(count):
        grade = 6 + (n % classes) * 4 // classes
        out.append(
            {
                "code": f"{prefix}{n:05d}",
                "full_name": f"{family[n % 10]} {middle[n % 8]} {given[n % 11]}",
                "birth_date": dt.date(2025 - grade - 6, 1 + n % 12, 1 + n % 28),
                "class_name": f"{grade}A{n % classes + 1}",
                "weak_results": n % 17 == 0,
                "frequent_absence": n % 23 == 0,
                "hardship": n % 29 == 0,
            }
        )
    return out


def bench_students(verbose: bool = True) -> list[Metric]:
    """Parse, validate and save an .xlsx of 2,000 students (60 classes created on the way) on a
    temporary SQLite database; median of 3 runs, each into a new school."""

    django_on_temporary_sqlite()
    from phoihop.tracking import students_import as si
    from phoihop.units.models import Unit

    data = si.write_example(example_students(2000))
    today = dt.date(2025, 10, 1)
    times = []
    imported = 0
    for run_number in range(3):
        unit = Unit.objects.create(level=Unit.Level.THCS, name=f"Trường đo {run_number}")
        started = time.perf_counter()
        sheet = si.read_sheet(data)
        mapping = si.guess_mapping(sheet.headers)
        report = si.check(unit, sheet, mapping, today=today)
        assert not report.refused, report.refused[:3]
        result = si.import_students(
            unit, sheet, mapping, today=today, create_classes=True, only_valid=False
        )
        times.append(time.perf_counter() - started)
        imported = result.imported
    return [
        {
            "name": "students.xlsx2000.s",
            "value": round(statistics.median(times), 3),
            "unit": "s",
            "data": f".xlsx of {len(data) // 1024} KB, {imported} students, 60 new classes: "
            f"read + column guess + validation report + atomic save, temporary SQLite; "
            f"median of 3; {machine()}",
        }
    ]


SUITES["students"] = bench_students


# -- pages of one school (issue 6) ---------------------------------------------------------------


def bench_pages(verbose: bool = True) -> list[Metric]:
    """ "Việc của tôi", a class's home-visit matrix and the school dashboard, through the whole
    Django stack (middleware, scoping, templates) on SQLite, for a school of 2,000 students in 60
    classes with the current school year scheduled and recorded up to today."""
    import random

    django_on_temporary_sqlite()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from phoihop.core.calendar import school_year_label_for
    from phoihop.documents.services import create_document_from_plan
    from phoihop.schedule.models import Activity
    from phoihop.schedule.services import ensure_school_year, schedule_document
    from phoihop.tracking.models import Record, SchoolClass, Student
    from phoihop.units.models import Membership, Party

    today = timezone.localdate()
    label = school_year_label_for(today)
    school, last_year = make_school()
    year = ensure_school_year(label)
    # Last school year fully recorded, and the current one up to today: a full year of records
    # behind the pages, and live work in front of them.
    for school_year in (last_year, year):
        SchoolClass.objects.filter(unit=school).update(school_year=school_year)
        for plan in [json.loads(g.read_text(encoding="utf-8")) for g, _s in _seed_pairs()]:
            for item in plan.get("commitments") or []:
                if (item.get("cadence") or {}).get("window"):
                    item["cadence"] = dict(item["cadence"], window=None)
            plan["number"] = None
            document = create_document_from_plan(school, plan)
            document.school_year = school_year
            document.save(update_fields=["school_year"])
            schedule_document(document)

    rng = random.Random(2025)
    students_by_class: dict[int, list[int]] = {}
    for class_id, student_id in Student.objects.filter(unit=school).values_list(
        "school_class_id", "pk"
    ):
        students_by_class.setdefault(class_id, []).append(student_id)
    records: list[Record] = []
    done: list[int] = []
    past = Activity.objects.filter(unit=school, due_on__lt=today)
    for activity in past.only("pk", "due_on", "school_class_id", "obligations"):
        if activity.obligations and activity.school_class_id:
            for student_id in students_by_class.get(activity.school_class_id, []):
                if rng.random() < 0.85:
                    records.append(
                        Record(
                            activity_id=activity.pk,
                            student_id=student_id,
                            done_on=activity.due_on - dt.timedelta(days=2),
                        )
                    )
            done.append(activity.pk)
        elif rng.random() < 0.7:
            records.append(Record(activity_id=activity.pk, done_on=activity.due_on, notes="Đã làm"))
            done.append(activity.pk)
    Record.objects.bulk_create(records, batch_size=2000)
    Activity.objects.filter(pk__in=done).update(status=Activity.Status.DONE)

    from django.contrib.auth import get_user_model

    User = get_user_model()
    first_class = SchoolClass.objects.filter(unit=school).order_by("pk").first()
    teacher = User.objects.create_user("bench-gvcn", password="x")
    homeroom_party = Party.objects.filter(unit=school, kind="gvcn").first()
    Membership.objects.create(
        user=teacher,
        unit=school,
        role=Membership.Role.HOMEROOM,
        school_class=first_class,
        party=homeroom_party,
    )
    principal = User.objects.create_user("bench-ht", password="x")
    Membership.objects.create(
        user=principal,
        unit=school,
        role=Membership.Role.LEADER,
        party=Party.objects.filter(unit=school, kind="lanh_dao").first(),
    )

    pages = {
        "page.my_work.median_ms": (teacher, reverse("tracking:my-work")),
        "page.coverage.median_ms": (
            teacher,
            reverse("tracking:class-coverage", args=[first_class.pk]),
        ),
        "page.dashboard.median_ms": (principal, reverse("tracking:dashboard", args=[school.pk])),
    }
    size = (
        f"school of {Student.objects.filter(unit=school).count()} students in 60 classes, "
        f"{Activity.objects.filter(unit=school).count()} activities of the five seed plans on "
        f"{last_year.label} and {label}, {len(records)} records up to {today:%d/%m/%Y}; SQLite"
    )
    metrics = []
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connections["default"]) as queries:
            client.get(url)
        query_count = len(queries)  # read now: the next request clears Django's query log
        value = median_ms(lambda c=client, u=url: c.get(u), repeat=21, warmup=3)
        metrics.append(
            {
                "name": name,
                "value": round(value, 2),
                "unit": "ms",
                "data": f"GET {url} through the Django test client, {query_count} "
                f"queries; {size}; median of 21; {machine()}",
            }
        )
    return metrics


def _seed_pairs():
    from phoihop.core.importing.scoring import find_pairs

    return find_pairs(SEEDS_DIR)


SUITES["pages"] = bench_pages


# -- province roll-up (issue 7) -----------------------------------------------------------------

# The same aggregate as reviews.rollup.rollup(), written by hand, in two forms: from the
# activities and records themselves (RAW), and from the per-day tally the page reads (TALLY).
# Both end with the same targets part and the same choice of schools.
_ROLLUP_TARGETS_AND_SCHOOLS = """
LEFT JOIN (
    SELECT d.unit_id, COUNT(*) AS targets,
           SUM(CASE WHEN m.value IS NULL THEN 0
                    WHEN t.comparator IN ('', '=', '>=') AND m.value >= t.value THEN 1
                    WHEN t.comparator = '>' AND m.value > t.value THEN 1
                    WHEN t.comparator = '<=' AND m.value <= t.value THEN 1
                    WHEN t.comparator = '<' AND m.value < t.value THEN 1 ELSE 0 END) AS met
    FROM documents_target t
    JOIN documents_document d ON d.id = t.document_id
    LEFT JOIN documents_targetmeasurement m ON m.id = (
        SELECT m2.id FROM documents_targetmeasurement m2
        WHERE m2.target_id = t.id AND m2.measured_on <= %(end)s
        ORDER BY m2.measured_on DESC, m2.id DESC LIMIT 1)
    WHERE t.value IS NOT NULL AND d.status IN ('approved', 'issued', 'in_force')
      AND (d.school_year_id = %(year)s OR d.school_year_id IS NULL)
    GROUP BY d.unit_id
) t ON t.unit_id = u.id
WHERE u.path LIKE %(prefix)s AND u.level NOT IN ('bo_gd', 'so_gd', 'phong_gd')
ORDER BY u.name
"""

ROLLUP_RAW_SQL = (
    """
SELECT u.id, u.name, u.level, a.total, a.done, a.overdue, a.visits_due, r.visits, t.targets, t.met
FROM units_unit u
LEFT JOIN (
    SELECT unit_id, COUNT(*) AS total,
           SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,
           SUM(CASE WHEN status = 'planned' AND due_on < %(today)s THEN 1 ELSE 0 END) AS overdue,
           SUM(obligations) AS visits_due
    FROM schedule_activity
    WHERE status <> 'cancelled' AND due_on BETWEEN %(start)s AND %(end)s
    GROUP BY unit_id
) a ON a.unit_id = u.id
LEFT JOIN (
    SELECT act.unit_id, COUNT(*) AS visits
    FROM tracking_record rec JOIN schedule_activity act ON act.id = rec.activity_id
    WHERE rec.student_id IS NOT NULL AND act.obligations > 0 AND act.status <> 'cancelled'
      AND act.due_on BETWEEN %(start)s AND %(end)s
    GROUP BY act.unit_id
) r ON r.unit_id = u.id
"""
    + _ROLLUP_TARGETS_AND_SCHOOLS
)


def rollup_tally_sql(start, end, today) -> tuple[str, dict]:
    """The hand-made query over the tally: its rows are chosen by the same whole months and cut
    days as the page's (``reviews.tally.spans``), written out as plain ranges, month rows and day
    rows each read by one branch of a UNION ALL (so each branch is one range of the index); the
    aggregate is written by hand. Returns the SQL and the range parameters it adds."""
    from phoihop.reviews import tally

    params: dict = {}
    yesterday = today - dt.timedelta(days=1)
    wanted = {
        "y": tally.spans(start, end),
        "o": tally.spans(start, min(end, yesterday)),
    }

    def where(name: str, month: bool) -> str:
        parts = []
        for n, span in enumerate(s for s in wanted[name] if s.month == month):
            key = f"{name}{int(month)}{n}"
            params[key + "l"], params[key + "h"] = span.low, span.high
            bounds = []
            if span.low is not None:
                bounds.append(f"day >= %({key}l)s")
            if span.high is not None:
                bounds.append(f"day < %({key}h)s")
            parts.append("(" + (" AND ".join(bounds) or "1 = 1") + ")")
        return " OR ".join(parts) or "1 = 0"

    branches = []
    for month in (True, False):
        year, overdue = where("y", month), where("o", month)
        branches.append(f"""
        SELECT unit_id,
               CASE WHEN {year} THEN total ELSE 0 END AS total,
               CASE WHEN {year} THEN done ELSE 0 END AS done,
               CASE WHEN {overdue} THEN planned ELSE 0 END AS overdue,
               CASE WHEN {year} THEN obligations ELSE 0 END AS visits_due,
               CASE WHEN {year} THEN visits ELSE 0 END AS visits
        FROM reviews_activitytally
        WHERE month = {"TRUE" if month else "FALSE"} AND ({year} OR {overdue})""")
    sql = (
        f"""
SELECT u.id, u.name, u.level, a.total, a.done, a.overdue, a.visits_due, a.visits, t.targets, t.met
FROM units_unit u
LEFT JOIN (
    SELECT unit_id, SUM(total) AS total, SUM(done) AS done, SUM(overdue) AS overdue,
           SUM(visits_due) AS visits_due, SUM(visits) AS visits
    FROM ({" UNION ALL ".join(branches)}) AS rows
    GROUP BY unit_id
) a ON a.unit_id = u.id
"""
        + _ROLLUP_TARGETS_AND_SCHOOLS
    )
    return sql, params


def _measure_rollup(
    office, today, year, *, repeat: int, size: str, where: str, prefix: str = ""
) -> list[Metric]:
    """Check that the page's figures equal both hand-made queries for every school, then time:
    the page over HTTP (Django test client, the office leader, page 1 sorted by name), the
    roll-up function alone, and the two hand-made queries; same data, same run."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from phoihop.reviews import rollup as rollups
    from phoihop.units.models import Membership

    data = rollups.rollup(office, today, year=year)
    params = {
        "today": today,
        "start": year.starts_on,
        "end": year.ends_on,
        "year": year.pk,
        "prefix": office.path + "%",
    }

    tally_statement, tally_params = rollup_tally_sql(year.starts_on, year.ends_on, today)
    params.update(tally_params)

    def by_sql(statement: str):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    for statement in (ROLLUP_RAW_SQL, tally_statement):
        rows = {r[0]: r for r in by_sql(statement)}
        assert len(rows) == len(data.rows), (len(rows), len(data.rows))
        for row in data.rows:  # they must agree before their times are compared
            sql = rows[row.unit_id]
            visits_due = sql[6] or 0
            assert (row.total, row.done, row.overdue, row.visits_due) == (
                sql[3] or 0,
                sql[4] or 0,
                sql[5] or 0,
                visits_due,
            ), (row, sql)
            assert row.visits_done == min(sql[7] or 0, visits_due), (row, sql)
            assert (row.targets, row.targets_met) == (sql[8] or 0, sql[9] or 0), (row, sql)

    leader = get_user_model().objects.create_user(f"bench-office-{office.pk}")
    Membership.objects.create(user=leader, unit=office, role=Membership.Role.LEADER)
    client = Client()
    client.force_login(leader)
    url = reverse("reviews:rollup", args=[office.pk]) + f"?year={year.pk}"
    response = client.get(url)
    if response.status_code != 200 or data.rows[0].name not in response.content.decode():
        raise RuntimeError(f"{url} answered {response.status_code} without the first school")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)

    page = median_ms(lambda: client.get(url), repeat=repeat, warmup=1)
    function = median_ms(lambda: rollups.rollup(office, today, year=year), repeat=repeat, warmup=1)
    tally_sql = median_ms(lambda: by_sql(tally_statement), repeat=repeat, warmup=1)
    raw_sql = median_ms(lambda: by_sql(ROLLUP_RAW_SQL), repeat=repeat, warmup=1)
    tail = f"{size}, year {year.label}; median of {repeat}; {where}; {machine()}"
    return [
        {
            "name": prefix + "page.rollup.median_ms",
            "value": round(page, 2),
            "unit": "ms",
            "data": f"GET {url} through the Django test client as the office leader "
            f"({query_count} queries, first page of {len(data.rows):,} schools sorted by name, "
            f"totals over all); {tail}",
        },
        {
            "name": prefix + "page.rollup.ratio_to_sql",
            "value": round(page / tally_sql, 2),
            "unit": "x",
            "data": f"the page against one hand-made SQL query of the same aggregate over the "
            f"same per-day tally ({tally_sql:.2f} ms); {tail}",
        },
        {
            "name": prefix + "rollup.function.median_ms",
            "value": round(function, 2),
            "unit": "ms",
            "data": f"reviews.rollup.rollup() alone (4 queries, all schools); {tail}",
        },
        {
            "name": prefix + "rollup.raw_sql.median_ms",
            "value": round(raw_sql, 2),
            "unit": "ms",
            "data": f"the same aggregate by hand from the activities and records themselves, "
            f"without the tally (the page is {page / raw_sql:.2f}x this); {tail}",
        },
    ]


def bench_rollup(verbose: bool = True, schools: int = 200, students: int = 100) -> list[Metric]:
    """An office's roll-up over a generated province on a temporary SQLite (the PostgreSQL run at
    province size is ``rollup_pg``, whose figures carry the unprefixed names)."""

    django_on_temporary_sqlite()

    from phoihop.reviews import rollup as rollups
    from phoihop.reviews.province import generate_province

    started = time.perf_counter()
    stats = generate_province(schools, students, seed=7)
    generated = time.perf_counter() - started
    today = dt.date(2026, 4, 15)
    year = rollups.default_year(stats.office, today)
    size = (
        f"{stats.schools} schools, {stats.students:,} students, {stats.activities:,} activities, "
        f"{stats.records:,} records"
    )
    where = "SQLite"
    return [
        {
            "name": "sqlite.generate.province.s",
            "value": round(generated, 2),
            "unit": "s",
            "data": f"generate_province (ORM, bulk_create): {size}; {where}; {machine()}",
        },
        *_measure_rollup(
            stats.office, today, year, repeat=9, size=size, where=where, prefix="sqlite."
        ),
    ]


SUITES["rollup"] = bench_rollup


# -- iCalendar feed (issue 4) -------------------------------------------------------------------


def bench_ical(verbose: bool = True) -> list[Metric]:
    """A user's iCalendar feed holding 500 activities, fetched by its secret address."""

    django_on_temporary_sqlite()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from phoihop.documents.models import Document, Item, ItemParty
    from phoihop.schedule.models import Activity, FeedToken
    from phoihop.units.models import Membership, Party, Unit

    today = timezone.localdate()
    school = Unit.objects.create(level=Unit.Level.THCS, name="Trường đo lịch", code="THCSICAL")
    union = Party.objects.create(unit=school, kind="cong_doan", name="Công đoàn cơ sở")
    document = Document.objects.create(unit=school, doc_type="ke_hoach", title="Kế hoạch đo lịch")
    items = Item.objects.bulk_create(
        Item(document=document, position=n, text=f"Nội dung phối hợp số {n} của Công đoàn")
        for n in range(25)
    )
    ItemParty.objects.bulk_create(ItemParty(item=i, party=union, is_lead=True) for i in items)
    Activity.objects.bulk_create(
        Activity(
            item=items[n % 25],
            unit=school,
            key=f"k{n}",
            title=f"Hoạt động {n} · họp, báo cáo",
            assignee_party=union,
            window_starts_on=today + dt.timedelta(days=n - 250),
            window_ends_on=today + dt.timedelta(days=n - 245),
            due_on=today + dt.timedelta(days=n - 245),
        )
        for n in range(500)
    )
    user = get_user_model().objects.create_user("bench-ical", password="x")
    Membership.objects.create(user=user, unit=school, role=Membership.Role.MEMBER, party=union)
    token = FeedToken.objects.create(user=user)
    url = reverse("schedule:calendar-feed", args=[token.token])
    client = Client()
    response = client.get(url)
    events = response.content.count(b"BEGIN:VEVENT")
    if response.status_code != 200 or events != 500:
        raise RuntimeError(f"{url}: {response.status_code}, {events} events")
    value = median_ms(lambda: client.get(url), repeat=21, warmup=3)
    return [
        {
            "name": "ical.500.median_ms",
            "value": round(value, 2),
            "unit": "ms",
            "data": f"GET of a member's feed with {events} events ({len(response.content) // 1024}"
            f" KB) through the Django test client, SQLite; median of 21; {machine()}",
        }
    ]


SUITES["ical"] = bench_ical


# -- province roll-up on PostgreSQL (issue 7) ---------------------------------------------------

BENCH_PG_HOST = "127.0.0.1"
BENCH_PG_PORT = 5432
BENCH_PG_DATABASE = "phoihop_bench"


def postgres_answers(host: str = BENCH_PG_HOST, port: int = BENCH_PG_PORT) -> str | None:
    """None when PostgreSQL answers on ``host:port`` (user postgres, database postgres), else why
    not."""
    try:
        import psycopg
    except ImportError as exc:
        return f"psycopg is not installed ({exc})"
    try:
        with psycopg.connect(
            host=host, port=port, user="postgres", dbname="postgres", connect_timeout=3
        ) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure to connect means: no PostgreSQL to measure on
        return f"PostgreSQL on {host}:{port} does not answer ({str(exc).strip()})"
    return None


def django_on_temporary_postgres(
    database: str = BENCH_PG_DATABASE, host: str = BENCH_PG_HOST, port: int = BENCH_PG_PORT
) -> Path:
    """Start Django on a fresh PostgreSQL database ``database`` (dropped and created again through
    the ``postgres`` database, user postgres, trust authentication), with var/ in a temporary
    folder; once per process. The sibling of ``django_on_temporary_sqlite``: never the user's own
    database."""
    import tempfile

    folder = Path(os.environ.get("PHOIHOP_BENCH_DIR") or tempfile.mkdtemp(prefix="phoihop-bench-"))
    if getattr(django_on_temporary_postgres, "ready", False):
        return folder
    if getattr(django_on_temporary_sqlite, "ready", False):
        raise RuntimeError("Django already runs on the temporary SQLite database in this process")
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    os.environ["PHOIHOP_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"postgres://postgres@{host}:{port}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    django_on_temporary_postgres.ready = True
    return folder


def _env_size(name: str, default: int) -> int:
    value = int(os.environ.get(name) or default)
    if value < 1:
        raise SystemExit(_("%(name)s phải từ 1 trở lên") % {"name": name})
    return value


# Set-based generation of a province: explicit ids by arithmetic over generate_series, so that
# every foreign key is computed instead of looked up. %(x)s are the sizes and bases given below.
# Activity index x (0-based) → school x / acts, position a0 = x % acts; item a0 % items; per-class
# (home visits) when a0 % items < visit_items, for class (a0 / items) % classes.
_PG_PROVINCE_SQL = {
    "office": """
        INSERT INTO units_unit (id, parent_id, path, level, name, code, locality, superior_name)
        VALUES (%(office)s, NULL, '/' || %(office)s || '/', 'so_gd',
                'Sở Giáo dục và Đào tạo (đo hiệu năng)', 'SGDBENCH', '', 'UBND tỉnh')
    """,
    "schools": """
        INSERT INTO units_unit (id, parent_id, path, level, name, code, locality, superior_name)
        SELECT %(unit0)s + s, %(office)s, '/' || %(office)s || '/' || (%(unit0)s + s) || '/',
               (ARRAY['tieu_hoc', 'thcs', 'thpt'])[1 + s %% 3],
               (ARRAY['Trường Tiểu học', 'Trường THCS', 'Trường THPT'])[1 + s %% 3]
                   || ' số ' || s, 'TR' || s, 'Xã ' || (1 + s %% 97), ''
        FROM generate_series(1, %(schools)s) AS s
    """,
    "classes": """
        INSERT INTO tracking_schoolclass (id, unit_id, school_year_id, name, grade)
        SELECT %(class0)s + g, %(unit0)s + 1 + (g - 1) / %(classes)s, %(year)s,
               (6 + (g - 1) %% %(classes)s %% 4) || 'A' || (1 + (g - 1) %% %(classes)s),
               6 + (g - 1) %% %(classes)s %% 4
        FROM generate_series(1, %(schools)s * %(classes)s) AS g
    """,
    "students": """
        INSERT INTO tracking_student (id, unit_id, school_class_id, code, full_name, birth_date,
                                      weak_results, frequent_absence, hardship, enrolled_on,
                                      left_on)
        SELECT %(student0)s + g, %(unit0)s + 1 + (g - 1) / %(students)s,
               %(class0)s + 1 + (g - 1) / %(students)s * %(classes)s
                   + (g - 1) %% %(students)s %% %(classes)s,
               'HS' || lpad((1 + (g - 1) %% %(students)s)::text, 5, '0'),
               (ARRAY['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'])[1 + g %% 5] || ' Văn '
                   || (ARRAY['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Lan'])[1 + g %% 7],
               DATE '2012-01-01' + (g %% 1500)::int,
               g %% 17 = 0, g %% 23 = 0, g %% 29 = 0, %(start)s, NULL
        FROM generate_series(1, %(schools)s * %(students)s) AS g
    """,
    "documents": """
        INSERT INTO documents_document (id, unit_id, school_year_id, doc_type, number,
                                        number_year, symbol, issuer_name, co_issuer_name, place,
                                        issued_on, title, period_text, start_year, end_year,
                                        status, created_at, updated_at)
        SELECT %(document0)s + s, %(unit0)s + s, %(year)s, 'ke_hoach', 1, 2025, 'KH-TR', '', '',
               '', %(start)s, 'Kế hoạch phối hợp năm học 2025-2026', 'năm học 2025-2026', 2025,
               2026, CASE WHEN s %% 20 = 0 THEN 'draft' ELSE 'in_force' END, now(), now()
        FROM generate_series(1, %(schools)s) AS s
    """,
    "items": """
        INSERT INTO documents_item (id, document_id, position, text, cadence, evidence_required)
        SELECT %(item0)s + g, %(document0)s + 1 + (g - 1) / %(items)s, (g - 1) %% %(items)s,
               'Nội dung phối hợp số ' || (1 + (g - 1) %% %(items)s), NULL, false
        FROM generate_series(1, %(schools)s * %(items)s) AS g
    """,
    "targets": """
        INSERT INTO documents_target (id, document_id, position, text, metric, comparator, value,
                                      unit_label, method)
        SELECT %(target0)s + g, %(document0)s + 1 + (g - 1) / 3, (g - 1) %% 3,
               'Chỉ tiêu ' || (1 + (g - 1) %% 3), 'tỷ lệ',
               (ARRAY['>=', '<=', '>'])[1 + (g - 1) %% 3], (ARRAY[90, 5, 80])[1 + (g - 1) %% 3],
               '%%', 'entered'
        FROM generate_series(1, %(schools)s * 3) AS g
    """,
    "measurements": """
        INSERT INTO documents_targetmeasurement (id, target_id, measured_on, value, note)
        SELECT %(measurement0)s + g, %(target0)s + 1 + (g - 1) / 2,
               CASE WHEN g %% 2 = 1 THEN DATE '2026-01-10' ELSE DATE '2026-03-20' END,
               60 + (g * 37) %% 45, ''
        FROM generate_series(1, %(schools)s * 3 * 2) AS g
    """,
    "activities": """
        INSERT INTO schedule_activity (id, unit_id, item_id, school_class_id, key, title,
                                       window_starts_on, window_ends_on, due_on, status, kind,
                                       repeat, obligations, assignee_party_id, assignee_user_id)
        SELECT %(activity0)s + 1 + x, %(unit0)s + 1 + s0,
               %(item0)s + 1 + s0 * %(items)s + a0 %% %(items)s,
               CASE WHEN visit THEN %(class0)s + 1 + s0 * %(classes)s + c0 END,
               'k' || a0, 'Hoạt động ' || a0, due - 7, due, due,
               CASE WHEN due < %(today)s THEN
                        CASE WHEN h < 70 THEN 'done' WHEN h < 80 THEN 'partly'
                             WHEN h < 85 THEN 'missed' WHEN h < 90 THEN 'cancelled'
                             ELSE 'planned' END
                    WHEN h < 3 THEN 'cancelled' ELSE 'planned' END,
               'activity', 1,
               CASE WHEN visit THEN %(students)s / %(classes)s
                    + CASE WHEN c0 < %(students)s %% %(classes)s THEN 1 ELSE 0 END
                    ELSE 0 END,
               NULL, NULL
        FROM (
            SELECT x, x / %(acts)s AS s0, x %% %(acts)s AS a0,
                   x %% %(acts)s %% %(items)s < %(visit_items)s AS visit,
                   x %% %(acts)s / %(items)s %% %(classes)s AS c0,
                   (x::bigint * 7919 + x / %(acts)s * 37 + 13) %% 100 AS h,
                   %(start)s::date + (x %% %(acts)s * %(span)s / %(acts)s)::int AS due
            FROM generate_series(0, %(schools)s * %(acts)s - 1) AS x
        ) AS a
    """,
    # Record j of activity x: on a per-class activity it names student number c0 + classes * k of
    # the school (k distinct for the activity's records, so each is one more student visited).
    "records": """
        INSERT INTO tracking_record (id, activity_id, student_id, done_on, outcome, participants,
                                     notes, created_at, created_by_id)
        SELECT %(record0)s + 1 + r, %(activity0)s + 1 + x,
               CASE WHEN visit THEN %(student0)s + 1 + s0 * %(students)s + c0
                    + %(classes)s * ((x / %(acts)s + a0 / %(items)s / %(classes)s * %(per)s + j)
                                     %% (%(students)s / %(classes)s)) END,
               %(start)s::date + (a0 * %(span)s / %(acts)s)::int - j %% 5, 'done', '',
               CASE WHEN visit THEN '' ELSE 'Đã thực hiện' END, now(), NULL
        FROM (
            SELECT r, r / %(per)s AS x, r %% %(per)s AS j, r / %(per)s / %(acts)s AS s0,
                   r / %(per)s %% %(acts)s AS a0,
                   r / %(per)s %% %(acts)s %% %(items)s < %(visit_items)s AS visit,
                   r / %(per)s %% %(acts)s / %(items)s %% %(classes)s AS c0
            FROM generate_series(0, %(schools)s * %(acts)s * %(per)s - 1) AS r
        ) AS g
    """,
}


def generate_province_sql(
    schools: int, students: int, acts: int, per: int, items: int = 20, verbose: bool = True
) -> dict:
    """Write a province with one set-based INSERT … SELECT per table (PostgreSQL): a Sở and
    ``schools`` schools under it, ``students`` students per school in classes of about 35, one
    plan per school with ``items`` items and 3 entered targets, ``acts`` activities per school
    over 2025-2026 (half of them per-class home visits with their obligations) and ``per``
    records per activity (the home-visit ones name a student). Returns the sizes and the year."""
    from django.db import connection

    from phoihop.reviews import tally
    from phoihop.schedule.services import ensure_school_year

    year = ensure_school_year("2025-2026")
    classes = max(1, -(-students // 35))
    if per > students // classes:
        raise SystemExit(_("Số kết quả mỗi hoạt động không được vượt số học sinh của một lớp."))
    tables = {
        "unit0": "units_unit",
        "class0": "tracking_schoolclass",
        "student0": "tracking_student",
        "document0": "documents_document",
        "item0": "documents_item",
        "target0": "documents_target",
        "measurement0": "documents_targetmeasurement",
        "activity0": "schedule_activity",
        "record0": "tracking_record",
    }
    params = {
        "schools": schools,
        "students": students,
        "classes": classes,
        "items": items,
        "visit_items": items // 2,
        "acts": acts,
        "per": per,
        "year": year.pk,
        "start": year.starts_on,
        "span": (year.ends_on - year.starts_on).days,
        "today": dt.date(2026, 4, 15),
    }
    seconds: dict[str, float] = {}
    with connection.cursor() as cursor:
        for key, table in tables.items():
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            params[key] = cursor.fetchone()[0]
        params["office"] = params["unit0"] + 1
        params["unit0"] += 1  # schools follow the office
        # The tally's triggers would cost one upsert per row: they are off during the load and
        # the tally is recounted once, set-based, at the end.
        tally.uninstall(connection)
        for name, statement in _PG_PROVINCE_SQL.items():
            started = time.perf_counter()
            cursor.execute(statement, params)
            seconds[name] = round(time.perf_counter() - started, 2)
            if verbose:
                print(f"  {name}: {cursor.rowcount:,} rows in {seconds[name]} s", flush=True)
        for table in tables.values():
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
        started = time.perf_counter()
        tally.install(connection)
        buckets = tally.rebuild(connection)
        seconds["tally"] = round(time.perf_counter() - started, 2)
        if verbose:
            print(f"  tally: {buckets:,} rows in {seconds['tally']} s", flush=True)
        started = time.perf_counter()
        # As after any bulk load: the tally's pages marked visible (autovacuum would get there
        # on its own later), statistics for every table.
        cursor.execute("VACUUM reviews_activitytally")
        cursor.execute("ANALYZE")
        seconds["vacuum_analyze"] = round(time.perf_counter() - started, 2)
    return {
        "office": params["office"],
        "year": year,
        "schools": schools,
        "classes": schools * classes,
        "students": schools * students,
        "documents": schools,
        "items": schools * items,
        "activities": schools * acts,
        "records": schools * acts * per,
        "seconds": seconds,
    }


def bench_rollup_pg(verbose: bool = True) -> list[Metric]:
    """The office roll-up on PostgreSQL at province size: a Sở of PHOIHOP_BENCH_SCHOOLS schools
    (2,000), PHOIHOP_BENCH_STUDENTS students each (500), PHOIHOP_BENCH_ACTIVITIES activities each
    (500) and PHOIHOP_BENCH_RECORDS records per activity (10), generated with set-based SQL on a
    dedicated database; the page against hand-made SQL queries of the same aggregate, same run."""
    why_not = postgres_answers()
    if why_not:
        print(_("Bỏ qua rollup_pg: %(why)s") % {"why": why_not})
        return []
    schools = _env_size("PHOIHOP_BENCH_SCHOOLS", 2000)
    students = _env_size("PHOIHOP_BENCH_STUDENTS", 500)
    acts = _env_size("PHOIHOP_BENCH_ACTIVITIES", 500)
    per = _env_size("PHOIHOP_BENCH_RECORDS", 10)
    django_on_temporary_postgres()
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from phoihop.reviews import rollup as rollups
    from phoihop.units.models import Unit

    started = time.perf_counter()
    stats = generate_province_sql(schools, students, acts, per, verbose=verbose)
    generated = time.perf_counter() - started
    office = Unit.objects.get(pk=stats["office"])
    assert office.path == f"/{office.pk}/"
    assert (
        not Unit.objects.filter(parent=office)
        .exclude(path=Concat(Value(office.path), Cast("pk", CharField()), Value("/")))
        .exists()
    )
    today = dt.date(2026, 4, 15)
    year = rollups.default_year(office, today)
    assert year is not None and year.pk == stats["year"].pk
    size = (
        f"1 Sở, {stats['schools']:,} schools, {stats['classes']:,} classes, "
        f"{stats['students']:,} students, {stats['documents']:,} plans / {stats['items']:,} items, "
        f"{stats['activities']:,} activities, {stats['records']:,} records"
    )
    where = f"PostgreSQL 15 (database {BENCH_PG_DATABASE} on {BENCH_PG_HOST}:{BENCH_PG_PORT})"
    metrics = _measure_rollup(office, today, year, repeat=7, size=size, where=where)
    if verbose:
        for metric in metrics:
            print(f"  {metric['name']}: {metric['value']} {metric['unit']}")
        _explain_rollup(office, today, year)
    return [
        {
            "name": "generate.province.s",
            "value": round(generated, 2),
            "unit": "s",
            "data": f"set-based INSERT … SELECT generate_series, one per table, then one recount "
            f"of the per-day tally + ANALYZE: {size}; {stats['seconds']}; {where}; {machine()}",
        },
        *metrics,
    ]


def _explain_rollup(office, today, year) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from phoihop.reviews import rollup as rollups

    with CaptureQueriesContext(connection) as queries:
        rollups.rollup(office, today, year=year)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [line for (line,) in cursor.fetchall()]
            print(f"\n  EXPLAIN ANALYZE ({query['time']} s): {query['sql'][:160]}…")
            for line in plan:
                print("    " + line)


SUITES["rollup_pg"] = bench_rollup_pg


# -- hostile input (issue 13) -------------------------------------------------------------------

_REFUSE_IN_CHILD = """
import json, resource, statistics, sys, time
from phoihop.core.importing import ImportFailure, import_bytes
data = open(sys.argv[1], "rb").read()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times, message = [], None
for _n in range(5):
    started = time.perf_counter()
    try:
        import_bytes(data, "bom.docx")
    except ImportFailure as exc:
        message = str(exc)
    else:
        message = None
    times.append(time.perf_counter() - started)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"s": statistics.median(times), "peak_kb": peak, "baseline_kb": baseline,
                  "message": message}))
"""


def bench_abuse(verbose: bool = True) -> list[Metric]:
    """A .docx holding 95 MB of XML in about 13 MB (ratio 7, under the zip ratio limit): how long
    the importer takes to refuse it and the peak memory of the process doing so. Run in a fresh
    interpreter so that its peak resident size is this import's alone."""
    import io
    import subprocess
    import tempfile
    import zipfile

    from phoihop.core.importing.fixtures import xml_bomb_docx

    data = xml_bomb_docx(95 * 1024 * 1024)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    with tempfile.NamedTemporaryFile(suffix=".docx") as fh:
        fh.write(data)
        fh.flush()
        done = subprocess.run(
            [sys.executable, "-c", _REFUSE_IN_CHILD, fh.name],
            capture_output=True,
            text=True,
            check=True,
            timeout=900,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["message"] is None:
        raise RuntimeError("the XML bomb was imported, not refused")
    if verbose:
        print(result["message"])
    described = (
        f".docx of {len(data) / 2**20:.1f} MB holding {info.file_size / 2**20:.0f} MB of XML "
        f"(ratio {info.file_size / info.compress_size:.1f}); {machine()}"
    )
    return [
        {
            "name": "abuse.docx_xml_bomb.s",
            "value": round(result["s"], 4),
            "unit": "s",
            "data": "refusal by import_bytes, median of 5; " + described,
        },
        {
            "name": "abuse.docx_xml_bomb.peak_mb",
            "value": round(result["peak_kb"] / 1024, 1),
            "unit": "MB",
            "data": "peak resident size of the refusing process (interpreter and imports "
            f"{result['baseline_kb'] / 1024:.0f} MB included); " + described,
        },
    ]


SUITES["abuse"] = bench_abuse


# -- concurrent writers and backups (issue 13) -------------------------------------------------

CONCURRENT_WRITERS = 20


def _evidence_photo(n: int):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (n % 256, (n * 7) % 256, (n * 13) % 256)).save(buffer, "PNG")
    return SimpleUploadedFile(f"minh_chung_{n}.png", buffer.getvalue(), "image/png")


def concurrent_recording(
    activity_ids: list[int], user, seconds: float, writers: int = CONCURRENT_WRITERS
) -> dict:
    """``writers`` threads record results on ``activity_ids`` for ``seconds`` through
    ``record_activity``, each on its own connection, every fifth result with a photo, the
    activities shared between writers. Returns the latency of every call (ms), the results each
    writer had acknowledged, and every exception raised (a "database is locked" would be one).
    Used by the bench and by the concurrency test alike."""
    import threading

    from django.db import connections
    from django.utils import timezone

    from phoihop.schedule.models import Activity
    from phoihop.tracking.services import record_activity

    barrier = threading.Barrier(writers)
    latencies: list[float] = []
    errors: list[BaseException] = []
    acknowledged = [0] * writers
    deadline = [0.0]

    def write(writer: int) -> None:
        try:
            if barrier.wait(timeout=60) == 0:
                deadline[0] = time.monotonic() + seconds
            barrier.wait(timeout=60)
            n = 0
            while time.monotonic() < deadline[0]:
                n += 1
                started = time.perf_counter()
                activity = Activity.objects.get(pk=activity_ids[(writer + n) % len(activity_ids)])
                record_activity(
                    activity,
                    user,
                    done_on=timezone.localdate(),
                    notes=f"Người ghi {writer}, lần {n}",
                    files=[_evidence_photo(writer * 100_000 + n)] if n % 5 == 0 else [],
                )
                latencies.append((time.perf_counter() - started) * 1000)
                acknowledged[writer] += 1
        except BaseException as error:  # reported to the caller with the thread's own exception
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    return {"latencies_ms": latencies, "acknowledged": acknowledged, "errors": errors}


def bench_concurrency(verbose: bool = True, seconds: float = 60) -> list[Metric]:
    """Twenty writers recording results (some with photos) for a minute on the embedded SQLite
    default: the 95th percentile of one recording's time, and no error."""
    django_on_temporary_sqlite()
    from django.contrib.auth import get_user_model

    from phoihop.documents.models import Document, Item, ItemParty
    from phoihop.schedule.models import Activity
    from phoihop.units.models import Party, Unit

    school = Unit.objects.create(
        level=Unit.Level.THCS, name="Trường đo ghi đồng thời", code="THCSCC"
    )
    union = Party.objects.create(unit=school, kind="cong_doan", name="Công đoàn cơ sở")
    document = Document.objects.create(unit=school, doc_type="ke_hoach", title="Kế hoạch đo ghi")
    item = Item.objects.create(document=document, position=0, text="Công đoàn họp định kỳ")
    ItemParty.objects.create(item=item, party=union, is_lead=True)
    today = dt.date.today()
    activities = Activity.objects.bulk_create(
        Activity(
            item=item,
            unit=school,
            key=f"cc{n}",
            title=f"Họp Công đoàn {n}",
            assignee_party=union,
            window_starts_on=today,
            window_ends_on=today,
            due_on=today,
        )
        for n in range(10)
    )
    user = get_user_model().objects.create_user("bench-concurrency", password="x")
    result = concurrent_recording([a.pk for a in activities], user, seconds)
    if result["errors"]:
        raise RuntimeError(f"{len(result['errors'])} errors, first: {result['errors'][0]!r}")
    latencies = sorted(result["latencies_ms"])
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return [
        {
            "name": "concurrency.sqlite.p95_ms",
            "value": round(p95, 2),
            "unit": "ms",
            "data": f"{CONCURRENT_WRITERS} threads recording results through record_activity for "
            f"{seconds:.0f} s on 10 shared activities (every fifth with a PNG photo), SQLite WAL "
            f"file; {len(latencies)} results, median {statistics.median(latencies):.1f} ms, "
            f"0 errors; {machine()}",
        }
    ]


SUITES["concurrency"] = bench_concurrency


_BACKUP_IN_CHILD = """
import json, os, statistics, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
import django
django.setup()
from phoihop.backup import create_backup
times, result = [], None
for _n in range(3):
    started = time.perf_counter()
    result = create_backup()
    times.append(time.perf_counter() - started)
print(json.dumps({"s": statistics.median(times), "bytes": result.size, "files": result.files}))
"""


def bench_backup(verbose: bool = True) -> list[Metric]:
    """``create_backup`` of the demo database as ``phoihop demo`` makes it (its school and the
    generated schools below the Sở), in a fresh folder and interpreter."""
    import subprocess
    import tempfile

    from phoihop.cli.server import DEMO_PROVINCE_SCHOOLS

    with tempfile.TemporaryDirectory(prefix="phoihop-bench-backup-") as folder:
        env = dict(os.environ, PHOIHOP_VAR_DIR=folder, DATABASE_URL="")
        made = subprocess.run(
            [sys.executable, "-m", "phoihop", "demo", "--no-serve"],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if made.returncode != 0:
            raise RuntimeError(f"phoihop demo failed: {made.stderr.strip()[-2000:]}")
        database = Path(folder) / "phoihop.sqlite3"
        size = database.stat().st_size
        done = subprocess.run(
            [sys.executable, "-c", _BACKUP_IN_CHILD],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        {
            "name": "backup.s",
            "value": round(result["s"], 3),
            "unit": "s",
            "data": f"create_backup of the demo database ({DEMO_PROVINCE_SCHOOLS} generated "
            f"schools, SQLite {size / 2**20:.1f} MB, {result['files']} evidence files) into a "
            f"{result['bytes'] / 2**20:.1f} MB archive, median of 3; {machine()}",
        }
    ]


SUITES["backup"] = bench_backup
