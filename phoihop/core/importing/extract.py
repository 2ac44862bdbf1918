"""File bytes → text, for every format a school sends us.

Plain text comes in UTF-8 (with or without BOM), UTF-16 (Windows "Unicode" text), Windows-1258, or
legacy TCVN3/VNI bytes; Word files (.docx) keep their list numbers outside the text, in
``numbering.xml``, so they are rebuilt here; .html is read with the standard library; .doc goes
through LibreOffice or antiword when one of them is installed; PDF is read from its text layer
(``pdf``) and scanned pages and photos of pages through OCR (``ocr``), both rebuilt into lines by
``layout``. Every reader works on untrusted input: sizes and archive contents are checked first
(``safety``), and the PDF and image decoders run in a capped child process (``isolation``).
"""

from __future__ import annotations

import codecs
import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from phoihop.core.i18n import _

from .errors import ImportFailure
from .safety import check_not_binary, check_size, sniff_kind
from .text import collapse, nfc

TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text", ".csv")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif")
IMAGE_KINDS = ("png", "jpeg", "gif", "bmp", "tiff", "webp")


@dataclass
class Extracted:
    """A file's text, notes on how it was read, and per line the OCR confidence (None where the
    line was typed text)."""

    text: str
    notes: list[str] = field(default_factory=list)
    line_confidence: list[float | None] | None = None

    @property
    def ocr(self) -> bool:
        return bool(self.line_confidence) and any(c is not None for c in self.line_confidence)


def extract_text(data: bytes, filename: str, max_bytes: int) -> tuple[str, list[str]]:
    """Return the document's text and notes (warnings) about how it was read."""
    found = extract(data, filename, max_bytes)
    return found.text, found.notes


def extract(data: bytes, filename: str, max_bytes: int) -> Extracted:
    """Read any supported file into text (see the module's docstring)."""
    check_size(len(data), max_bytes)
    if not data:
        raise ImportFailure(_("Tệp rỗng (0 byte): không có gì để nhập."))
    ext = Path(filename).suffix.lower()
    kind = sniff_kind(data)
    if kind == "pdf":
        return _extract_pdf(data, filename)
    if ext == ".pdf":
        raise ImportFailure(
            _("Tệp %(name)s không phải tệp PDF thật (nội dung không bắt đầu bằng %%PDF).")
            % {"name": filename}
        )
    if kind in IMAGE_KINDS and ext not in (".docx", ".doc"):
        return _extract_image(data)
    if ext in IMAGE_EXTENSIONS:
        raise ImportFailure(
            _("Tệp %(name)s không phải là ảnh (JPEG, PNG…) như phần mở rộng của nó.")
            % {"name": filename}
        )
    if ext == ".docx" or (kind == "zip" and ext not in TEXT_EXTENSIONS):
        if kind != "zip":
            if kind in IMAGE_KINDS:
                raise ImportFailure(
                    _("Tệp %(name)s không phải tệp Word (.docx) mà là một tệp %(kind)s.")
                    % {"name": filename, "kind": kind.upper()}
                )
            if kind == "ole":
                return Extracted(*_extract_doc(data, filename))
            raise ImportFailure(
                _("Tệp %(name)s không phải tệp Word (.docx) hợp lệ hoặc đã bị hỏng.")
                % {"name": filename}
            )
        from .docx import docx_text

        return Extracted(docx_text(data, max_bytes=max_bytes))
    if kind == "ole":
        return Extracted(*_extract_doc(data, filename))
    if ext == ".doc" and kind is None:
        return Extracted(*_read_renamed_doc(data, filename))
    text, notes = decode_text_bytes(data)
    if ext in HTML_EXTENSIONS or (ext not in TEXT_EXTENSIONS and _looks_like_html(text)):
        text = html_to_text(text)
    return Extracted(text, notes)


