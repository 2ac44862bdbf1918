"""Realistic input files made from a plan's plain text, for tests and the benchmark.

``text_to_docx`` writes the kind of Word file schools exchange: list markers ("I.", "1.", "a)",
dashes, "Điều 1.") turned into *real* Word numbering — abstractNum/num definitions in
``numbering.xml`` and ``numPr`` on the paragraphs, so the numbers are not in the text —, heading
styles for the parts, the number/date header and the recipients/signature block as two-column
tables (Decree 30 layout). The legacy-encoding and NFD variants are one-liners over
``encodings``; they live here so every caller makes them the same way.

The rest makes the other shapes a real plan arrives in (issue 11's corpus): the text PDF a school
prints (``text_to_pdf``), the scan of it (``pdf_to_scan``) or a phone photo of each page
(``pdf_to_page_images``), the text scarred by pre-Unicode fonts (``damage_fonts``), and plans whose
content is one table (``plan_table_docx`` / ``plan_table_html``, from tests/data/tables). Every
generator is deterministic: the same input and seed give the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from .encodings import encode_tcvn3, encode_vni
from .structure import detect_marker
from .text import clean_line, fold, is_upper_text

_FORMATS = {
    "roman": "upperRoman",
    "arabic": "decimal",
    "upper": "upperLetter",
    "lower": "lowerLetter",
    "bullet": "bullet",
    "bullet2": "bullet",
    "dieu": "decimal",
}


def _roman_ordinal(kind: str, label: str) -> int:
    from .structure import _ordinal

    return _ordinal(kind, label)


def text_to_docx(text: str) -> bytes:
    """A .docx rendering of ``text`` with Word automatic numbering, headings and tables."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    numbering = doc.part.numbering_part.element
    lists: dict[tuple[str, str], dict] = {}
    next_abstract = [900]
    next_num = [900]

    def new_num(abstract_id: int, start: int | None) -> int:
        num_id = next_num[0]
        next_num[0] += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(abstract_id))
        num.append(ref)
        if start is not None:
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            so = OxmlElement("w:startOverride")
            so.set(qn("w:val"), str(start))
            override.append(so)
            num.append(override)
        numbering.append(num)
        return num_id

    def list_for(kind: str, sep: str) -> dict:
        key = (kind, sep)
        if key in lists:
            return lists[key]
        abstract_id = next_abstract[0]
        next_abstract[0] += 1
        an = OxmlElement("w:abstractNum")
        an.set(qn("w:abstractNumId"), str(abstract_id))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, val in (
            ("w:start", "1"),
            ("w:numFmt", _FORMATS[kind]),
            ("w:lvlText", _lvl_text(kind, sep)),
            ("w:lvlJc", "left"),
        ):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        an.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            numbering.append(an)
        entry = {"abstract": abstract_id, "num": None, "next": 1}
        lists[key] = entry
        return entry

    def add_numbered(para_text: str, kind: str, sep: str, ordinal: int, style: str | None):
        entry = list_for(kind, sep)
        if entry["num"] is None or (kind not in ("bullet", "bullet2") and ordinal != entry["next"]):
            entry["num"] = new_num(entry["abstract"], ordinal if ordinal != 1 else 1)
            entry["next"] = ordinal
        entry["next"] += 1
        p = doc.add_paragraph(para_text, style=style)
        p_pr = p._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        num_id = OxmlElement("w:numId")
        num_id.set(qn("w:val"), str(entry["num"]))
        num_pr.append(ilvl)
        num_pr.append(num_id)
        p_pr.append(num_pr)
        return p

    lines = [clean_line(raw) for raw in text.splitlines()]
    header_cells: list[str] = []
    # Decree 30 header: number (left) and place/date (right) in a borderless two-column table.
    body_lines: list[tuple[str, bool]] = []
    for line, md in lines:
        folded = fold(line)
        if not header_cells and not body_lines and re.match(r"^so\s*:", folded):
            header_cells.append(line)
            continue
        if len(header_cells) == 1 and not body_lines and re.search(r"ngay\s+\d", folded):
            header_cells.append(line)
            continue
        body_lines.append((line, md))
    if header_cells:
        table = doc.add_table(rows=1, cols=2)
        for n, cell_text in enumerate(header_cells[:2]):
            table.rows[0].cells[n].text = cell_text

    # The closing block (Nơi nhận + signatures) goes into a two-column table.
    tail_start = len(body_lines)
    for n, (line, _md) in enumerate(body_lines):
        if re.match(r"^n[oơ]i nh[aậ]n", line, re.IGNORECASE) or _is_signature_line(line):
            tail_start = n
            break
    main, tail = body_lines[:tail_start], body_lines[tail_start:]

    for line, md in main:
        if not line:
            continue
        kind, label, body = detect_marker(line)
        if kind in ("phan", "chuong"):
            doc.add_heading(line, level=1)
        elif kind in _FORMATS and label:
            sep = _separator(line, label, kind)
            style = None
            if kind in ("upper", "roman") and (is_upper_text(body) or md):
                style = "Heading 2"
            elif md:
                style = "Heading 3"
            ordinal = _roman_ordinal(kind, label) if kind not in ("bullet", "bullet2") else 1
            if kind == "dieu":
                add_numbered(body, kind, ".", ordinal, "Heading 3")
            else:
                add_numbered(body, kind, sep, ordinal, style)
        elif md and is_upper_text(line) and len(line.split()) <= 4:
            doc.add_heading(line, level=1)
        else:
            doc.add_paragraph(line)

    if tail:
        left = [ln for ln, _ in tail if _in_recipients(ln, tail)]
        right = [ln for ln, _ in tail if ln and ln not in left]
        table = doc.add_table(rows=1, cols=2)
        left_cell, right_cell = table.rows[0].cells
        _fill(left_cell, left)
        _fill(right_cell, right)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _lvl_text(kind: str, sep: str) -> str:
    if kind in ("bullet", "bullet2"):
        return "-" if kind == "bullet" else "+"
    if kind == "dieu":
        return "Điều %1."
    return f"%1{sep}"


