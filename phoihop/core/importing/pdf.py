"""PDF → text: the text layer where there is one, OCR of the page image where there is not.

Read with pypdfium2 (Google's PDFium, the engine of Chromium's viewer, with wheels that carry the
library): it is fast (a 5-page plan in a few milliseconds), reads the broken and non-conforming
PDFs that school scanners and old Word versions write, gives each run of text with its position
(what ``layout`` needs to rebuild columns, paragraphs and tables), draws pages to bitmaps for OCR,
and says when a file is password-protected. pdfminer.six/pdfplumber read positions too but are
pure Python (tens of times slower) and cannot render a scanned page.

The file is untrusted: it is opened in an isolated child process with a memory cap and a deadline
(``isolation``), page count and page size are bounded before anything is drawn, and only plain data
(runs, rules, paths of rendered page images) comes back.
"""

from __future__ import annotations

import os

from phoihop.core.i18n import _

from .errors import ImportFailure
from .isolation import run_isolated
from .layout import Page, Run, TextLine, read_pages

MAX_PAGES = 200
MAX_SCANNED_PAGES = 30
# Largest page drawn for OCR: A3 at 300 dpi is about 17.4 M pixels.
MAX_RENDER_PIXELS = 40_000_000
OCR_DPI = 300
# A page with fewer letters than this in its text layer is treated as a scan.
_MIN_PAGE_LETTERS = 20


def pdf_lines(data: bytes, filename: str, tmpdir: str) -> tuple[list[TextLine], list[str]]:
    """The PDF's lines in reading order and notes about how they were read.

    Scanned pages are drawn into ``tmpdir`` and read by OCR (``ocr``); a PDF mixing typed and
    scanned pages is read page by page, each the way it needs.
    """
    raw_pages = run_isolated(_read, data, tmpdir, what="PDF")
    notes: list[str] = []
    scanned = [n for n, p in enumerate(raw_pages) if p["image"]]
    if len(scanned) > MAX_SCANNED_PAGES:
        raise ImportFailure(
            _("Tệp PDF quét có %(pages)s trang; chỉ đọc được bằng OCR tối đa %(limit)s trang.")
            % {"pages": len(scanned), "limit": MAX_SCANNED_PAGES}
        )
    pages: list[Page] = []
    if scanned:
        from .ocr import ocr_images

        images = [raw_pages[n]["image"] for n in scanned]
        results = ocr_images(images, dpi=OCR_DPI)
        for n, page in zip(scanned, results, strict=True):
            raw_pages[n]["ocr"] = page
        notes.append(
            _(
                "%(count)s trang là ảnh quét, đã đọc bằng nhận dạng chữ (OCR): hãy soát lại các dòng được đánh dấu."
            )
            % {"count": len(scanned)}
        )
    for raw in raw_pages:
        if raw.get("ocr") is not None:
            pages.append(raw["ocr"])
        else:
            pages.append(
                Page(
                    raw["width"],
                    raw["height"],
                    [Run(*r) for r in raw["runs"]],
                    [tuple(r) for r in raw["rules"]],
                )
            )
    lines = read_pages(pages)
    if not any(ln.text.strip() for ln in lines):
        raise ImportFailure(
            _("Không tìm thấy chữ nào đọc được trong tệp %(name)s.") % {"name": filename}
        )
    return lines, notes