def _lines_to_extracted(lines, notes: list[str]) -> Extracted:
    from .ocr import tidy_line

    texts = [tidy_line(ln.text) if ln.confidence is not None else ln.text for ln in lines]
    return Extracted(nfc("\n".join(texts)), notes, [ln.confidence for ln in lines])


def _extract_pdf(data: bytes, filename: str) -> Extracted:
    from .pdf import pdf_lines

    with tempfile.TemporaryDirectory(prefix="phoihop-pdf-") as tmp:
        lines, notes = pdf_lines(data, filename, tmp)
    return _lines_to_extracted(lines, notes)


def _extract_image(data: bytes) -> Extracted:
    from .layout import read_pages
    from .ocr import image_pages

    with tempfile.TemporaryDirectory(prefix="phoihop-img-") as tmp:
        pages = image_pages(data, tmp)
    lines = read_pages(pages)
    if not any(ln.text.strip() for ln in lines):
        raise ImportFailure(
            _(
                "Không nhận ra chữ nào trong ảnh: ảnh có thể quá mờ, tối hoặc không phải trang văn bản."
            )
        )
    return _lines_to_extracted(
        lines,
        [
            _(
                "Văn bản được đọc từ ảnh bằng nhận dạng chữ (OCR): hãy soát lại các dòng được đánh dấu."
            )
        ],
    )


def decode_text_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode plain-text bytes whose encoding nobody told us.

    BOMs first; then UTF-16 without BOM (every other byte zero); then strict UTF-8; otherwise a
    legacy 8-bit Vietnamese encoding, chosen by ``encodings.guess_legacy``.
    """
    from .encodings import decode_legacy_bytes

    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), []
    sample = data[:4000]
    if len(sample) >= 4:
        even_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
        odd_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
        if even_zero > 0.3 and odd_zero < 0.05:
            return data.decode("utf-16-le", errors="replace"), []
        if odd_zero > 0.3 and even_zero < 0.05:
            return data.decode("utf-16-be", errors="replace"), []
    check_not_binary(data)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    text, encoding = decode_legacy_bytes(data)
    return text, [
        _("Tệp được mã hóa %(encoding)s; đã chuyển sang Unicode.") % {"encoding": encoding}
    ]


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head


_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt", "title",
}  # fmt: skip


class _HTMLText(HTMLParser):
    """Visible text, one block per line; tables of three columns or more as ``| a | b |`` rows
    (the table reader's shape), narrower ones (layout tables) as tab-separated cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        # open tables: their rows, each a list of cells, each a list of text pieces
        self.tables: list[list[list[list[str]]]] = []

    def _cell(self) -> list[str] | None:
        if self.tables and self.tables[-1] and self.tables[-1][-1]:
            return self.tables[-1][-1][-1]
        return None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1
            return
        if tag == "table":
            self.tables.append([])
            return
        if self.tables:
            if tag == "tr":
                self.tables[-1].append([])
                return
            if tag in ("td", "th"):
                if not self.tables[-1]:
                    self.tables[-1].append([])
                self.tables[-1][-1].append([])
                return
            cell = self._cell()
            if cell is not None and tag in _BLOCK_TAGS:
                cell.append(" ")
                return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table" and self.tables:
            rows = [[collapse("".join(c)) for c in row] for row in self.tables.pop()]
            rows = [r for r in rows if any(r)]
            wide = any(len(r) >= 3 for r in rows)
            lines = [("| " + " | ".join(r) + " |") if wide else "\t".join(r) for r in rows]
            text = "\n" + "\n".join(lines) + "\n"
            cell = self._cell()
            if cell is not None:  # a table inside a cell: its text stays in that cell
                cell.append(" " + " ".join(lines) + " ")
            else:
                self.parts.append(text)
            return
        if self.tables:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        cell = self._cell()
        if cell is not None:
            cell.append(data.replace("\n", " "))
        elif not self.tables:
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line (stdlib parser, no network)."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n\n", text)


