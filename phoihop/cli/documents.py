"""``phoihop lint`` and ``phoihop render``: the core's check and renderer from the command line.

Plain Python on purpose (no Django is imported here or by what this imports): a clerk or a CI job
can check and print a plan file on a machine with no database. FILE is the JSON that
``phoihop import --json`` prints, or a source document that the importer reads first.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from phoihop.cli.errors import EXIT_FINDINGS, CommandError
from phoihop.core.i18n import _
from phoihop.core.importing.plan import FORMAT


def _read_json_plan(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CommandError(
            _("Không đọc được tệp %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(
            _("Tệp %(path)s không phải JSON hợp lệ (%(error)s).") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CommandError(
            _(
                "Tệp %(path)s không phải kế hoạch định dạng %(format)s: hãy dùng tệp JSON do lệnh "
                "“phoihop import --json” tạo ra, hoặc chính tệp văn bản gốc."
            )
            % {"path": path, "format": FORMAT}
        )
    return data


def _raw_text(path: Path) -> str | None:
    """The source's text for the lint's line-level checks; None where the importer cannot give it."""
    try:
        from phoihop.core.importing import DEFAULT_MAX_BYTES
        from phoihop.core.importing.extract import extract_text
    except ImportError:
        return None
    try:
        text, _notes = extract_text(path.read_bytes(), path.name, DEFAULT_MAX_BYTES)
    except Exception:  # the plan was read already; the raw text is a bonus, never a failure
        return None
    return text


def load_plan(file: str) -> tuple[dict, str | None]:
    """The plan of ``file`` and, for a source document, its text (JSON files have none)."""
    path = Path(file)
    if path.suffix.lower() == ".json":
        return _read_json_plan(path), None
    try:
        from phoihop.core.importing import ImportFailure, import_file
    except ImportError as exc:
        raise CommandError(
            _("Chưa đọc được tệp văn bản gốc trên máy này: hãy dùng tệp JSON định dạng %(format)s.")
            % {"format": FORMAT}
        ) from exc
    try:
        plan = import_file(path)
    except ImportFailure as exc:
        raise CommandError(str(exc)) from exc
    return plan, _raw_text(path)


# -- lint ---------------------------------------------------------------------------------------


def register_lint(sub) -> None:
    parser = sub.add_parser(
        "lint",
        help=_("kiểm tra một kế hoạch: năm học, năm âm lịch, chủ trì, tần suất, thể thức"),
        description=_(
            "Kiểm tra văn bản. Mã thoát: 0 khi không có lỗi hay cảnh báo, 1 khi có, 2 khi tệp "
            "không đọc được."
        ),
    )
    parser.add_argument("file", metavar=_("TỆP"))
    parser.add_argument(
        "--json",
        action="store_true",
        help=_("in các vấn đề dạng JSON (rule, place, text, suggestion)"),
    )
    parser.add_argument(
        "--school-year",
        metavar=_("NĂM_HỌC"),
        help=_("năm học của văn bản, ví dụ 2025-2026 (mặc định: theo văn bản)"),
    )
    parser.set_defaults(handler=cmd_lint)


def cmd_lint(args: argparse.Namespace) -> int:
    from phoihop.core.lint import format_findings, lint

    plan, raw_text = load_plan(args.file)
    findings = lint(plan, school_year=args.school_year, raw_text=raw_text)
    if args.json:
        json.dump([asdict(f) for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_findings(findings))
    return EXIT_FINDINGS if any(f.severity in ("error", "warning") for f in findings) else 0


# -- render -------------------------------------------------------------------------------------


def register_render(sub) -> None:
    parser = sub.add_parser(
        "render", help=_("in một kế hoạch ra DOCX hoặc PDF theo thể thức Nghị định 30/2020")
    )
    parser.add_argument("file", metavar=_("TỆP"))
    parser.add_argument(
        "--format", required=True, choices=["docx", "pdf"], help=_("định dạng đầu ra")
    )
    parser.add_argument("-o", "--output", required=True, metavar=_("TỆP_RA"), help=_("tệp ghi ra"))
    parser.add_argument(
        "--superior",
        metavar=_("CƠ_QUAN_CHỦ_QUẢN"),
        help=_("tên cơ quan chủ quản in phía trên tên cơ quan ban hành"),
    )
    parser.set_defaults(handler=cmd_render)


def cmd_render(args: argparse.Namespace) -> int:
    from phoihop.core.render import RenderError

    plan, _raw = load_plan(args.file)
    try:
        if args.format == "docx":
            from phoihop.core.render.docx import render_docx

            data = render_docx(plan, issuer_superior=args.superior)
        else:
            from phoihop.core.render.pdf import render_pdf

            data = render_pdf(plan, issuer_superior=args.superior)
    except RenderError as exc:
        raise CommandError(str(exc)) from exc
    output = Path(args.output)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise CommandError(
            _("Không ghi được tệp %(path)s: %(error)s") % {"path": output, "error": exc.strerror}
        ) from exc
    print(_("Đã ghi %(path)s") % {"path": output})
    return 0
