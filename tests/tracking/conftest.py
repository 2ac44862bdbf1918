"""Fixtures for recording and home visits: a home-visit item scheduled around today, photos."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from phoihop.tracking.models import PhotoConsent
from tests import factories as f

HOME_VISIT_CADENCE = {
    "text": "mỗi tháng một lần",
    "count": 1,
    "at_least": True,
    "per": "month",
    "per_subject": "hoc_sinh",
    "anchors": [],
    "window": None,
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a throw-away folder, never to the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Visits:
    item: object
    activity: object
    previous: object
    flagged: object


@pytest.fixture
def visits(world, today) -> Visits:
    """School A's plan gains "GVCN visits every student's family each month", scheduled for 6A.

    The police partner is named on the item too, so its contact sees the activity (but must never
    see the students).
    """
    school = world.a
    item = f.ItemFactory(
        document=school.document,
        position=5,
        text="Giáo viên chủ nhiệm thăm gia đình mỗi học sinh ít nhất một lần mỗi tháng.",
        cadence=HOME_VISIT_CADENCE,
    )
    f.link_parties(item, school.union, school.police)
    flagged = f.StudentFactory(
        school_class=school.school_class, full_name="Vũ Thị Yến", hardship=True
    )
    # Minh's mother agreed to photos as evidence; the others' parents did not say (tracking.consent).
    PhotoConsent.objects.create(student=school.student, given=True, given_by="Lê Thị Mai")
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    previous_end = start - dt.timedelta(days=1)
    previous_start = previous_end.replace(day=1)

    def occurrence(first, last):
        return f.ActivityFactory(
            item=item,
            key=f"{first:%Y-%m}/m",
            title=f"Tháng {first.month}/{first.year} · {item.text}",
            assignee_party=school.union,
            school_class=school.school_class,
            window_starts_on=first,
            window_ends_on=last,
            due_on=last,
            obligations=2,
        )

    return Visits(
        item=item,
        activity=occurrence(start, end),
        previous=occurrence(previous_start, previous_end),
        flagged=flagged,
    )


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    """A phone-like photo: large, with the camera's make and a GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.Base.Model] = "X1"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (21.0, 1.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (105.0, 51.0, 0.0),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(out, "PNG")
    return out.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def photo():
    return SimpleUploadedFile("nha_em_Minh.jpg", jpeg_with_gps(), content_type="image/jpeg")


def png_declaring(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A black RGB PNG of ``width``×``height`` written without Pillow, row by row, so that a
    decompression bomb costs the test nothing: 7740² pixels fit in about 250 KB. ``rows`` stops
    the pixel data early (the header still says ``height``)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    packer = zlib.compressobj(9)
    row = bytes(1 + 3 * width)
    pixels = b"".join(packer.compress(row) for _n in range(height if rows is None else rows))
    pixels += packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
