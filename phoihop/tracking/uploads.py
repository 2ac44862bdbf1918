"""Evidence uploads, treated as hostile: type by content, size limit, images re-encoded clean.

A teacher's phone photo of a home visit carries the family's GPS position in its EXIF data; a file
named ``.jpg`` may be a program or a web page. So the type is decided by the file's first bytes
(never by its name or the browser's claim), only photos, scans and PDF are kept, and every image
is decoded and written again by Pillow: downscaled to at most ``MAX_IMAGE_SIDE`` pixels and with no
metadata at all (EXIF, GPS, XMP, comments, text chunks). What comes out is plain bytes ready to
store under a random name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_SIDE = 2000
# Refuse decompression bombs from the header, before decoding: a PNG of 247 KB can hold 7740²
# pixels and took +707 MB to store (issue 13). Pillow holds 4 bytes a pixel, so at most 16 million
# decoded pixels (64 MB, about 100 MB with the resize; a 300 dpi A4 scan has 9 million). A JPEG is
# decoded already reduced to 1/2–1/8 (``draft``), so the limit is on what is decoded, plus one on
# the photo itself (108 MP phones fit).
MAX_IMAGE_PIXELS = 16_000_000
MAX_JPEG_PIXELS = 120_000_000
# Pillow's own guard for every other use in the process (PDF rendering, the admin): it warns past
# this and refuses past twice this.
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS

# (content type, extension, Pillow format) by leading bytes; WebP is RIFF....WEBP.
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
PDF_TYPE = ("application/pdf", ".pdf")


@dataclass(frozen=True)
class CleanUpload:
    """An accepted upload: the bytes to store and what to say about them."""

    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff(head: bytes) -> str | None:
    """The format the leading bytes announce: JPEG, PNG, WEBP, PDF, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return None


def safe_name(name: str) -> str:
    """The file's own name without any folder part, trimmed to fit the database column."""
    base = PurePath(str(name).replace("\\", "/")).name.strip() or "tep"
    return base[-200:]


def clean_upload(upload) -> CleanUpload:
    """Check one uploaded file and return what may be stored; ``ValidationError`` otherwise.

    The messages name the file and say what is accepted, so a teacher on a phone knows what to do.
    """
    name = safe_name(getattr(upload, "name", "") or "")
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(name, size, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name, len(data), limit)
    if not data:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="empty")
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải ảnh (JPEG, PNG, WebP) hay PDF nên không được nhận. "
                "Hãy chụp ảnh hoặc quét văn bản thành PDF rồi gửi lại."
            )
            % {"name": name},
            code="type",
        )
    if kind == "PDF":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(
                _("Tệp PDF “%(name)s” bị hỏng hoặc không trọn vẹn.") % {"name": name},
                code="broken",
            )
        content_type, extension = PDF_TYPE
        return CleanUpload(data, content_type, extension, _renamed(name, extension))
    content = _reencode(data, kind, name)
    content_type, extension = IMAGE_TYPES[kind]
    return CleanUpload(content, content_type, extension, _renamed(name, extension))


def _too_big(name: str, size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("Tệp “%(name)s” quá lớn (%(size)s); mỗi tệp tối đa %(limit)s.")
        % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="size",
    )


def _renamed(name: str, extension: str) -> str:
    """The original name with the extension of what the file really is."""
    stem = PurePath(name).stem or "tep"
    return f"{stem[:150]}{extension}"


def header_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Width and height as the file's header states them, without decoding anything.

    Pillow's ``open`` reads the header too, but refuses a huge image with the same error as a
    broken one and, for WebP, allocates the whole canvas; so the few header bytes are read here.
    None when the header is not where the format puts it.
    """
    if kind == "PNG":
        if data[12:16] == b"IHDR" and len(data) >= 24:
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return None
    if kind == "WEBP":
        chunk = data[12:16]
        if chunk == b"VP8X" and len(data) >= 30:
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(
                data[27:30], "little"
            )
        if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
            return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(
                data[28:30], "little"
            ) & 0x3FFF
        if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
            bits = int.from_bytes(data[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        return None
    # JPEG: walk the segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC).
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            at += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            return int.from_bytes(data[at + 7 : at + 9], "big"), height
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


def decoded_pixels(width: int, height: int, kind: str) -> int:
    """Pixels Pillow holds once the image is decoded here: a JPEG is decoded reduced (1/2, 1/4 or
    1/8, as long as both sides stay at least MAX_IMAGE_SIDE), other formats in full."""
    if kind == "JPEG":
        fits = min(width // MAX_IMAGE_SIDE, height // MAX_IMAGE_SIDE)
        scale = next(s for s in (8, 4, 2, 1) if fits >= s or s == 1)
        width, height = -(-width // scale), -(-height // scale)
    return width * height


def _reencode(data: bytes, kind: str, name: str) -> bytes:
    """Decode the image and write it again: upright, at most MAX_IMAGE_SIDE, no metadata."""
    unreadable = ValidationError(
        _("Không đọc được ảnh “%(name)s”: tệp bị hỏng hoặc không phải ảnh thật.") % {"name": name},
        code="broken",
    )
    size = header_size(data, kind)
    if size is None or 0 in size:
        raise unreadable
    width, height = size
    if decoded_pixels(width, height, kind) > MAX_IMAGE_PIXELS or width * height > MAX_JPEG_PIXELS:
        raise ValidationError(
            _(
                "Ảnh “%(name)s” quá lớn (%(width)s×%(height)s điểm ảnh). Hãy thu nhỏ ảnh (chẳng hạn "
                "còn 4000×3000) rồi gửi lại."
            )
            % {"name": name, "width": width, "height": height},
            code="size",
        )
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.size != size:
                raise unreadable
            if kind == "JPEG":
                image.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            # Shrink first, in place, then turn by the EXIF orientation: turning the full image
            # first cost a second full-size copy.
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
            # The orientation tag goes away with the rest of the metadata.
            upright = ImageOps.exif_transpose(image)
            return _encode(upright, kind)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise unreadable from None


def _encode(image: Image.Image, kind: str) -> bytes:
    """Pixels only: a new image is built from the pixel data, so nothing else can travel along."""
    if kind == "JPEG":
        mode = "RGB"
    elif image.mode in ("RGB", "RGBA", "L", "LA"):
        mode = image.mode
    else:
        mode = "RGBA" if "transparency" in image.info or image.mode in ("P", "PA") else "RGB"
    pixels = image.convert(mode) if image.mode != mode else image
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    return out.getvalue()
