"""Checks that run before any parser sees an uploaded file.

Imports are untrusted: a file may be empty, random bytes, a picture renamed .docx, a truncated
archive, a zip bomb or XML that declares external entities. Each is refused with a clear Vietnamese
message *before* the expensive or dangerous step: sizes are checked before reading, archive
members' declared sizes and compression ratios before inflating, and XML is parsed with entity
resolution and network access off.
"""

from __future__ import annotations

import io
import zipfile

from phoihop.core.i18n import _

from .errors import ImportFailure

# A .docx's parts are small; a ratio this high is only reached by crafted archives.
MAX_RATIO = 200
MAX_MEMBERS = 2000
MAX_XML_PART = 64 * 1024 * 1024

_SIGNATURES = [
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF", "pdf"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
]


def sniff_kind(data: bytes) -> str | None:
    """The container format announced by the first bytes, if any."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            if kind == "bmp" and len(data) < 26:
                continue
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImportFailure(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(max_bytes)}
        )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def check_not_binary(data: bytes) -> None:
    """Refuse bytes that are not text in any encoding we read (control bytes, NULs)."""
    sample = data[:8192]
    if not sample:
        return
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > 0.02 * len(sample):
        raise ImportFailure(
            _(
                "Tệp không phải văn bản (dữ liệu nhị phân không đọc được). Hãy nhập tệp .docx, "
                ".doc, .txt hoặc .html."
            )  # fmt: skip
        )


def open_zip(data: bytes, max_bytes: int) -> zipfile.ZipFile:
    """Open an archive after checking every member's declared size and compression ratio."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportFailure(
            _("Tệp Word (.docx) bị hỏng hoặc không đầy đủ, không mở được.")
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFailure(_("Tệp Word (.docx) có cấu trúc bất thường (quá nhiều thành phần)."))
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if (
            ratio > MAX_RATIO
            or info.file_size > max(max_bytes * 5, MAX_XML_PART)
            or total > max(max_bytes * 10, MAX_XML_PART)
        ):
            raise ImportFailure(
                _('Tệp Word (.docx) bị từ chối: nội dung nén bất thường (có thể là "bom zip").')
            )
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """Read one archive member, never more than its (already checked) declared size."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportFailure(
            _("Tệp Word (.docx) bị hỏng hoặc không đầy đủ, không mở được.")
        ) from exc
    if len(data) > info.file_size:
        raise ImportFailure(
            _('Tệp Word (.docx) bị từ chối: nội dung nén bất thường (có thể là "bom zip").')
        )
    return data


def parse_xml(data: bytes):
    """Parse XML without resolving entities, loading DTDs or touching the network."""
    from lxml import etree

    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:65536]:
        # Word never writes a DOCTYPE; one in a .docx part is an attack (XXE, billion laughs).
        raise ImportFailure(
            _("Tệp Word (.docx) bị từ chối: phần XML khai báo thực thể bên ngoài (DOCTYPE/ENTITY).")
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailure(
            _("Tệp Word (.docx) bị hỏng: phần nội dung XML không đọc được.")
        ) from exc
