"""``phoihop lint`` and ``phoihop render`` on the seed plans and on bad input."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from phoihop.cli import main
from phoihop.core.render import RenderError
from phoihop.core.render.pdf import find_font_files
from tests.documents.conftest import gold_files

GOLD = gold_files()
SEED_2022 = next((p for p in GOLD if p.name.startswith("004_")), None)


def test_lint_finds_the_stale_year_and_lunar_year_of_the_2022_plan(seeds, capsys):
    code = main(["lint", str(SEED_2022)])
    out = capsys.readouterr().out
    assert code == 1
    assert "“năm học 2020-2021” không phải năm học của văn bản (2022-2023)" in out
    assert "“Nhâm Dần” không phải năm âm lịch" in out and "Quý Mão" in out
    assert "Gợi ý:" in out


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.name[:3])
def test_lint_json_gives_rule_place_text_and_suggestion(gold, capsys):
    code = main(["lint", str(gold), "--json"])
    findings = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert code == (1 if any(f["severity"] in ("error", "warning") for f in findings) else 0)
    for finding in findings:
        assert {"rule", "place", "text", "suggestion"} <= finding.keys()
        assert all(finding[k] for k in ("rule", "place", "text"))


def test_lint_reads_a_source_document_through_the_importer(seeds, capsys):
    source = SEED_2022.with_name(SEED_2022.name.replace(".gold.json", ".txt"))
    if not source.exists():
        pytest.skip("the seed's source text is not beside its gold file")
    code = main(["lint", str(source), "--json"])
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)}
    assert code == 1
    assert {"school_year", "lunar_year"} <= rules


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.name[:3])
def test_render_docx_writes_a_word_file(gold, tmp_path, capsys):
    from docx import Document

    out = tmp_path / "plan.docx"
    assert main(["render", str(gold), "--format", "docx", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert json.loads(gold.read_text(encoding="utf-8"))["commitments"][0]["text"][:30] in text


@pytest.mark.skipif(
    importlib.util.find_spec("weasyprint") is None or find_font_files() is None,
    reason="WeasyPrint or a Times-compatible font is not installed",
)
def test_render_pdf_writes_a_pdf(seeds, tmp_path):
    out = tmp_path / "plan.pdf"
    assert main(["render", str(SEED_2022), "--format", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_render_pdf_without_weasyprint_exits_2_with_the_reason(
    seeds, tmp_path, capsys, monkeypatch
):
    import phoihop.core.render.pdf as pdf

    def missing(plan, **kwargs):
        raise RenderError("Không tạo được PDF: máy chủ chưa cài thư viện WeasyPrint.")

    monkeypatch.setattr(pdf, "render_pdf", missing)
    out = tmp_path / "plan.pdf"
    assert main(["render", str(SEED_2022), "--format", "pdf", "-o", str(out)]) == 2
    assert "chưa cài thư viện WeasyPrint" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.json", "{not json", "không phải JSON hợp lệ"),
        ("plan.json", '{"format": "something/2"}', "không phải kế hoạch định dạng"),
        ("missing.json", None, "Không đọc được tệp"),
        ("picture.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "không phải tệp Word"),
    ],
)
@pytest.mark.parametrize("command", ["lint", "render"])
def test_bad_file_exits_2_with_a_vietnamese_message(
    tmp_path, capsys, command, name, content, message
):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    argv = [command, str(path)]
    if command == "render":
        argv += ["--format", "docx", "-o", str(tmp_path / "out.docx")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_lint_and_render_do_not_start_django(seeds, tmp_path):
    script = (
        "import sys\n"
        "from phoihop.cli import main\n"
        f"main(['lint', {str(SEED_2022)!r}, '--json'])\n"
        f"main(['render', {str(SEED_2022)!r}, '--format', 'docx', '-o', {str(tmp_path / 'x.docx')!r}])\n"
        "assert 'django' not in sys.modules, 'Django was imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