def _separator(line: str, label: str, kind: str) -> str:
    if kind in ("bullet", "bullet2"):
        return ""
    rest = line[len(label) :].lstrip()
    return rest[:1] if rest[:1] in ".)-–:" else "."


def _is_signature_line(line: str) -> bool:
    # "Q." needs its dot: a bare Q is the first letter of "QUY CHẾ", the title of a quy chế.
    authority = re.match(r"^\s*(?:(?:T\s*/\s*M|TM|KT)\s*[./]?|Q\s*[./])\s*[A-ZĐ]", line)
    return bool(authority) and is_upper_text(line)


def _in_recipients(line: str, tail: list[tuple[str, bool]]) -> bool:
    """Lines of the "Nơi nhận" block: its title and the dash lines right after it."""
    in_block = False
    for ln, _ in tail:
        if re.match(r"^n[oơ]i nh[aậ]n", ln, re.IGNORECASE):
            in_block = True
            if ln == line:
                return True
            continue
        if in_block:
            if not ln:
                continue
            if ln.startswith(("-", "–", "+", "•")) or re.match(r"^lưu\b", ln, re.IGNORECASE):
                if ln == line:
                    return True
                continue
            in_block = False
    return False


def _fill(cell, lines: list[str]) -> None:
    lines = [ln for ln in lines if ln]
    if not lines:
        return
    cell.text = lines[0]
    for ln in lines[1:]:
        cell.add_paragraph(ln)


def to_tcvn3(text: str) -> bytes:
    return encode_tcvn3(text)


def to_vni(text: str) -> bytes:
    return encode_vni(text)


def to_nfd(text: str) -> bytes:
    return unicodedata.normalize("NFD", text).encode("utf-8")


def transform_docx(text: str, stem: str) -> tuple[bytes, str]:
    """Scorer source transform: the seed as a Word file with real numbering."""
    return text_to_docx(text), f"{stem}.docx"


def transform_tcvn3(text: str, stem: str) -> tuple[bytes, str]:
    return to_tcvn3(text), f"{stem}.txt"


def transform_vni(text: str, stem: str) -> tuple[bytes, str]:
    return to_vni(text), f"{stem}.txt"


def transform_nfd(text: str, stem: str) -> tuple[bytes, str]:
    return to_nfd(text), f"{stem}.txt"


VARIANTS = {
    "docx": transform_docx,
    "tcvn3": transform_tcvn3,
    "vni": transform_vni,
    "nfd": transform_nfd,
}


# -- PDF, scans and page photos ------------------------------------------------------------------
#
# What a school's website actually offers is rarely the Word file: it is the PDF Word or
# LibreOffice printed, or a scan of the signed paper. These generators make both from a plan's
# text so the importer can be measured on them against the same annotation. They shell out to
# LibreOffice (DOCX → PDF) and poppler's ``pdftoppm`` (PDF → page images): both are system
# packages the Makefile installs; ``ToolMissing`` tells the caller to skip when one is absent.


class ToolMissing(RuntimeError):
    """A system program a generator needs (``soffice``, ``pdftoppm``) is not installed."""


def _tool(*names: str) -> str:
    import shutil

    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing(f"{names[0]} is not installed")


