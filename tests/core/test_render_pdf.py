"""The HTML page behind the PDF, and the PDF writer's errors when its dependencies are missing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from phoihop.core.render import RenderError
from phoihop.core.render.html import render_html
from phoihop.core.render.pdf import find_font_files, render_pdf

PLAN = {
    "doc_type": "ke_hoach",
    "title": "KẾ HOẠCH Phối hợp năm học 2025-2026",
    "issuer": "Trường THCS B phường Tiên Sơn",
    "number": "89/KH-THCSBTS",
    "date": "2025-09-18",
    "place": "Tiên Sơn",
    "sections": [{"path": "I", "heading": "I. MỤC ĐÍCH", "level": 1}],
    "commitments": [{"section": "I", "text": "Họp <định kỳ> & báo cáo.", "parties": ["lanh_dao"]}],
    "recipients": [{"text": "Lưu: VT.", "purpose": "luu"}],
    "signers": [{"authority": None, "title": "HIỆU TRƯỞNG", "name": "Bùi Thanh Hà"}],
}


def test_html_has_the_page_and_header_elements():
    page = render_html(PLAN)
    assert "size:210mm 297mm" in page and "margin:20mm 15mm 20mm 30mm" in page
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 89/KH-THCSBTS",
        "Tiên Sơn, ngày 18 tháng 9 năm 2025",
        "Nơi nhận:",
    ):
        assert text in page


def test_html_escapes_text_and_fetches_nothing():
    page = render_html(PLAN)
    assert "Họp &lt;định kỳ&gt; &amp; báo cáo." in page
    assert "http://" not in page and "https://" not in page


def test_html_embeds_the_given_local_font(tmp_path: Path):
    font = tmp_path / "LiberationSerif-Regular.ttf"
    font.write_bytes(b"")
    page = render_html(PLAN, font_files={"regular": font})
    assert f"src:url('{font.resolve().as_uri()}')" in page


def test_find_font_files_needs_all_four_faces(tmp_path: Path):
    for name in (
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
    ):
        (tmp_path / name).write_bytes(b"")
    assert find_font_files((tmp_path,)) is None
    (tmp_path / "LiberationSerif-BoldItalic.ttf").write_bytes(b"")
    assert set(find_font_files((tmp_path,)) or {}) == {"regular", "bold", "italic", "bolditalic"}


@pytest.mark.skipif(
    importlib.util.find_spec("weasyprint") is not None, reason="WeasyPrint installed"
)
def test_pdf_without_weasyprint_says_what_to_install():
    with pytest.raises(RenderError, match="WeasyPrint"):
        render_pdf(PLAN)


def test_html_of_a_draft_has_the_boxed_mark_first():
    page = render_html(PLAN, draft=True)
    body = page.split("<body>", 1)[1]
    assert body.startswith('<p class="draft_mark"><span>DỰ THẢO</span></p>')
    assert "draft_mark" not in render_html(PLAN).split("<body>", 1)[1]
