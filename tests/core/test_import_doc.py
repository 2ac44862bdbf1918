"""Legacy .doc files go through LibreOffice (installed by the Makefile) and read like the .docx."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from phoihop.core.importing import ImportFailure, extract, import_bytes
from phoihop.core.importing.fixtures import text_to_docx
from phoihop.core.importing.scoring import find_pairs, read_source_text, score_document
from tests.seeds import SEEDS_DIR

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SEEDS = SEEDS_DIR

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def make_doc(text: str, folder: Path) -> bytes:
    """Write the text as a .docx with real numbering, then let LibreOffice save it as Word 97."""
    source = folder / "plan.docx"
    source.write_bytes(text_to_docx(text))
    subprocess.run(
        [SOFFICE, "--headless", "--norestore",
         f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--convert-to", "doc", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (folder / "plan.doc").read_bytes()


def test_doc_version_of_a_seed_reads_like_the_text(tmp_path):
    gold_path, source = sorted(find_pairs(SEEDS), key=lambda p: p[1].stat().st_size)[0]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    data = make_doc(read_source_text(source), tmp_path)
    assert (
        data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    )  # an OLE compound file, not a renamed docx
    score = score_document(gold, import_bytes(data, "ke-hoach.doc"))
    assert score.counts["commitments"].f1 >= 0.9
    assert score.counts["sections"].f1 >= 0.9
    assert score.exact["doc_type"]


# -- no network: renamed pages and linked pictures (issue 13) --------------------------------------


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that counts who connects (and answers 404 to HTTP)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(32)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    seen.append(conn.recv(200))
                    conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    seen.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", seen
    stop.set()
    thread.join()
    server.close()


def _page(url: str) -> str:
    return (
        f"<html><head><link rel='stylesheet' href='{url}/kieu.css'></head><body>"
        f"<p>KẾ HOẠCH phối hợp năm học 2025-2026</p><img src='{url}/anh.png'>"
        f"<iframe src='{url}/khung'></iframe><p>I. NỘI DUNG</p>"
        # antiword refuses a text stream of a few lines: forty items.
        + "".join(
            f"<p>{n}. Nhà trường phối hợp với Công đoàn tổ chức hoạt động số {n}.</p>"
            for n in range(1, 41)
        )
        + "</body></html>"
    )


def _real_doc_linking(url: str, folder: Path) -> bytes:
    """A Word 97 file whose picture is an INCLUDEPICTURE field pointing at ``url`` (saved by
    LibreOffice from a page, in a network namespace of its own so that saving fetches nothing)."""
    page = folder / "trang.html"
    page.write_text(_page(url), encoding="utf-8")
    subprocess.run(
        ["unshare", "--net", SOFFICE, "--headless", "--norestore",
         f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(page)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    data = (folder / "trang.doc").read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and url.encode() in data
    return data


def test_html_page_named_doc_is_read_as_html_and_fetches_nothing(listener):
    url, seen = listener
    plan = import_bytes(_page(url).encode(), "ke-hoach.doc")
    assert plan["title"].startswith("KẾ HOẠCH")
    assert any("trang HTML" in w for w in plan["warnings"])
    assert seen == []


def test_flat_opendocument_named_doc_is_refused_with_a_reason(listener):
    url, seen = listener
    fodt = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office='
        '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:xlink='
        f'"http://www.w3.org/1999/xlink"><office:body><draw:image xlink:href="{url}/a.png"/>'
        "</office:body></office:document>"
    )
    with pytest.raises(ImportFailure, match="XML"):
        import_bytes(fodt.encode(), "ke-hoach.doc")
    assert seen == []


def test_rtf_named_doc_is_refused_with_a_reason():
    with pytest.raises(ImportFailure, match="RTF"):
        import_bytes(rb"{\rtf1\ansi KE HOACH}", "ke-hoach.doc")


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_real_doc_linking_a_picture_is_converted_without_network(listener, tmp_path):
    url, seen = listener
    data = _real_doc_linking(url, tmp_path)
    plan = import_bytes(data, "ke-hoach.doc")
    assert plan["title"].startswith("KẾ HOẠCH")
    assert seen == []


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_without_a_network_namespace_a_doc_is_read_by_antiword(listener, tmp_path, monkeypatch):
    url, seen = listener
    data = _real_doc_linking(url, tmp_path)
    monkeypatch.setattr(extract, "_no_network_prefix", lambda unshare: None)
    plan = import_bytes(data, "ke-hoach.doc")
    assert plan["title"].startswith("KẾ HOẠCH")
    assert seen == []


def test_without_a_network_namespace_or_antiword_a_doc_is_refused(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name: None if name == "antiword" else real_which(name)
    )
    monkeypatch.setattr(extract, "_no_network_prefix", lambda unshare: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    with pytest.raises(ImportFailure, match="tách khỏi mạng"):
        import_bytes(ole, "cu.doc")