_OFFLINE: list[list[str]] = []


def _offline_prefix() -> list[str]:
    """``unshare -rn`` when this machine allows it: LibreOffice then runs with no network at all
    (it fetches nothing a document asks for). Probed once per process."""
    import shutil
    import subprocess

    if not _OFFLINE:
        prefix: list[str] = []
        unshare = shutil.which("unshare")
        if unshare:
            try:
                done = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10)
                if done.returncode == 0:
                    prefix = [unshare, "-rn"]
            except (OSError, subprocess.SubprocessError):
                prefix = []
        _OFFLINE.append(prefix)
    return _OFFLINE[0]


def school_page_setup(docx_bytes: bytes) -> bytes:
    """The page a school prints on: A4, Times New Roman 13 pt, 2 cm/3 cm margins (Decree 30),
    and a page number in the footer, which the PDF reader has to drop again."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document(io.BytesIO(docx_bytes))
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = "Times New Roman"
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "Times New Roman")
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attr), None)
        style.font.size = Pt(13 if name == "Normal" else 14)
        style.paragraph_format.space_after = Pt(3)
        if name == "Normal":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        else:
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.paragraph_format.space_before = Pt(6)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_to_pdf(docx_bytes: bytes, timeout: float = 180) -> bytes:
    """Convert a .docx to PDF with LibreOffice headless, as a school's "Save as PDF" would.

    A private LibreOffice profile per call (two conversions at once must not share and lock one),
    no network when ``unshare`` allows it, and the PDF's creation date and ID pinned so the same
    document always gives the same bytes (the benchmark caches by content).
    """
    import subprocess
    import tempfile
    from pathlib import Path

    soffice = _tool("soffice", "libreoffice")
    with tempfile.TemporaryDirectory(prefix="phoihop-pdf-") as tmp:
        source = Path(tmp) / "plan.docx"
        source.write_bytes(docx_bytes)
        command = [
            *_offline_prefix(), soffice, "--headless", "--norestore",
            f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
            "--convert-to", "pdf", "--outdir", tmp, str(source),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, timeout=timeout)
        target = Path(tmp) / "plan.pdf"
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(
                f"LibreOffice could not convert the document: {done.stderr.decode(errors='replace')}"
            )
        return _pin_pdf(target.read_bytes())


def _pin_pdf(pdf: bytes) -> bytes:
    """Overwrite the volatile parts of a LibreOffice PDF (dates, file ID) in place, same length,
    so the cross-reference offsets stay valid."""
    import hashlib

    def same_length(match: re.Match[bytes], fill: bytes) -> bytes:
        return match.group(1) + (fill * len(match.group(2)))[: len(match.group(2))] + match.group(3)

    pdf = re.sub(
        rb"(/(?:CreationDate|ModDate)\s*\(D:)([^)]*)(\))",
        lambda m: same_length(m, b"20250101000000"),
        pdf,
    )
    file_id = re.compile(rb"/ID\s*\[[^\]]*\]")
    checksum = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)()")
    digest = hashlib.sha256(checksum.sub(b"", file_id.sub(b"", pdf))).hexdigest().upper().encode()
    pdf = checksum.sub(lambda m: same_length(m, digest), pdf)
    return file_id.sub(
        lambda ids: re.sub(rb"(<)([0-9A-Fa-f]+)(>)", lambda m: same_length(m, digest), ids.group()),
        pdf,
    )


def text_to_pdf(text: str) -> bytes:
    """The plan as the text PDF a school publishes: ``text_to_docx`` laid out on the school's page
    (``school_page_setup``) and printed to PDF by LibreOffice."""
    return docx_to_pdf(school_page_setup(text_to_docx(text)))


def rasterise(pdf: bytes, dpi: int = 200, max_pages: int | None = None) -> list:
    """The pages of ``pdf`` (the first ``max_pages`` if given) as greyscale Pillow images at
    ``dpi``, by poppler's ``pdftoppm``."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    pdftoppm = _tool("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="phoihop-raster-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        pages_args = ["-f", "1", "-l", str(max_pages)] if max_pages else []
        subprocess.run(
            [pdftoppm, "-r", str(dpi), "-gray", "-png", *pages_args, str(source),
             str(Path(tmp) / "page")],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        pages = []
        for path in sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            with Image.open(path) as img:
                pages.append(img.convert("L"))
        return pages


SCAN_ROTATION = (0.3, 1.5)
"""The skew of a page laid by hand on a scanner's glass, in degrees (either direction)."""


@dataclass
class ScannedPage:
    image: object  # PIL.Image.Image
    angle: float  # degrees, counter-clockwise as Pillow's rotate


def scan_pages(
    pdf: bytes,
    dpi: int = 200,
    rotate_deg: float | None = None,
    noise: float = 1.0,
    seed: int = 0,
    max_pages: int | None = None,
) -> list[ScannedPage]:
    """The pages of ``pdf`` as a photocopier-scanner gives them back (see ``degrade_page``).

    Each page gets its own skew, drawn from ``SCAN_ROTATION`` with a random sign unless
    ``rotate_deg`` fixes it; ``noise`` scales every degradation (0: a clean straight raster).
    Deterministic for a given ``seed``.
    """
    import random

    out = []
    for number, page in enumerate(rasterise(pdf, dpi, max_pages)):
        rng = random.Random(f"scan:{seed}:{number}")
        if rotate_deg is None:
            angle = rng.uniform(*SCAN_ROTATION) * rng.choice((-1, 1))
        else:
            angle = rotate_deg
        out.append(ScannedPage(degrade_page(page, angle, noise, rng, dpi), round(angle, 3)))
    return out


def degrade_page(page, angle: float, noise: float, rng, dpi: int = 200):
    """Make a clean greyscale raster look scanned: grey, unevenly lit paper and not-quite-black
    toner, a slight skew, grain, toner specks and a dark scanner edge now and then, a little blur.
    Only Pillow (no numpy): random noise comes from ``rng.randbytes`` images so a seed fixes it."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    width, height = page.size
    scale = dpi / 200
    paper = int(244 - rng.uniform(4, 16) * noise)
    ink = int(18 + rng.uniform(10, 40) * noise)
    span = (paper - ink) / 255
    img = page.point([int(ink + v * span) for v in range(256)])

    # Uneven light: a coarse random field blown up smoothly, darker towards some corner.
    if noise:
        cells = Image.frombytes("L", (4, 6), rng.randbytes(24))
        shade = cells.point([int(v * 18 * noise / 255) for v in range(256)])
        shade = shade.resize((width, height), Image.Resampling.BICUBIC)
        img = ImageChops.subtract(img, shade)

    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=paper)

    if noise:
        # Grain: the mean of three uniform fields is close to gaussian; centred on 128.
        def field():
            return Image.frombytes("L", (width, height), rng.randbytes(width * height))

        grain = Image.blend(ImageChops.add(field(), field(), scale=2.0), field(), 1 / 3)
        amplitude = 0.7 * noise
        grain = grain.point(
            [max(0, min(255, int(128 + (v - 128) * amplitude))) for v in range(256)]
        )
        img = ImageChops.add(img, grain, scale=1.0, offset=-128)

        draw = ImageDraw.Draw(img)
        for _n in range(int(rng.uniform(80, 260) * noise)):
            x, y = rng.randrange(width), rng.randrange(height)
            r = rng.uniform(0.6, 2.2) * scale
            draw.ellipse((x - r, y - r, x + r, y + r), fill=int(ink + rng.uniform(0, 60)))
        if rng.random() < 0.5 * noise:
            # The lid's shadow along one edge.
            edge = int(rng.uniform(6, 20) * scale)
            x0 = 0 if rng.random() < 0.5 else width - edge
            draw.rectangle((x0, 0, x0 + edge, height), fill=int(60 + rng.uniform(0, 60)))
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8) * scale * min(1.0, noise)))
    return img


def pdf_to_scan(
    pdf: bytes,
    dpi: int = 200,
    rotate_deg: float | None = None,
    noise: float = 1.0,
    seed: int = 0,
    jpeg_quality: int = 60,
    max_pages: int | None = None,
) -> bytes:
    """An image-only PDF of ``pdf``'s pages, scanned (``scan_pages``): no text layer at all, every
    page one JPEG, the page size following ``dpi`` — what a school's copier sends by e-mail."""
    import time

    pages = [p.image for p in scan_pages(pdf, dpi, rotate_deg, noise, seed, max_pages)]
    out = io.BytesIO()
    pinned = time.struct_time((2025, 1, 1, 0, 0, 0, 2, 1, 0))
    pages[0].save(
        out, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi),
        quality=jpeg_quality, title="scan", creationDate=pinned, modDate=pinned,
    )  # fmt: skip
    return out.getvalue()


