"""PDF and page images in: the text layer read with its layout, scans and photos through OCR, and
hostile files refused with one Vietnamese sentence."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import zlib
from functools import cache

import pytest

from phoihop.core.importing import ImportFailure, import_bytes, isolation, ocr
from phoihop.core.importing.fixtures import text_to_docx
from phoihop.core.importing.layout import Page, Run, read_pages
from phoihop.core.importing.scoring import read_source_text, score_document
from tests.seeds import SEEDS_DIR

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")
needs_ocr = pytest.mark.skipif(
    not ocr.ocr_available(), reason="Tesseract with its Vietnamese model is not installed"
)
SEED = "003_9ea251cba57b0f9a"


def _soffice_pdf(tmp_path, name: str, data: bytes, export: str = "pdf") -> bytes:
    src = tmp_path / name
    src.write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", export, "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (tmp_path / "out" / (src.stem + ".pdf")).read_bytes()


@cache
def _seed_pdf() -> bytes:
    import tempfile
    from pathlib import Path

    text = read_source_text(SEEDS_DIR / f"{SEED}.txt")
    with tempfile.TemporaryDirectory() as tmp:
        return _soffice_pdf(Path(tmp), "plan.docx", text_to_docx(text))


def _gold() -> dict:
    return json.loads((SEEDS_DIR / f"{SEED}.gold.json").read_text(encoding="utf-8"))


# -- layout, on positioned runs made by hand ---------------------------------------------------


def _run(x0, top, x1, text, height=12.0, conf=None):
    return Run(x0, top, x1, top + height, text, conf)


def test_lines_broken_by_the_page_width_are_joined_and_paragraphs_kept():
    page = Page(600, 800, [
        _run(90, 100, 510, "Nhà trường phối hợp với Công đoàn tổ chức hội nghị cán bộ, viên chức"),
        _run(90, 115, 300, "vào đầu năm học để bàn kế hoạch."),
        _run(90, 130, 505, "Ban đại diện cha mẹ học sinh họp với giáo viên chủ nhiệm ba lần"),
    ])  # fmt: skip
    lines = [ln.text for ln in read_pages([page])]
    assert lines == [
        "Nhà trường phối hợp với Công đoàn tổ chức hội nghị cán bộ, viên chức vào đầu năm học "
        "để bàn kế hoạch.",
        "Ban đại diện cha mẹ học sinh họp với giáo viên chủ nhiệm ba lần",
    ]


def test_a_line_starting_with_a_list_marker_is_never_joined_to_the_one_above():
    page = Page(600, 800, [
        _run(90, 100, 510, "Các tổ chức trong nhà trường thực hiện các nội dung phối hợp sau đây"),
        _run(90, 115, 100, "-"), _run(110, 115, 400, "Tuyên truyền pháp luật cho học sinh."),
    ])  # fmt: skip
    assert [ln.text for ln in read_pages([page])][1] == "- Tuyên truyền pháp luật cho học sinh."


def test_two_column_header_is_read_left_column_then_right_column():
    page = Page(600, 800, [
        _run(60, 50, 260, "PHÒNG GD&ĐT HUYỆN AN LẠC"),
        _run(320, 50, 560, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        _run(70, 65, 250, "TRƯỜNG THCS AN LẠC"),
        _run(350, 65, 530, "Độc lập - Tự do - Hạnh phúc"),
        _run(80, 90, 240, "Số: 12/KH-THCS"),
        _run(340, 90, 560, "An Lạc, ngày 5 tháng 9 năm 2025"),
        _run(250, 130, 350, "KẾ HOẠCH"),
    ])  # fmt: skip
    lines = [ln.text.strip() for ln in read_pages([page])]
    assert lines[:3] == ["PHÒNG GD&ĐT HUYỆN AN LẠC", "TRƯỜNG THCS AN LẠC", "Số: 12/KH-THCS"]
    assert lines[3:6] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "An Lạc, ngày 5 tháng 9 năm 2025",
    ]
    assert lines[6] == "KẾ HOẠCH"


def test_page_numbers_and_running_headers_are_removed_and_text_flows_across_pages():
    pages = []
    for n in range(3):
        pages.append(Page(600, 800, [
            _run(250, 20, 350, f"Kế hoạch phối hợp năm học 2025-2026 - trang {n + 1}", height=9),
            _run(90, 100, 510, f"Đoạn {n + 1} nói rằng nhà trường phối hợp chặt chẽ với các đoàn thể"),
            _run(90, 700, 510, "Nội dung này tiếp tục ở trang sau vì câu còn dài chưa kết thúc ở"),
            _run(295, 770, 305, str(n + 1), height=9),
        ]))  # fmt: skip
    text = "\n".join(ln.text for ln in read_pages(pages))
    assert "trang 1" not in text and "\n2\n" not in text and not text.endswith("3")
    assert "kết thúc ở Đoạn 2" in text


def test_ruled_table_becomes_one_row_per_line():
    rules = []
    for y in (100, 130, 175):
        rules.append((50, y, 550, y + 0.5))
    for x in (50, 90, 330, 450, 550):
        rules.append((x, 100, x + 0.5, 175))
    runs = [
        _run(55, 108, 80, "TT"), _run(95, 108, 300, "Nội dung"), _run(335, 108, 440, "Chủ trì"),
        _run(455, 108, 540, "Thời gian"),
        _run(55, 138, 80, "1"), _run(95, 138, 320, "Họp cha mẹ học sinh toàn trường"),
        _run(95, 152, 200, "đầu năm học"), _run(335, 138, 440, "Ban giám hiệu"),
        _run(455, 138, 540, "Tháng 9/2025"),
    ]  # fmt: skip
    lines = [ln.text for ln in read_pages([Page(600, 800, runs, rules)])]
    assert lines == [
        "| TT | Nội dung | Chủ trì | Thời gian |",
        "| 1 | Họp cha mẹ học sinh toàn trường đầu năm học | Ban giám hiệu | Tháng 9/2025 |",
    ]


# -- real PDFs ----------------------------------------------------------------------------------


@needs_soffice
def test_text_pdf_written_by_libreoffice_imports_like_its_source():
    plan = import_bytes(_seed_pdf(), "ke-hoach.pdf")
    score = score_document(_gold(), plan)
    assert plan["number"] == _gold()["number"] and plan["date"] == _gold()["date"]
    assert score.counts["commitments"].f1 >= 0.95
    assert score.counts["sections"].f1 >= 0.95
    assert score.counts["signers"].f1 == 1.0


def test_pdf_made_by_our_own_renderer_reads_back():
    pytest.importorskip("weasyprint")
    from phoihop.core.render.errors import RenderError
    from phoihop.core.render.pdf import render_pdf

    source = import_bytes((SEEDS_DIR / f"{SEED}.txt").read_bytes(), "plan.txt")
    try:
        data = render_pdf(source)
    except RenderError as exc:
        pytest.skip(str(exc))
    back = import_bytes(data, "plan.pdf")
    assert back["number"] == source["number"] and back["date"] == source["date"]
    assert [s["heading"] for s in back["sections"]] == [s["heading"] for s in source["sections"]]
    score = score_document(source, back)
    assert score.counts["commitments"].f1 >= 0.95


@needs_ocr
def test_scanned_pdf_is_read_through_ocr_and_marked_with_its_confidence():
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(_seed_pdf() if SOFFICE else _rendered_seed())
    images = []
    for n in range(2):
        image = pdf[n].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(0.8, resample=Image.BICUBIC, fillcolor=255)
        images.append(image.filter(ImageFilter.GaussianBlur(0.5)))
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    plan = import_bytes(buf.getvalue(), "ban-quet.pdf")
    assert plan["number"] == _gold()["number"]
    assert plan["date"] == _gold()["date"]
    assert any("OCR" in w for w in plan["warnings"])
    assert len(plan["commitments"]) >= 5
    assert all(0 <= c["confidence"] <= 1 for c in plan["commitments"])
    assert any(c["doubts"] for c in plan["commitments"] + plan["sections"])


def _rendered_seed() -> bytes:
    from phoihop.core.render.pdf import render_pdf

    return render_pdf(import_bytes((SEEDS_DIR / f"{SEED}.txt").read_bytes(), "plan.txt"))


@needs_ocr
def test_photo_of_a_page_is_read_through_ocr():
    from PIL import Image, ImageDraw, ImageFont

    font_path = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    try:
        font = ImageFont.truetype(font_path, 44)
    except OSError:
        pytest.skip("Liberation Serif is not installed")
    image = Image.new("L", (2000, 1200), 235)
    draw = ImageDraw.Draw(image)
    lines = ["KẾ HOẠCH", "Phối hợp với Trạm y tế năm học 2025 - 2026", "I. NỘI DUNG",
             "1. Trạm y tế khám sức khỏe cho học sinh 2 lần/năm học."]  # fmt: skip
    for n, line in enumerate(lines):
        draw.text((120, 120 + n * 90), line, fill=20, font=font)
    buf = io.BytesIO()
    image.rotate(-0.7, fillcolor=235).save(buf, format="JPEG", quality=80)
    plan = import_bytes(buf.getvalue(), "anh-chup.jpg")
    assert plan["doc_type"] == "ke_hoach"
    [item] = plan["commitments"]
    assert "y_te" in item["parties"]
    assert item["cadence"]["count"] == 2 and item["cadence"]["per"] == "school_year"


def test_missing_ocr_gives_a_clear_message(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    buf = io.BytesIO()
    Image.new("L", (300, 300), 255).save(buf, format="PNG")
    with pytest.raises(ImportFailure) as exc:
        import_bytes(buf.getvalue(), "trang.png")
    assert "Tesseract" in str(exc.value)


# -- hostile files ------------------------------------------------------------------------------


def _refused(data: bytes, name: str) -> str:
    with pytest.raises(ImportFailure) as exc:
        import_bytes(data, name)
    message = str(exc.value)
    assert "Traceback" not in message and message
    return message


@needs_soffice
def test_password_protected_pdf_is_refused(tmp_path):
    export = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"mat-khau"}}'
    )
    data = _soffice_pdf(tmp_path, "plan.txt", "KẾ HOẠCH\nI. NỘI DUNG\n".encode(), export)
    assert "mật khẩu" in _refused(data, "plan.pdf")


def test_truncated_pdf_is_refused():
    assert "PDF" in _refused(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "hong.pdf")


def test_file_named_pdf_that_is_not_a_pdf_is_refused():
    assert "không phải tệp PDF" in _refused(b"<html><body>KE HOACH</body></html>", "ke-hoach.pdf")


def test_jpeg_that_is_really_html_is_refused():
    assert "không phải là ảnh" in _refused(b"<html><script>alert(1)</script></html>", "a.jpg")


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pdf_with_too_many_pages_is_refused():
    count = 500
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count]  # fmt: skip
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    assert "giới hạn là 200 trang" in _refused(_pdf(objects), "nhieu-trang.pdf")


def test_pdf_whose_content_inflates_beyond_the_memory_cap_is_refused(monkeypatch):
    # 400 MB of text operators compressed to about 0.4 MB; the child is capped at 300 MB.
    monkeypatch.setattr(isolation, "DEFAULT_MEMORY", 300 * 1024 * 1024)
    compressor = zlib.compressobj(9)
    chunk = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * 32768
    stream = b"".join(compressor.compress(chunk) for _ in range(400))
    stream += compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    message = _refused(_pdf(objects), "bom.pdf")
    assert "bộ nhớ" in message or "giây" in message or "PDF" in message


def test_image_declaring_huge_dimensions_is_refused_as_too_large():
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
    png += chunk(b"IEND", b"")
    assert "quá lớn" in _refused(png, "trang.png")


# -- list markers misread by OCR ----------------------------------------------------------------


def _marker_page(lines: list[tuple[str, str]]) -> Page:
    runs = []
    for n, (marker, text) in enumerate(lines):
        top = 100 + n * 60
        runs.append(Run(100, top, 100 + 12 * len(marker), top + 40, marker, 0.3))
        runs.append(Run(250, top, 1800, top + 40, text, 0.95))
    return Page(2480, 3508, runs)


def test_ocr_list_markers_are_read_again_from_their_place_in_the_sequence():
    page = _marker_page([
        ("B.", "NỘI DUNG"),
        ("l.._", "PHỐI HỢP VỚI CÁC LỰC LƯỢNG TRONG NHÀ TRƯỜNG"),
        ("EIẾ", "Giữa nhà trường với công đoàn cơ sở"),
        ("VQ", "Giữa nhà trường với tổ chức Đoàn, Đội"),
        ("3:", "Giữa giáo viên chủ nhiệm với cha mẹ học sinh"),
        ("5;", "Giữa nhà trường với trạm y tế"),
        ("Il.", "PHỐI HỢP VỚI CÁC TỔ CHỨC NGOÀI NHÀ TRƯỜNG"),
        ("lỗ", "Tham mưu với Ủy ban nhân dân phường"),
        ("‹", "Tuyên truyền pháp luật cho học sinh"),
    ])  # fmt: skip
    ocr.repair_markers([page])
    markers = [r.text for r in sorted(page.runs, key=lambda r: (r.top, r.x0)) if r.x0 == 100]
    assert markers == ["B.", "I.", "1.", "2.", "3.", "4.", "II.", "1.", "-"]


def test_a_speck_before_a_wrapped_line_is_not_a_dash():
    page = Page(
        2480, 3508, [Run(100, 100, 104, 104, ".", 0.2), Run(250, 90, 1800, 130, "luật.", 0.9)]
    )
    ocr.repair_markers([page])
    assert [r.text for r in page.runs if r.x0 == 100] == [""]


def test_stray_marks_between_an_ocr_marker_and_its_heading_are_dropped():
    assert ocr.tidy_line("B. . NỘI DUNG") == "B. NỘI DUNG"
    assert ocr.tidy_line("V. — Đối với doanh nghiệp") == "V. Đối với doanh nghiệp"
    assert ocr.tidy_line("Nhà trường - Công đoàn") == "Nhà trường - Công đoàn"


def test_ocr_specks_far_smaller_than_letters_are_not_words():
    tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    tsv += "5\t1\t1\t1\t1\t1\t100\t100\t3\t3\t27\t_„\n"
    tsv += "5\t1\t2\t1\t1\t1\t400\t90\t300\t40\t96\tĐảng ủy\n"
    assert [r.text for r in ocr.tsv_page(tsv, 2480, 3508).runs] == ["Đảng ủy"]


def test_signature_cell_starting_before_the_middle_is_still_its_own_column():
    page = Page(600, 800, [
        _run(60, 100, 540, "Trong quá trình thực hiện, các bên trao đổi để cùng giải quyết kịp thời."),
        _run(60, 130, 120, "Nơi nhận:"), _run(280, 130, 420, "TM. BAN THƯỜNG VỤ"),
        _run(60, 145, 250, "- Phòng GD&ĐT huyện (b/c);"), _run(280, 145, 360, "CHỦ TỊCH"),
        _run(60, 160, 150, "- Lưu: VT."),
        _run(280, 200, 390, "Trần Thị Thu Hà"),
    ])  # fmt: skip
    lines = [ln.text for ln in read_pages([page])]
    assert lines[1:4] == ["Nơi nhận:", "- Phòng GD&ĐT huyện (b/c);", "- Lưu: VT."]
    assert [ln.strip() for ln in lines[4:]] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Trần Thị Thu Hà"]