def _read_renamed_doc(data: bytes, filename: str) -> tuple[str, list[str]]:
    """A file named .doc without Word 97's OLE signature, read as what it really is.

    Word's "Web page" and "Rich text" saves keep the .doc name, and anyone can rename a page.
    Such files never go to LibreOffice: it opens them by their content and fetches every URL in
    them (21 outbound requests from one crafted file, issue 13).
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        raise ImportFailure(
            _(
                "Tệp %(name)s không phải tệp Word 97–2003 (.doc) mà là tệp RTF: hãy mở tệp trong "
                "Word, lưu dưới dạng .docx rồi nhập lại."
            )  # fmt: skip
            % {"name": filename}
        )
    text, notes = decode_text_bytes(data)
    if _looks_like_html(text):
        return html_to_text(text), [
            *notes,
            _("Tệp %(name)s là một trang HTML mang đuôi .doc; đã đọc như trang HTML.")
            % {"name": filename},
        ]
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise ImportFailure(
            _(
                "Tệp %(name)s không phải tệp Word 97–2003 (.doc) mà là tệp XML (như OpenDocument "
                ".fodt): hãy mở tệp, lưu dưới dạng .docx rồi nhập lại."
            )  # fmt: skip
            % {"name": filename}
        )
    return text, notes


@functools.cache
def _no_network_prefix(unshare: str | None) -> tuple[str, ...] | None:
    """The command prefix that runs a program in a network namespace of its own (no interface but
    a loopback that is down), or None where the kernel or the container does not allow one.

    ``unshare --net`` needs root (CAP_SYS_ADMIN); ``--map-root-user`` lets an unprivileged user
    do the same where user namespaces are enabled. Probed once per process.
    """
    if not unshare:
        return None
    for prefix in ((unshare, "--net"), (unshare, "--net", "--map-root-user")):
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return None


def _extract_doc(data: bytes, filename: str) -> tuple[str, list[str]]:
    """Legacy Word 97–2003: convert with LibreOffice (to .docx) or antiword (to text).

    A real .doc still holds links LibreOffice follows on load (an INCLUDEPICTURE field fetches
    its URL), so LibreOffice runs only without network (``_no_network_prefix``); where that is
    not possible, antiword, which reads the text alone, is used or the file is refused.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    no_network = _no_network_prefix(shutil.which("unshare"))
    if not soffice and not antiword:
        raise ImportFailure(
            _(
                "Không đọc được tệp .doc: máy chủ chưa cài LibreOffice hoặc antiword. Hãy lưu tệp "
                "dưới dạng .docx trong Word rồi nhập lại."
            )  # fmt: skip
        )
    if no_network is None and not antiword:
        raise ImportFailure(
            _(
                "Không đọc được tệp .doc: máy chủ không chạy được LibreOffice tách khỏi mạng "
                "(unshare bị chặn) và chưa cài antiword. Hãy lưu tệp dưới dạng .docx trong Word "
                "rồi nhập lại."
            )  # fmt: skip
        )
    with tempfile.TemporaryDirectory(prefix="phoihop-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        try:
            if soffice and no_network is not None:
                subprocess.run(
                    # A private profile per conversion: two imports at once must not share
                    # (and lock) the user's LibreOffice profile.
                    [*no_network, soffice, "--headless", "--norestore",
                     f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                     "--convert-to", "docx", "--outdir", tmp, str(src)],
                    check=True, capture_output=True, timeout=120,
                )  # fmt: skip
                from .docx import docx_text

                out = (Path(tmp) / "input.docx").read_bytes()
                return docx_text(out, max_bytes=max(len(out), 1) * 10), []
            done = subprocess.run(
                [antiword, "-m", "UTF-8.txt", str(src)], check=True, capture_output=True,
                timeout=120,
            )  # fmt: skip
            return nfc(done.stdout.decode("utf-8", errors="replace")), []
        except (subprocess.SubprocessError, OSError) as exc:
            raise ImportFailure(
                _("Không chuyển đổi được tệp .doc %(name)s; tệp có thể bị hỏng.")
                % {"name": filename}
            ) from exc
