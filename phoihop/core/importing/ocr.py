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
import resource
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from phoihop.core.i18n import _

from .errors import ImportFailure
from .isolation import run_isolated
from .layout import Page, Run

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
        return list(pool.map(lambda p: _ocr_page(p, dpi), paths))


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
    runs = []
    for words in lines.values():
        # a line may still hold two columns (issuer | quốc hiệu): split it at wide gaps
        heights = sorted(w["box"][3] for w in words)
        gap_limit = 2.5 * heights[len(heights) // 2]
        group: list[dict] = []
        for word in sorted(words, key=lambda w: w["box"][0]):
            if group and word["box"][0] - (group[-1]["box"][0] + group[-1]["box"][2]) > gap_limit:
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
