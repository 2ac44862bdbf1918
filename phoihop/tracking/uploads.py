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
# Refuse decompression bombs before decoding: a 20 MB file can claim to be 100 000² pixels.
MAX_IMAGE_PIXELS = 60_000_000

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


def _reencode(data: bytes, kind: str, name: str) -> bytes:
    """Decode the image and write it again: upright, at most MAX_IMAGE_SIDE, no metadata."""
    unreadable = ValidationError(
        _("Không đọc được ảnh “%(name)s”: tệp bị hỏng hoặc không phải ảnh thật.") % {"name": name},
        code="broken",
    )
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("Ảnh “%(name)s” quá lớn (%(width)s×%(height)s điểm ảnh).")
                    % {"name": name, "width": image.width, "height": image.height},
                    code="size",
                )
            if kind == "JPEG":
                image.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            image.load()
            # Turn by the EXIF orientation first: the tag goes away with the rest of the metadata.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
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
