"""Legacy .doc files go through LibreOffice (installed by the Makefile) and read like the .docx."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from phoihop.core.importing import import_bytes
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
