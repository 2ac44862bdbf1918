"""Scanned pages and photos of pages → positioned text, through Tesseract's Vietnamese model.

Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-vie``) runs as a program, one process per
page, two at a time on a 2-core server, each capped in memory and time. Before it sees a page the
image is made easier to read: EXIF rotation applied, grey levels, and a slight skew (a page laid
crooked on the scanner) measured and undone — Tesseract copes with a degree of skew within a line
but mis-orders lines of a tilted page. Its TSV output gives every word with a box and a
confidence; words are grouped into Tesseract's lines and handed to ``layout`` as runs, so a scan is
rebuilt into paragraphs, columns and tables by the same rules as a typed PDF, and each line keeps
its confidence for the import preview.
"""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from phoihop.core.i18n import _
from phoihop.core.numerals import roman_value, to_roman

from .errors import ImportFailure
from .isolation import run_isolated
from .layout import Page, Run
from .text import fold, is_upper_text

# Photos and scans larger than this are refused before they are decoded (a 12-Mpx phone photo
# is 12 M; A3 at 300 dpi is 17 M).
MAX_IMAGE_PIXELS = 60_000_000
# Below this width a page photo is enlarged: Tesseract reads best with capitals ~30 px tall.
MIN_WIDTH = 1800
OCR_TIMEOUT = 120
OCR_MEMORY = 1024 * 1024 * 1024