def pdf_to_page_images(
    pdf: bytes, dpi: int = 150, seed: int = 0, fmt: str = "JPEG", noise: float = 1.0
) -> list[bytes]:
    """Each page as the photo a teacher takes with a phone: the scan's damage plus a mild
    keystone (the phone is not quite parallel to the page), a warm colour cast and the desk
    showing at the edges; JPEG (or PNG) bytes per page."""
    import random

    from PIL import Image

    out = []
    for number, page in enumerate(scan_pages(pdf, dpi, None, noise, seed)):
        rng = random.Random(f"photo:{seed}:{number}")
        img = page.image
        width, height = img.size
        margin = int(0.04 * width)
        canvas = Image.new(
            "L", (width + 2 * margin, height + 2 * margin), int(rng.uniform(90, 140))
        )
        canvas.paste(img, (margin, margin))
        w, h = canvas.size
        k = 0.012 * noise
        # Pillow's QUAD: the source corners upper-left, lower-left, lower-right, upper-right.
        corners = [
            (rng.uniform(0, k) * w, rng.uniform(0, k) * h),
            (rng.uniform(0, k) * w, h - rng.uniform(0, k) * h),
            (w - rng.uniform(0, k) * w, h - rng.uniform(0, k) * h),
            (w - rng.uniform(0, k) * w, rng.uniform(0, k) * h),
        ]
        canvas = canvas.transform(
            (w, h), Image.Transform.QUAD, [c for xy in corners for c in xy],
            resample=Image.Resampling.BICUBIC, fillcolor=110,
        )  # fmt: skip
        tint = (1.0, rng.uniform(0.96, 0.99), rng.uniform(0.86, 0.93))
        rgb = Image.merge("RGB", [canvas.point([int(v * t) for v in range(256)]) for t in tint])
        buf = io.BytesIO()
        if fmt.upper() in ("JPEG", "JPG"):
            rgb.save(buf, "JPEG", quality=80, dpi=(dpi, dpi))
        else:
            rgb.save(buf, "PNG", dpi=(dpi, dpi))
        out.append(buf.getvalue())
    return out


