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

# The one zip guard of the project: .docx imports and .xlsx student lists both open archives
# through ``check_zip``. Real Word and Excel parts compress 3–15 times; a ratio of 200 is only
# reached by crafted archives.
MAX_RATIO = 200
MAX_MEMBERS = 2000
# One XML part of a .docx, expanded. A long plan's word/document.xml is 1–3 MB; a part of 95 MB
# (9 MB on the wire, ratio 10) took four minutes and 4.8 GB to import before this limit.
MAX_XML_PART = 8 * 1024 * 1024
# Tags (``<``) in one XML part: bounds the tree lxml builds (a 3 MB plan has about 100,000).
MAX_XML_TAGS = 1_000_000

# Characters of text handed to the parser, whatever the format: about 150 pages. A plan runs to 3–30
# pages; past this the input is not a plan and only costs parse time.
MAX_TEXT_CHARS = 500_000

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


def check_text_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFailure(
            _(
                "Văn bản quá dài (%(chars)s ký tự; giới hạn là %(limit)s ký tự, khoảng 150 trang): "
                "hãy tách thành các tệp nhỏ hơn rồi nhập từng tệp."
            )  # fmt: skip
            % {"chars": _count(len(text)), "limit": _count(MAX_TEXT_CHARS)}
        )


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


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


def check_zip(data: bytes, *, what: str, max_part: int, max_total: int) -> zipfile.ZipFile:
    """Open an archive after checking, from its directory alone, that inflating it is safe.

    Every member's declared size and compression ratio, and their total, are checked before any
    byte is inflated; ``read_member`` then never reads past a declared size. ``what`` names the
    file in the messages ("Tệp Word (.docx)"); ``max_part`` caps each member that will be parsed
    (XML and relationship parts).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportFailure(
            _("%(what)s bị hỏng hoặc không đầy đủ, không mở được; hãy lưu lại tệp rồi thử lại.")
            % {"what": what}
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFailure(
            _("%(what)s có cấu trúc bất thường (quá nhiều thành phần).") % {"what": what}
        )
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if ratio > MAX_RATIO or total > max_total:
            raise ImportFailure(
                _('%(what)s bị từ chối: nội dung nén bất thường (có thể là "bom zip").')
                % {"what": what}
            )
        if info.filename.endswith((".xml", ".rels")) and info.file_size > max_part:
            raise ImportFailure(
                _(
                    "%(what)s bị từ chối: phần %(part)s giải nén ra %(size)s MB, quá giới hạn "
                    "%(limit)s MB cho một phần nội dung."
                )  # fmt: skip
                % {
                    "what": what,
                    "part": info.filename,
                    "size": _mb(info.file_size),
                    "limit": _mb(max_part),
                }
            )
    return archive


def open_zip(data: bytes, max_bytes: int) -> zipfile.ZipFile:
    """A .docx archive, checked by ``check_zip``."""
    return check_zip(
        data,
        what=_("Tệp Word (.docx)"),
        max_part=MAX_XML_PART,
        max_total=max(max_bytes * 10, MAX_XML_PART),
    )


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
            _("%(what)s bị hỏng hoặc không đầy đủ, không mở được; hãy lưu lại tệp rồi thử lại.")
            % {"what": _("Tệp Word (.docx)")}
        ) from exc
    if len(data) > info.file_size:
        raise ImportFailure(
            _('%(what)s bị từ chối: nội dung nén bất thường (có thể là "bom zip").')
            % {"what": _("Tệp Word (.docx)")}
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
    if data.count(b"<") > MAX_XML_TAGS:
        # Counted in C before parsing: lxml's tree costs about 100 bytes per element.
        raise ImportFailure(
            _(
                "Tệp Word (.docx) bị từ chối: một phần nội dung có hơn %(limit)s thẻ XML, quá "
                "nhiều cho một văn bản."
            )  # fmt: skip
            % {"limit": _count(MAX_XML_TAGS)}
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
