"""Uploads are hostile: type by content, size limit, images downscaled and stripped of metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from phoihop.tracking.uploads import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    clean_upload,
    decoded_pixels,
    header_size,
)
from tests.tracking.conftest import PDF_BYTES, jpeg_with_gps, png_bytes, png_declaring


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_photo_loses_gps_and_every_exif_tag_and_is_downscaled():
    cleaned = clean_upload(upload("nha.jpg", jpeg_with_gps(), "image/jpeg"))
    image = Image.open(io.BytesIO(cleaned.content))
    assert cleaned.content_type == "image/jpeg"
    assert max(image.size) == MAX_IMAGE_SIDE
    assert dict(image.getexif()) == {}
    assert b"Exif" not in cleaned.content
    assert b"PhoneCam" not in cleaned.content


def test_png_and_pdf_are_accepted_by_their_content():
    assert clean_upload(upload("a.png", png_bytes())).content_type == "image/png"
    cleaned = clean_upload(upload("bien-ban.pdf", PDF_BYTES))
    assert cleaned.content_type == "application/pdf"
    assert cleaned.content == PDF_BYTES


def test_name_follows_the_real_type_not_the_claimed_one():
    cleaned = clean_upload(upload("anh.pdf", png_bytes(), "application/pdf"))
    assert cleaned.content_type == "image/png"
    assert cleaned.original_name == "anh.png"


@pytest.mark.parametrize(
    "name,data",
    [
        ("anh.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program
        ("anh.jpg", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("anh.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
    ],
)
def test_programs_and_web_pages_named_as_photos_are_refused_in_vietnamese(name, data):
    with pytest.raises(ValidationError) as error:
        clean_upload(upload(name, data, "image/jpeg"))
    assert "không phải ảnh" in error.value.messages[0]


def test_a_fake_jpeg_that_does_not_decode_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("anh.jpg", b"\xff\xd8\xff\xe0" + b"rac" * 100))
    assert "Không đọc được ảnh" in error.value.messages[0]


def test_oversize_file_is_refused_with_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("lon.pdf", PDF_BYTES + b"0" * 4096))
    assert "quá lớn" in error.value.messages[0]


def test_folder_parts_of_the_name_are_dropped():
    cleaned = clean_upload(upload("../../etc/anh.png", png_bytes()))
    assert cleaned.original_name == "anh.png"


# -- decompression bombs (issue 13) ---------------------------------------------------------------


@pytest.fixture
def nothing_decodes(monkeypatch):
    """Fail the test if Pillow starts decoding pixels."""
    from PIL import ImageFile

    def refuse(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_png_of_7740_squared_pixels_is_refused_from_its_header(nothing_decodes):
    # 247 KB that decoded to 60 million pixels: +707 MB per upload, +3.6 GB for eight at once.
    data = png_declaring(7740, 7740)
    assert len(data) < 300_000
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("bom.png", data))
    assert error.value.code == "size"
    assert "quá lớn (7740×7740 điểm ảnh)" in error.value.messages[0]


def test_png_of_30000_squared_pixels_is_too_large_not_broken(nothing_decodes):
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("bom.png", png_declaring(30000, 30000, rows=10)))
    assert "quá lớn" in error.value.messages[0]
    assert "hỏng" not in error.value.messages[0]


def test_header_size_reads_every_accepted_format_like_pillow():
    cases = [("PNG", {}), ("JPEG", {"progressive": True}), ("JPEG", {}), ("WEBP", {})]
    cases += [("WEBP", {"lossless": True})]
    for kind, options in cases:
        out = io.BytesIO()
        Image.new("RGB", (321, 123), (9, 99, 199)).save(out, kind, **options)
        assert header_size(out.getvalue(), kind) == (321, 123), (kind, options)
    out = io.BytesIO()
    Image.new("RGBA", (321, 123), (9, 99, 199, 50)).save(out, "WEBP", exif=b"Exif\x00\x00")
    assert header_size(out.getvalue(), "WEBP") == (321, 123)


def test_phone_photos_are_decoded_reduced_but_long_strips_are_not():
    assert decoded_pixels(8000, 6000, "JPEG") == 4000 * 3000  # 48 MP phone photo
    assert decoded_pixels(12000, 9000, "JPEG") <= MAX_IMAGE_PIXELS  # 108 MP
    assert decoded_pixels(60000, 1000, "JPEG") > MAX_IMAGE_PIXELS  # no reduction possible
    assert decoded_pixels(4000, 3000, "PNG") == 12_000_000


def test_photo_is_turned_upright_and_downscaled():
    image = Image.new("RGB", (4000, 3000), (1, 2, 3))
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation: the camera was held upright
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    cleaned = clean_upload(upload("dung.jpg", out.getvalue()))
    assert Image.open(io.BytesIO(cleaned.content)).size == (1500, 2000)