# -- font damage ---------------------------------------------------------------------------------
#
# Documents that went through a pre-Unicode font (.VnTime, VNI-Times) and a half-done conversion
# carry a recognisable set of scars. Each function below makes one of them on one word; the
# examples are what real school documents show.

_CIRCUMFLEX, _HORN, _BREVE = "\u0302", "\u031b", "\u0306"
_TONES = {"\u0301": "sac", "\u0300": "huyen", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}
# The VNI byte of each tone, left behind as a Latin-1 letter when a converter misses it.
_VNI_TONE = {
    "sac": ("ù", "Ù"),
    "huyen": ("ø", "Ø"),
    "hoi": ("û", "Û"),
    "nga": ("õ", "Õ"),
    "nang": ("ï", "Ï"),
}


def _split(ch: str) -> tuple[str, str, str]:
    """A Vietnamese letter as (base letter, vowel mark, tone mark), each possibly empty."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[:1], decomposed[1:]
    vowel = "".join(m for m in marks if m in (_CIRCUMFLEX, _HORN, _BREVE))
    tone = "".join(m for m in marks if m in _TONES)
    return base, vowel, tone


def _join(base: str, vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + vowel + tone)


def _hat_to_horn(word: str) -> str | None:
    """ô → ơ, keeping the tone: "CÔNG" → "CƠNG", "Độc" → "Đợc" (one glyph slot, two fonts)."""
    for i, ch in enumerate(word):
        base, vowel, tone = _split(ch)
        if base in "oO" and vowel == _CIRCUMFLEX:
            return word[:i] + _join(base, _HORN, tone) + word[i + 1 :]
    return None


def _oa_collapse(word: str) -> str | None:
    """o + toned a → toned ô: "ĐOÀN" → "ĐỒN", "toàn" → "tồn"."""
    for i in range(len(word) - 1):
        base_o, vowel_o, tone_o = _split(word[i])
        base_a, vowel_a, tone_a = _split(word[i + 1])
        if (
            base_o in "oO"
            and not vowel_o
            and not tone_o
            and base_a in "aA"
            and not vowel_a
            and tone_a
        ):
            return word[:i] + _join(base_o, _CIRCUMFLEX, tone_a) + word[i + 2 :]
    return None


def _stray_vni_mark(word: str) -> str | None:
    """The VNI tone byte left after the converted letter: "VỀ" → "VỀØ", "được" → "đượcï"."""
    for i in range(len(word) - 1, -1, -1):
        tone = _split(word[i])[2]
        if tone:
            lower, upper = _VNI_TONE[_TONES[tone]]
            return word[: i + 1] + (upper if word[i].isupper() else lower) + word[i + 1 :]
    return None


def _drop_u_horn(word: str) -> str | None:
    """ư lost before ơ: "Trường" → "Trờng", "Chương" → "Chơng", "được" → "đợc"."""
    for i in range(len(word) - 1):
        base_u, vowel_u, _tone_u = _split(word[i])
        base_o, vowel_o, _tone_o = _split(word[i + 1])
        if base_u in "uU" and vowel_u == _HORN and base_o in "oO" and vowel_o == _HORN:
            return word[:i] + word[i + 1 :]
    return None


def _old_tone_place(word: str) -> str | None:
    """The tone on the second vowel of a final oa/oe/uy, as before the 1980s rule: "hòa" →
    "hoà", "thúy" → "thuý", "khỏe" → "khoẻ" (not after q, where u belongs to the consonant)."""
    if len(word) < 2:
        return None
    first, second = word[-2], word[-1]
    base_1, vowel_1, tone_1 = _split(first)
    base_2, vowel_2, tone_2 = _split(second)
    pair = (base_1 + base_2).lower()
    if pair not in ("oa", "oe", "uy") or vowel_1 or vowel_2 or not tone_1 or tone_2:
        return None
    if pair == "uy" and word[:-2].lower().endswith("q"):
        return None
    return word[:-2] + base_1 + _join(base_2, "", tone_1)


_WORD_DAMAGE = {
    "hat_to_horn": _hat_to_horn,
    "oa_collapse": _oa_collapse,
    "stray_vni_mark": _stray_vni_mark,
    "drop_u_horn": _drop_u_horn,
    "old_tone_place": _old_tone_place,
}
_DAMAGE_WEIGHTS = {
    "hat_to_horn": 0.2,
    "oa_collapse": 0.1,
    "stray_vni_mark": 0.15,
    "drop_u_horn": 0.2,
    "old_tone_place": 0.1,
    "glue": 0.25,
}
DAMAGE_RATE = 0.05
"""Share of a document's words that ``damage_fonts`` changes by default (3–8 % is what a damaged
real document shows: the damage is everywhere, yet most words are intact)."""


def _is_word(token: str) -> bool:
    return len(token) >= 2 and all(ch.isalpha() for ch in token)


def damage_fonts(text: str, seed: int = 0, rate: float = DAMAGE_RATE) -> str:
    """``text`` with the damage of pre-Unicode fonts and half-done conversions on about ``rate`` of
    its words, deterministic for a ``seed``: ô read as ơ, "oà" collapsed to "ồ", a VNI tone byte
    left over, ư lost before ơ, old tone placement, two words glued together; and a few long
    lines broken mid-sentence, as copy-paste from a PDF leaves them.

    What the annotation relies on is kept readable on purpose: tokens with digits (numbers,
    dates, "Số: 89/KH-…") and the words right beside them are never touched, so a document's
    number and date are still there to be read; list markers at the start of a line stay.
    """
    import random

    rng = random.Random(f"damage:{seed}")
    lines = text.split("\n")
    tokens = [re.split(r"( +)", line) for line in lines]  # words at even indexes, spaces odd
    by_kind: dict[str, list[tuple[int, int]]] = {kind: [] for kind in _DAMAGE_WEIGHTS}
    total_words = 0
    for ln, parts in enumerate(tokens):
        words_at = [i for i in range(0, len(parts), 2) if parts[i]]
        total_words += len(words_at)
        for pos, i in enumerate(words_at):
            token = parts[i]
            if pos == 0 or not _is_word(token):
                continue  # a list marker, a number, punctuation
            before = parts[words_at[pos - 1]]
            after = parts[words_at[pos + 1]] if pos + 1 < len(words_at) else ""
            if any(c.isdigit() for c in before + after):
                continue
            for kind, damage in _WORD_DAMAGE.items():
                if damage(token) is not None:
                    by_kind[kind].append((ln, i))
            if pos + 1 < len(words_at) and _is_word(after):
                by_kind["glue"].append((ln, i))
    for places in by_kind.values():
        rng.shuffle(places)
    touched: set[tuple[int, int]] = set()
    for _n in range(round(rate * total_words)):
        # The kind first, by how often real files show it, then a word it applies to.
        kinds = [k for k, places in by_kind.items() if places]
        if not kinds:
            break
        kind = rng.choices(kinds, weights=[_DAMAGE_WEIGHTS[k] for k in kinds])[0]
        ln, i = by_kind[kind].pop()
        if (ln, i) in touched or (kind == "glue" and (ln, i + 2) in touched):
            continue
        parts = tokens[ln]
        touched.add((ln, i))
        if kind == "glue":
            parts[i + 1] = ""
            touched.add((ln, i + 2))
        else:
            parts[i] = _WORD_DAMAGE[kind](parts[i]) or parts[i]
    out_lines = ["".join(parts) for parts in tokens]

    # Copy-paste from a PDF: a few long lines cut at a space, mid-sentence.
    long_lines = [n for n, line in enumerate(out_lines) if len(line) > 70]
    for n in rng.sample(long_lines, min(len(long_lines), max(1, len(long_lines) // 12))):
        line = out_lines[n]
        spaces = [m.start() for m in re.finditer(" ", line) if 25 < m.start() < len(line) - 15]
        if spaces:
            cut = rng.choice(spaces)
            out_lines[n] = line[:cut] + "\n" + line[cut + 1 :]
    return "\n".join(out_lines)


def transform_damaged(text: str, stem: str) -> tuple[bytes, str]:
    """Scorer source transform: the seed with font damage, as UTF-8 text."""
    return damage_fonts(text, seed=stable_seed(stem)).encode("utf-8"), f"{stem}.txt"


def stable_seed(name: str) -> int:
    """A seed that depends only on the document's name (``hash()`` changes per process)."""
    import hashlib

    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


