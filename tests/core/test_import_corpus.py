"""The realistic corpus of issue 11: text PDFs printed by LibreOffice, scans of them, font-damaged
text and plans written as tables — the generators are deterministic, the scans really are images,
the damage is the share and the kind we say, the table plans are real Word/HTML tables."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest

from phoihop.core.importing import fixtures
from phoihop.core.importing.fixtures import (
    SCAN_ROTATION,
    damage_fonts,
    parse_plan_description,
    pdf_to_page_images,
    pdf_to_scan,
    plan_table_docx,
    plan_table_html,
    scan_pages,
    text_to_pdf,
)
from phoihop.core.importing.scoring import (
    SOURCE_EXTENSIONS,
    format_forms,
    score_files,
    score_inputs,
)

DATA = Path(__file__).resolve().parents[1] / "data"
HOLDOUT = DATA / "holdout"
TABLES = DATA / "tables"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None, reason="poppler-utils (pdftoppm) is not installed"
)


def texts() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(HOLDOUT.glob("*.txt"))]


def changed_share(original: str, damaged: str) -> float:
    a, b = original.split(), damaged.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return 1 - kept / len(a)


# -- font damage ---------------------------------------------------------------------------------


def test_damage_is_deterministic_by_seed():
    _name, text = texts()[0]
    assert damage_fonts(text, seed=3) == damage_fonts(text, seed=3)
    assert damage_fonts(text, seed=3) != damage_fonts(text, seed=4)


@pytest.mark.parametrize("name,text", texts())
def test_damage_touches_three_to_eight_percent_of_words(name, text):
    for seed in (0, 1, 2):
        share = changed_share(text, damage_fonts(text, seed=seed))
        assert 0.03 <= share <= 0.08, (name, seed, share)


@pytest.mark.parametrize("name,text", texts())
def test_damage_keeps_every_number_and_date(name, text):
    """Tokens with digits (document numbers, dates, counts like "02 lần/năm") and the words
    beside them are left alone, so "Số: 112/KH-THLN" and "ngày 23 tháng 9 năm 2024" survive."""
    damaged = damage_fonts(text, seed=5)

    def with_digits(t: str) -> Counter:
        return Counter(tok for tok in t.split() if any(c.isdigit() for c in tok))

    assert with_digits(damaged) == with_digits(text)
    for line in text.splitlines():
        if re.search(r"ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}", line):
            date = re.search(r"ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}", line).group()
            assert date in damaged


def test_damage_kinds_are_the_scars_of_real_documents():
    assert fixtures._hat_to_horn("CÔNG") == "CƠNG"
    assert fixtures._hat_to_horn("Độc") == "Đợc"
    assert fixtures._oa_collapse("ĐOÀN") == "ĐỒN"
    assert fixtures._stray_vni_mark("VỀ") == "VỀØ"
    assert fixtures._drop_u_horn("Trường") == "Trờng"
    assert fixtures._drop_u_horn("Chương") == "Chơng"
    assert fixtures._old_tone_place("hòa") == "hoà"
    assert fixtures._old_tone_place("thúy") == "thuý"
    assert fixtures._old_tone_place("quý") is None  # qu: the u belongs to the consonant
    assert fixtures._old_tone_place("hoàn") is None  # a final consonant: no old/new difference


def test_damage_glues_words_and_breaks_lines():
    text = (HOLDOUT / "th_cong_an_attgt.txt").read_text(encoding="utf-8")
    damaged = damage_fonts(text, seed=7)
    assert len(damaged.split()) < len(text.split())  # some words glued
    assert damaged.count("\n") > text.count("\n")  # some lines cut mid-sentence


# -- table plans ---------------------------------------------------------------------------------

PLANS = sorted(TABLES.glob("*.plan.txt"))


def grid_rows(description: str) -> list[list[str]]:
    grids = [rows for kind, rows in parse_plan_description(description) if kind == "grid"]
    assert len(grids) == 1
    return grids[0]


def test_there_are_at_least_four_table_plans_with_their_files():
    assert len(PLANS) >= 4
    for plan in PLANS:
        stem = plan.name[: -len(".plan.txt")]
        for ext in ("docx", "html", "gold.json"):
            assert (TABLES / f"{stem}.{ext}").exists(), (stem, ext)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_committed_table_files_are_what_the_generator_makes(plan):
    stem = plan.name[: -len(".plan.txt")]
    text = plan.read_text(encoding="utf-8")
    assert fixtures.pin_docx(plan_table_docx(text)) == (TABLES / f"{stem}.docx").read_bytes()
    assert plan_table_html(text) == (TABLES / f"{stem}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_table_plan_docx_holds_a_real_word_table_with_every_row(plan):
    stem = plan.name[: -len(".plan.txt")]
    rows = grid_rows(plan.read_text(encoding="utf-8"))
    xml = zipfile.ZipFile(TABLES / f"{stem}.docx").read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    plan_tables = [t for t in tables if t.count("<w:gridCol ") == 6]
    assert len(plan_tables) == 1
    table = plan_tables[0]
    assert len(re.findall(r"<w:tr[ >]", table)) == len(rows)
    assert "<w:tblHeader/>" in table  # the header row repeats on every page
    cell_text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", table))
    for row in rows:
        assert row[1].replace('"', "&quot;") in cell_text or row[1] in cell_text
    group_rows = [r for r in rows if len(r) < 6]
    assert table.count("<w:gridSpan ") == len(group_rows)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_table_plan_html_has_the_table_and_the_gold_has_one_item_per_row(plan):
    stem = plan.name[: -len(".plan.txt")]
    rows = grid_rows(plan.read_text(encoding="utf-8"))
    html = (TABLES / f"{stem}.html").read_text(encoding="utf-8")
    assert html.count("<tr>") >= len(rows)
    gold = json.loads((TABLES / f"{stem}.gold.json").read_text(encoding="utf-8"))
    items = {c["text"]: c for c in gold["commitments"]}
    activity_rows = [r for r in rows[1:] if len(r) == 6]
    for row in activity_rows:
        item = items[row[1]]
        assert item["parties"], row
        cadence = item["cadence"]
        if cadence is not None:
            assert cadence["text"] == row[4]
            window = cadence["window"]
            if window:
                assert re.fullmatch(r"\d{4}-\d{2}", window["start"])
                assert window["start"] <= window["end"]
                assert cadence["per"] == "once"
    assert {s["level"] for s in gold["sections"]} <= {1, 2}


def test_table_plans_score_with_the_scorer():
    report = score_files(TABLES, "html")
    assert len(report.documents) == len(PLANS)
    assert not [d.error for d in report.documents if d.error]


# -- PDF, scans, photos --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return text_to_pdf((HOLDOUT / "thcs_luom_thuom.txt").read_text(encoding="utf-8"))


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")


@needs_soffice
@needs_poppler
def test_text_pdf_is_deterministic_and_has_the_text(small_pdf, tmp_path):
    text = (HOLDOUT / "thcs_luom_thuom.txt").read_text(encoding="utf-8")
    assert small_pdf.startswith(b"%PDF")
    assert text_to_pdf(text) == small_pdf  # dates and file ID pinned
    extracted = pdftotext(small_pdf, tmp_path)
    assert "KẾ HOẠCH" in extracted
    assert "Trương Quang Định" in extracted


@needs_soffice
@needs_poppler
def test_scan_has_no_text_layer_one_image_per_page(small_pdf, tmp_path):
    scan = pdf_to_scan(small_pdf, dpi=150, seed=1)
    assert scan.startswith(b"%PDF")
    assert pdftotext(scan, tmp_path).strip() == ""
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    src = tmp_path / "src.pdf"
    src.write_bytes(small_pdf)
    info = subprocess.run(["pdfinfo", str(src)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert len(listing) == pages
    assert all(" jpeg " in line and " gray " in line for line in listing)


@needs_soffice
@needs_poppler
def test_scan_is_deterministic_by_seed(small_pdf):
    a = pdf_to_scan(small_pdf, dpi=100, seed=2, max_pages=1)
    assert a == pdf_to_scan(small_pdf, dpi=100, seed=2, max_pages=1)
    assert a != pdf_to_scan(small_pdf, dpi=100, seed=3, max_pages=1)


def measured_skew(image) -> float:
    """The skew of a page image by projection profiles: the angle that, undone, makes the text
    lines sharpest (largest variance of the row means)."""
    from PIL import Image

    small = image.resize((image.width // 2, image.height // 2))
    best, best_score = 0.0, -1.0
    for step in range(-40, 41):
        angle = step / 20
        straight = small.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        rows = list(straight.resize((1, straight.height), Image.Resampling.BOX).tobytes())
        mean = sum(rows) / len(rows)
        score = sum((v - mean) ** 2 for v in rows)
        if score > best_score:
            best, best_score = angle, score
    return best


@needs_soffice
@needs_poppler
def test_scan_rotation_is_slight_and_really_applied(small_pdf):
    pages = scan_pages(small_pdf, dpi=100, seed=4)
    low, high = SCAN_ROTATION
    for page in pages:
        assert low <= abs(page.angle) <= high
    page = pages[0]
    assert abs(measured_skew(page.image) - page.angle) <= 0.2
    straight = scan_pages(small_pdf, dpi=100, seed=4, rotate_deg=0.0)[0]
    assert abs(measured_skew(straight.image)) <= 0.1


@needs_soffice
@needs_poppler
def test_page_photos_are_images_of_every_page(small_pdf):
    from PIL import Image

    photos = pdf_to_page_images(small_pdf, dpi=100, seed=1)
    assert photos == pdf_to_page_images(small_pdf, dpi=100, seed=1)
    for data in photos:
        assert data[:3] == b"\xff\xd8\xff"
        with Image.open(BytesIO(data)) as img:
            assert img.mode == "RGB" and img.width > 700

    # The keystone keeps the page the right way up: the photo looks like the clean page far
    # more than like the page turned over or mirrored.
    from PIL import ImageChops, ImageOps

    clean = fixtures.rasterise(small_pdf, dpi=100, max_pages=1)[0].resize((60, 85))
    with Image.open(BytesIO(photos[0])) as img:
        photo = ImageOps.autocontrast(img.convert("L").resize((60, 85)))

    def distance(a, b) -> int:
        return sum(ImageChops.difference(a, b).tobytes())

    upright = distance(photo, clean)
    assert upright < distance(photo, clean.rotate(180))
    assert upright < distance(photo, ImageOps.mirror(clean))


def test_missing_programs_raise_tool_missing(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(fixtures.ToolMissing):
        fixtures.docx_to_pdf(b"")
    with pytest.raises(fixtures.ToolMissing):
        fixtures.rasterise(b"%PDF-1.4")


# -- scoring and the benchmark -------------------------------------------------------------------


def test_gold_folders_may_hold_pdf_and_image_sources():
    for ext in (".pdf", ".png", ".jpg", ".jpeg"):
        assert ext in SOURCE_EXTENSIONS
    assert SOURCE_EXTENSIONS[0] == ".txt"


def test_an_input_that_cannot_be_read_is_an_error_of_that_document_only():
    gold = sorted(HOLDOUT.glob("*.gold.json"))[:2]

    def broken():
        raise RuntimeError("no reader")

    report = score_inputs(
        [
            (gold[0], "a", broken),
            (
                gold[1],
                "b",
                lambda: (gold[1].with_suffix("").with_suffix(".txt").read_bytes(), "b.txt"),
            ),
        ],
        "pdf",
    )
    assert report.documents[0].error == "RuntimeError: no reader"
    assert report.documents[1].error is None
    table = format_forms({"pdf": report})
    assert table.splitlines()[0].split()[:4] == ["form", "docs", "err", "sect"]
    assert "pdf" in table


def test_corpus_cache_makes_each_input_once(tmp_path):
    from phoihop.bench import CorpusCache

    cache = CorpusCache(tmp_path)
    calls = []
    make = lambda: calls.append(1) or b"%PDF-x"  # noqa: E731
    assert cache.get("pdf", "text", "p", make) == b"%PDF-x"
    assert cache.get("pdf", "text", "p", make) == b"%PDF-x"
    assert cache.get("pdf", "text", "q", make) == b"%PDF-x"
    assert len(calls) == 2


def test_forms_without_their_programs_are_skipped_with_a_line(monkeypatch, tmp_path, capsys):
    from phoihop import bench

    monkeypatch.setattr(bench, "_missing_tools", lambda: {"soffice"})
    forms = bench.corpus_forms(bench.CorpusCache(tmp_path))
    assert "pdf" not in forms and "scan" not in forms and "damaged" in forms
    assert "soffice" in capsys.readouterr().out
    monkeypatch.setattr(bench, "_missing_tools", lambda: {"tesseract"})
    forms = bench.corpus_forms(bench.CorpusCache(tmp_path))
    assert "pdf" in forms and "scan" not in forms