def _read(data: bytes, tmpdir: str) -> list[dict]:
    """In the isolated child: every page's runs and rules, or the path of its rendered image."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise ImportFailure(
                _(
                    "Tệp PDF được đặt mật khẩu (mã hóa) nên không đọc được. Hãy gỡ mật khẩu hoặc "
                    "lưu lại bản không mã hóa rồi nhập lại."
                )  # fmt: skip
            ) from exc
        raise ImportFailure(_("Tệp PDF bị hỏng hoặc không đầy đủ, không mở được.")) from exc
    count = len(pdf)
    if count == 0:
        raise ImportFailure(_("Tệp PDF không có trang nào."))
    if count > MAX_PAGES:
        raise ImportFailure(
            _("Tệp PDF có %(pages)s trang; giới hạn là %(limit)s trang.")
            % {"pages": count, "limit": MAX_PAGES}
        )
    out = []
    scanned = 0
    for index in range(count):
        page = pdf[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        runs = _char_runs(textpage, height)
        letters = sum(1 for r in runs for ch in r[4] if ch.isalpha())
        image = None
        if letters < _MIN_PAGE_LETTERS and _has_image(page, pdfium_c):
            scanned += 1
            if scanned > MAX_SCANNED_PAGES:
                raise ImportFailure(
                    _(
                        "Tệp PDF quét có hơn %(limit)s trang; chỉ đọc được bằng OCR tối đa %(limit)s trang."
                    )
                    % {"limit": MAX_SCANNED_PAGES}
                )
            scale = OCR_DPI / 72
            if width * height * scale * scale > MAX_RENDER_PIXELS:
                scale = (MAX_RENDER_PIXELS / (width * height)) ** 0.5
            if scale < 100 / 72:
                raise ImportFailure(
                    _("Trang %(page)s của tệp PDF có khổ quá lớn để nhận dạng chữ.")
                    % {"page": index + 1}
                )
            bitmap = page.render(scale=scale, grayscale=True)
            image = os.path.join(tmpdir, f"page-{index + 1:03d}.png")
            bitmap.to_pil().save(image)
            runs = []
        out.append(
            {
                "width": width,
                "height": height,
                "runs": runs,
                "rules": [] if image else _rules(page, pdfium_c),
                "image": image,
            }
        )
        textpage.close()
        page.close()
    pdf.close()
    return out


def _char_runs(textpage, page_height: float) -> list[list]:
    """Runs of characters drawn one after the other on one baseline, from each character's box.

    Built from characters rather than PDFium's text rectangles: a rectangle's text is read by
    position, so the dot or accent of a letter on the line above comes with it.
    """
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: no index-to-character mapping
        text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
    runs: list[list] = []
    current: list | None = None
    for i, ch in enumerate(text):
        if ch in "\x02\ufffe" and current is not None:
            # PDFium marks a hyphen that ends a line; Vietnamese does not hyphenate syllables,
            # so it is a real hyphen of a compound (DS-KHHGĐ)
            current[4] += "-"
            continue
        if ch in "\r\n\x02\ufffe":
            current = None
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        if right - left <= 0 and top - bottom <= 0:  # a generated space has no box
            if current is not None:
                current[4] += ch
            continue
        y0, y1 = page_height - top, page_height - bottom
        if current is not None:
            height = max(current[3] - current[1], y1 - y0, 1.0)
            same_line = abs((current[1] + current[3]) / 2 - (y0 + y1) / 2) < 0.5 * height
            near = -0.5 * height <= left - current[2] <= 1.2 * height
            if ch.isspace() or (same_line and near):
                if not ch.isspace():
                    current[0] = min(current[0], left)
                    current[1] = min(current[1], y0)
                    current[2] = max(current[2], right)
                    current[3] = max(current[3], y1)
                current[4] += ch
                continue
        current = [left, y0, right, y1, ch, None]
        runs.append(current)
    return [r for r in runs if r[4].strip()]


def _has_image(page, pdfium_c) -> bool:
    return any(True for _obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4))


def _rules(page, pdfium_c) -> list[list[float]]:
    """Thin drawn segments (table borders); a stroked rectangle counts as its four sides."""
    height = page.get_height()
    out = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        y0, y1 = height - top, height - bottom
        if w <= 2.5 or h <= 2.5:
            out.append([left, y0, right, y1])
        elif w > 15 and h > 5:
            out += [
                [left, y0, right, y0],
                [left, y1, right, y1],
                [left, y0, left, y1],
                [right, y0, right, y1],
            ]
        if len(out) > 20000:
            break
    return out