# -- plans written as tables ---------------------------------------------------------------------
#
# Many schools write the content of a plan as one table — TT | Nội dung | Đơn vị chủ trì | Đơn vị
# phối hợp | Thời gian thực hiện | Ghi chú — inside the usual Decree 30 frame. The test plans of
# tests/data/tables are kept as a *plain description* (NAME.plan.txt) from which the Word and the
# HTML files are generated, so they can be regenerated and reviewed as text:
#
# * ``LEFT || RIGHT`` lines: a borderless two-column table (the issuer | quốc hiệu header, the
#   Nơi nhận | signature block); consecutive lines are rows of the same table;
# * ``| a | b | … |`` lines: a ruled table, the first line its header row; a row with fewer cells
#   than the header (``| I | Phối hợp trong nhà trường |``) is a group row, its last cell spanning
#   the rest of the row;
# * any other line: a paragraph; headings ("I. …", "1. …" in capitals) and the title in bold.

TABLE_COLUMN_WIDTHS_CM = (1.0, 5.6, 2.6, 2.9, 2.4, 1.5)
"""Column widths of a six-column plan table on a 16 cm A4 text width; the content column widest."""


def parse_plan_description(text: str) -> list[tuple[str, object]]:
    """Blocks of a plan description: ("pair", rows), ("grid", rows) or ("line", text)."""
    blocks: list[tuple[str, object]] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1][0] == "grid":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("grid", [cells]))
        elif " || " in f" {line} ":
            left, _sep, right = f" {line} ".partition(" || ")
            cells = [left.strip(), right.strip()]
            if blocks and blocks[-1][0] == "pair":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("pair", [cells]))
        else:
            blocks.append(("line", line.strip()))
    return blocks


