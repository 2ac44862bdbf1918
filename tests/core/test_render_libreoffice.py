"""The rendered DOCX opens in LibreOffice (installed by the Makefile): it converts without error."""

import json
import shutil
import subprocess

import pytest

from phoihop.core.render.docx import render_docx
from tests.seeds import SEEDS_DIR

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SEEDS = SEEDS_DIR


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_rendered_docx_to_pdf(tmp_path):
    gold = sorted(SEEDS.glob("*.gold.json"))
    if not gold:
        pytest.skip(f"no annotated seeds in {SEEDS}")
    plan = json.loads(gold[-1].read_text(encoding="utf-8"))
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(render_docx(plan))
    done = subprocess.run(
        [SOFFICE, "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "ke-hoach.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf.replace(b"/Type/Page", b"/Type /Page")
