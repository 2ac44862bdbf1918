"""Uploads are hostile: type by content, size limit, images downscaled and stripped of metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from phoihop.tracking.uploads import MAX_IMAGE_SIDE, clean_upload
from tests.tracking.conftest import PDF_BYTES, jpeg_with_gps, png_bytes


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