def _is_heading_line(line: str) -> bool:
    kind, label, body = detect_marker(line)
    return bool(label) and kind in ("roman", "upper") and is_upper_text(body)


def _is_title_line(line: str, seen_title: bool) -> bool:
    return (
        not seen_title
        and is_upper_text(line)
        and fold(line).startswith(("ke hoach", "quy che", "chuong trinh"))
    )


def plan_table_docx(description: str) -> bytes:
    """A Word file of a table-form plan from its plain description (see above): real Word tables
    (``w:tbl``), the group rows merged across, the header row repeated on every page."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    seen_title = in_title = False

    def fill(cell, text: str, bold: bool = False, center: bool = False, size: int | None = None):
        para = cell.paragraphs[0]
        run = para.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for kind, content in parse_plan_description(description):
        if kind == "line":
            line = str(content)
            if not line:
                in_title = False
                continue
            para = doc.add_paragraph()
            title = _is_title_line(line, seen_title)
            seen_title = seen_title or title
            in_title = in_title or title  # the trích yếu lines under the title, up to a blank
            run = para.add_run(line)
            run.bold = in_title or _is_heading_line(line)
            if in_title:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "pair":
            rows = list(content)
            table = doc.add_table(rows=len(rows), cols=2)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, (left, right) in enumerate(rows):
                upper_l, upper_r = is_upper_text(left), is_upper_text(right)
                size = 12 if not seen_title else None  # the header block: 12 pt, as printed
                fill(table.rows[r].cells[0], left, upper_l, not left.startswith("-"), size)
                fill(table.rows[r].cells[1], right, upper_r, True, size)
        else:
            rows = list(content)
            width = len(rows[0])
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            widths = TABLE_COLUMN_WIDTHS_CM if width == len(TABLE_COLUMN_WIDTHS_CM) else None
            for r, cells in enumerate(rows):
                row = table.rows[r]
                if r == 0:
                    tr_pr = row._tr.get_or_add_trPr()
                    repeat = OxmlElement("w:tblHeader")
                    tr_pr.append(repeat)
                if len(cells) < width:
                    merged = row.cells[len(cells) - 1].merge(row.cells[width - 1])
                    for c, text in enumerate(cells[:-1]):
                        fill(row.cells[c], text, bold=True, center=True, size=12)
                    fill(merged, cells[-1], bold=True, size=12)
                else:
                    for c, text in enumerate(cells):
                        fill(row.cells[c], text, bold=r == 0, center=r == 0 or c in (0, 4), size=12)
                if widths:
                    for c, cell in enumerate(row.cells[:width]):
                        cell.width = Cm(widths[c])
            if widths:
                grid = table._tbl.find(qn("w:tblGrid"))
                for c, col in enumerate(grid.findall(qn("w:gridCol"))):
                    col.set(qn("w:w"), str(int(widths[c] * 567)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def plan_table_html(description: str) -> str:
    """The same plan as the HTML page a school's website shows: ``<table>`` for both the frame
    and the plan's table (``colspan`` on group rows), ``<p>`` for the rest."""
    from html import escape

    out = ['<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch</title>',
           "</head><body>"]  # fmt: skip
    seen_title = in_title = False
    for kind, content in parse_plan_description(description):
        if kind == "line":
            line = str(content)
            if not line:
                in_title = False
                continue
            title = _is_title_line(line, seen_title)
            seen_title = seen_title or title
            in_title = in_title or title
            if in_title or _is_heading_line(line):
                style = ' style="text-align:center"' if in_title else ""
                out.append(f"<p{style}><strong>{escape(line)}</strong></p>")
            else:
                out.append(f"<p>{escape(line)}</p>")
        elif kind == "pair":
            out.append('<table style="width:100%">')
            for left, right in content:
                out.append(f"<tr><td>{escape(left)}</td><td>{escape(right)}</td></tr>")
            out.append("</table>")
        else:
            rows = list(content)
            width = len(rows[0])
            out.append('<table border="1" cellspacing="0" cellpadding="4">')
            for r, cells in enumerate(rows):
                tag = "th" if r == 0 else "td"
                parts = [f"<{tag}>{escape(c)}</{tag}>" for c in cells[:-1]]
                span = f' colspan="{width - len(cells) + 1}"' if len(cells) < width else ""
                parts.append(f"<{tag}{span}>{escape(cells[-1])}</{tag}>")
                out.append("<tr>" + "".join(parts) + "</tr>")
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_table_plans(folder) -> list:
    """(Re)generate NAME.docx and NAME.html beside every NAME.plan.txt of ``folder``."""
    from pathlib import Path

    written = []
    for description in sorted(Path(folder).glob("*.plan.txt")):
        stem = description.name[: -len(".plan.txt")]
        text = description.read_text(encoding="utf-8")
        docx_path = description.with_name(f"{stem}.docx")
        html_path = description.with_name(f"{stem}.html")
        docx_path.write_bytes(pin_docx(plan_table_docx(text)))
        html_path.write_text(plan_table_html(text), encoding="utf-8")
        written += [docx_path, html_path]
    return written