@cache
def ocr_available() -> bool:
    """Whether Tesseract and its Vietnamese model are installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in done.stdout.decode("utf-8", "replace").split()


def require_ocr() -> None:
    if not ocr_available():
        raise ImportFailure(
            _(
                "Tệp là ảnh quét nên cần nhận dạng chữ (OCR), nhưng máy chủ chưa cài Tesseract và "
                "gói tiếng Việt (tesseract-ocr, tesseract-ocr-vie). Hãy báo quản trị cài đặt, hoặc "
                "nhập bản Word/PDF có chữ."
            )  # fmt: skip
        )


def ocr_images(paths: list[str], dpi: int | None = None) -> list[Page]:
    """OCR each page image (paths on disk), two pages at a time."""
    require_ocr()
    workers = max(1, min(len(paths), os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pages = list(pool.map(lambda p: _ocr_page(p, dpi), paths))
    repair_markers(pages)
    return pages


def image_pages(data: bytes, tmpdir: str) -> list[Page]:
    """A photo or scan of a page (JPEG, PNG, TIFF…; a multi-page TIFF gives several pages)."""
    paths = run_isolated(_decode_image, data, tmpdir, what=_("ảnh"))
    return ocr_images(paths)


def _decode_image(data: bytes, tmpdir: str) -> list[str]:
    """In the isolated child: check the declared size, then decode, turn upright, save as PNG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError as exc:
        raise ImportFailure(
            _("Ảnh quá lớn; giới hạn là %(limit)s triệu điểm ảnh.")
            % {"limit": MAX_IMAGE_PIXELS // 1_000_000}
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImportFailure(_("Tệp ảnh bị hỏng hoặc không phải ảnh, không đọc được.")) from exc
    if width * height > MAX_IMAGE_PIXELS:
        raise ImportFailure(
            _("Ảnh quá lớn (%(w)s × %(h)s điểm ảnh); giới hạn là %(limit)s triệu điểm ảnh.")
            % {"w": width, "h": height, "limit": MAX_IMAGE_PIXELS // 1_000_000}
        )
    frames = getattr(image, "n_frames", 1)
    if frames > 30:
        raise ImportFailure(_("Tệp ảnh có quá nhiều trang (tối đa 30)."))
    paths = []
    for n in range(frames):
        try:
            image.seek(n)
            page = ImageOps.exif_transpose(image).convert("L")
        except (OSError, ValueError, EOFError) as exc:
            raise ImportFailure(_("Tệp ảnh bị hỏng hoặc không phải ảnh, không đọc được.")) from exc
        if page.width < MIN_WIDTH:
            factor = MIN_WIDTH / page.width
            page = page.resize((MIN_WIDTH, int(page.height * factor)), Image.LANCZOS)
        path = os.path.join(tmpdir, f"image-{n + 1:03d}.png")
        page.save(path)
        paths.append(path)
    return paths


def _ocr_page(path: str, dpi: int | None) -> Page:
    prepared = run_isolated(_prepare, path, what=_("ảnh"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    command = [shutil.which("tesseract") or "tesseract", prepared["path"], "stdout", "-l", "vie",
               "--psm", "3"]  # fmt: skip
    if dpi:
        command += ["--dpi", str(dpi)]
    command.append("tsv")
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=OCR_TIMEOUT, env=env, check=False,
            preexec_fn=_limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise ImportFailure(
            _("Nhận dạng chữ (OCR) một trang quá %(seconds)s giây; ảnh có thể quá lớn hoặc hỏng.")
            % {"seconds": OCR_TIMEOUT}
        ) from exc
    except OSError as exc:
        raise ImportFailure(_("Không chạy được chương trình nhận dạng chữ (Tesseract).")) from exc
    if done.returncode != 0:
        raise ImportFailure(_("Nhận dạng chữ (OCR) thất bại với ảnh này; ảnh có thể bị hỏng."))
    return tsv_page(done.stdout.decode("utf-8", "replace"), prepared["width"], prepared["height"])


def _limit_memory() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (OCR_MEMORY, OCR_MEMORY))
    except (ValueError, OSError):
        pass


def tsv_page(tsv: str, width: float, height: float) -> Page:
    """Tesseract's TSV (level 5 = word) grouped into its lines, each line one ``Run``."""
    lines: dict[tuple[str, str, str, str], list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            conf = float(row["conf"])
            box = [int(row[k]) for k in ("left", "top", "width", "height")]
        except (KeyError, ValueError):
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append({"text": row["text"], "conf": conf, "box": box})
    all_heights = sorted(w["box"][3] for words in lines.values() for w in words)
    typical = all_heights[len(all_heights) // 2] if all_heights else 0
    runs = []
    for words in lines.values():
        # specks of dust read as "_" or "„": far smaller than any letter in both directions
        words = [w for w in words if max(w["box"][2], w["box"][3]) >= 0.3 * typical]
        if not words:
            continue
        # a line may still hold two columns (issuer | quốc hiệu): split it at wide gaps
        heights = sorted(w["box"][3] for w in words)
        # wider than any justified space: the gap between two columns (recipients | signer)
        gap_limit = 1.5 * heights[len(heights) // 2]
        group: list[dict] = []
        words = sorted(words, key=lambda w: w["box"][0])
        for n, word in enumerate(words):
            gap = word["box"][0] - (group[-1]["box"][0] + group[-1]["box"][2]) if group else 0
            # a short first word before a tab-like gap is a list marker: a run of its own
            marker = (
                n == 1 and len(group[0]["text"]) <= 4 and gap > 1.2 * heights[len(heights) // 2]
            )
            if group and (gap > gap_limit or marker):
                runs.append(_run(group))
                group = []
            group.append(word)
        if group:
            runs.append(_run(group))
    return Page(width, height, runs)


def _run(words: list[dict]) -> Run:
    x0 = min(w["box"][0] for w in words)
    top = min(w["box"][1] for w in words)
    x1 = max(w["box"][0] + w["box"][2] for w in words)
    bottom = max(w["box"][1] + w["box"][3] for w in words)
    confs = [max(0.0, w["conf"]) / 100 for w in words]
    return Run(x0, top, x1, bottom, " ".join(w["text"] for w in words), sum(confs) / len(confs))


def _prepare(path: str) -> dict:
    """In an isolated child: grey, deskewed copy of a page image, saved beside it."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    image = Image.open(path).convert("L")
    angle = skew_angle(image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    out = path[: -len(".png")] + "-ready.png" if path.endswith(".png") else path + "-ready.png"
    image.save(out)
    return {"path": out, "width": image.width, "height": image.height, "angle": angle}


def skew_angle(image, limit: float = 4.0, step: float = 0.2) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines of ``image`` level.

    Projection profile: when the page is level, the rows of ink and the gaps between lines are
    sharpest, so the variance of the row sums is highest. Measured on a reduced, thresholded
    copy; about 0.2 s for an A4 page.
    """
    from PIL import Image, ImageOps

    small = image.copy()
    small.thumbnail((900, 900))
    ink = ImageOps.invert(small).point(lambda v: 255 if v > 100 else 0)
    best, best_score = 0.0, -1.0
    steps = int(limit / step)
    for n in range(-steps, steps + 1):
        angle = n * step
        turned = ink.rotate(angle, resample=Image.NEAREST, fillcolor=0)
        rows = list(turned.resize((1, turned.height), Image.BOX).getdata())
        mean = sum(rows) / len(rows)
        score = sum((v - mean) ** 2 for v in rows)
        if score > best_score:
            best, best_score = angle, score
    return best


# -- list markers -------------------------------------------------------------------------------
#
# A list marker ("I.", "2.", "-") stands alone before a tab gap and is two or three small glyphs:
# the part of a scanned page OCR reads worst ("II." → "l.", "1." → "lỗ", "-" → "‹"). The marker
# matters more than any word, since it carries the document's structure. A marker is recognised by
# where it is — a short run followed by a wide gap on its line — and read again: a digit with any
# punctuation is that number, strokes (I, l, 1, |) are a Roman numeral before a heading in
# capitals, dash-like glyphs are a dash; anything else continues the sequence of the last marker
# drawn at the same indentation, as a reader would number it.

_DIGITS = re.compile(r"^(\d{1,2})[.,:;_)\]}]*$")
_STROKES = re.compile(r"^([IVXivxlL1|!]{1,4})[.,:;_…\-)]*$")
_DASHES = re.compile(r"^[-–—_~=‹«»•·*+.,]{1,3}$")


def _marker_runs(page: Page) -> list[tuple[Run, Run]]:
    """(marker run, the run after it) for every line that starts with a marker-like run."""
    out = []
    runs = sorted(page.runs, key=lambda r: (r.top, r.x0))
    for run in runs:
        text = run.text.strip()
        if not text or len(text) > 4 or " " in text:
            continue
        # the marker's box may sit a little above or below its line (a tilted page, a glyph
        # read as a low mark): the line it belongs to is the nearest one on its right
        after = [
            r for r in runs
            if r is not run and r.x0 > run.x1 and abs(r.middle - run.middle) < 0.8 * r.height
        ]  # fmt: skip
        if not after:
            continue
        nxt = min(after, key=lambda r: (r.x0, abs(r.middle - run.middle)))
        if nxt.x0 - run.x1 < 1.2 * max(run.height, nxt.height):
            continue  # an ordinary (if justified) space, not the tab after a marker
        before = [r for r in runs if r.x1 <= run.x0 and abs(r.middle - run.middle) < run.height]
        if before:
            continue
        out.append((run, nxt))
    return out


_CLEAN = re.compile(r"^(?:([A-HK-UYĐ])|([IVX]{1,4})|(\d{1,2}))[.)]$|^([a-zđ])[).]$|^([-+•])$")


def _after(
    previous: tuple[str, int] | None, upper: bool, last_roman: int | None = None
) -> tuple[str, int]:
    """The marker that comes next after ``previous`` when the glyphs themselves are unreadable,
    in the customary order of Vietnamese documents: A. → I. → 1. → -; a heading in capitals after
    a list goes back up to the next Roman numeral."""
    if previous is None:
        return ("roman", 1) if upper else ("dash", 0)
    kind, number = previous
    if upper and kind in ("arabic", "dash", "lower") and last_roman is not None:
        return "roman", last_roman + 1
    if kind == "upper":
        return "roman", 1
    if kind == "roman":
        return ("roman", number + 1) if upper else ("arabic", 1)
    if kind == "arabic":
        return "arabic", number + 1
    return "dash", 0


_LEADING_JUNK = re.compile(r"^[\s\-–—.,:;_~=‹«»•·*+|`]+(?=\w)")


def _attach(run: Run, nxt: Run) -> None:
    """Put a repaired marker on its line, and drop the stray marks OCR left between them."""
    run.top, run.bottom = nxt.top, nxt.bottom
    nxt.text = _LEADING_JUNK.sub("", nxt.text)


def repair_markers(pages: list[Page]) -> None:
    """Read again the list markers of OCR'd pages (see above), in place, in reading order."""
    last_at: list[tuple[float, str, int]] = []  # (x0 as a share of the page width, kind, number)
    romans: list[tuple[float, int]] = []
    for page in pages:
        for run, nxt in _marker_runs(page):
            x = run.x0 / max(1.0, page.width)
            text = run.text.strip()
            upper = is_upper_text(nxt.text)
            found = next((m for m in reversed(last_at) if abs(m[0] - x) < 0.015), None)
            previous = (found[1], found[2]) if found else None
            roman_at = next((n for rx, n in reversed(romans) if abs(rx - x) < 0.015), None)
            clean = _CLEAN.match(text)
            if clean:
                letter, roman, digits, lower, dash = clean.groups()
                if letter:
                    kind, number = "upper", ord(fold(letter)) - ord("a") + 1
                elif roman:
                    kind, number = "roman", roman_value(roman) or 1
                elif digits:
                    kind, number = "arabic", int(digits)
                elif lower:
                    kind, number = "lower", 0
                else:
                    kind, number = "dash", 0
                last_at = [m for m in last_at if abs(m[0] - x) >= 0.015] + [(x, kind, number)]
                if kind == "roman":
                    romans.append((x, number))
                _attach(run, nxt)
                continue
            digits = _DIGITS.match(text)
            if (
                digits
                and upper
                and set(digits.group(1)) == {"1"}
                and (previous is None or previous[0] in ("upper", "roman"))
            ):
                # "1." and "I." look alike: before a heading in capitals it is a Roman numeral
                kind, number = _after(previous, True, roman_at)
                if kind != "roman":
                    kind, number = "roman", len(digits.group(1))
            elif digits:
                kind, number = "arabic", int(digits.group(1))
                expected = _after(previous, False) if previous else None
                if expected and expected[0] == "arabic" and number not in (1, expected[1]):
                    number = expected[1]  # "5:" where "2." continues the list
            elif _STROKES.match(text):
                kind, number = _after(previous, upper, roman_at)
                if kind == "dash":
                    kind, number = "arabic", 1
            elif _DASHES.match(text):
                if run.x1 - run.x0 < 0.25 * nxt.height:
                    run.text = ""  # a speck of dust before a wrapped line, not a dash
                    continue
                kind, number = "dash", 0
            elif (run.confidence or 0) < 0.6 and not any(ch.isdigit() for ch in text):
                kind, number = _after(previous, upper, roman_at)
            else:
                continue  # a word read with confidence: the line has no marker
            run.text = {"arabic": f"{number}.", "roman": f"{to_roman(number)}.", "dash": "-"}[kind]
            _attach(run, nxt)
            last_at = [m for m in last_at if abs(m[0] - x) >= 0.015] + [(x, kind, number)]
            if kind == "roman":
                romans.append((x, number))


_MARKER_JUNK = re.compile(
    r"^(\s*(?:[A-HK-UYĐ]|[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*)[.)])\s+[-–—.,:;_~=|`]+\s+"
)


_DASH_JUNK = re.compile(r"^[_~=.,`'|]+(?=[-–]\s)")


def tidy_line(text: str) -> str:
    """An OCR'd line without the stray marks read around its marker ("B. . NỘI", "_- Các")."""
    return _MARKER_JUNK.sub(r"\1 ", _DASH_JUNK.sub("", text))