def pin_docx(data: bytes) -> bytes:
    """The same .docx with fixed zip timestamps and core-property dates, so regenerating the
    test files gives identical bytes and an unchanged git diff."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2025-09-01T00:00:00Z\g<2>",
                    body,
                )
            pinned = zipfile.ZipInfo(info.filename, date_time=(2025, 9, 1, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(pinned, body)
    return out.getvalue()


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BOMB_WORDS = (
    "kế hoạch phối hợp nhà trường công đoàn năm học thực hiện tổ chức hoạt động tuyên truyền "
    "học sinh phụ huynh giáo viên"
).split()


def xml_bomb_docx(xml_bytes: int, seed: int = 13) -> bytes:
    """A .docx whose word/document.xml expands to about ``xml_bytes`` of plain paragraphs.

    The attack of issue 13: it compresses about eightfold, well under the archive ratio limit,
    so only a cap on a part's expanded size stops it. One megabyte of random paragraphs is
    repeated (deflate sees 32 KB back, so repeating does not raise the ratio) and written at
    deflate's default level.
    """
    import random
    import zipfile

    rng = random.Random(seed)
    paras: list[bytes] = []
    size = 0
    while size < 1024 * 1024:
        words = " ".join(rng.choice(_BOMB_WORDS) for _n in range(rng.randint(5, 30)))
        para = f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>".encode()
        paras.append(para)
        size += len(para)
    block = b"".join(paras)
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}"><w:body>'.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            for _n in range(max(1, -(-xml_bytes // len(block)))):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buf.getvalue()
