"""Subcommands of ``phoihop`` that run the pipeline (import, calendar, schedule, lint, render, bench).

Each function of ``REGISTER`` receives argparse's subparsers object, adds one subcommand and sets its
``handler``; a handler returns the exit code and raises ``phoihop.cli.CommandError`` for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phoihop.core.i18n import _


def register_import(sub) -> None:
    parser = sub.add_parser("import", help=_("đọc một tệp kế hoạch và in kế hoạch đã nhận dạng"))
    parser.add_argument("file", metavar=_("TỆP"))
    parser.add_argument("--json", action="store_true", help=_("in dạng JSON phoihop.import/1"))
    parser.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from phoihop.cli import CommandError, _print_json
    from phoihop.core.importing import ImportFailure, import_file
    from phoihop.core.importing.summary import format_summary

    try:
        plan = import_file(args.file, max_bytes=_max_bytes())
    except ImportFailure as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        _print_json(plan)
    else:
        print(format_summary(plan))
    return 0


def _max_bytes() -> int:
    from phoihop import config
    from phoihop.cli import CommandError

    try:
        return config.env_int("PHOIHOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
    except config.ConfigError as exc:
        raise CommandError(str(exc)) from exc


def register_bench(sub) -> None:
    from phoihop.bench import SUITES

    parser = sub.add_parser(
        "bench", help=_("đo hiệu năng và độ chính xác, ghi var/bench/results.json")
    )
    parser.add_argument(
        "suites",
        nargs="*",
        choices=[[], *SUITES],
        metavar=_("PHẦN"),
        help=_("các phần cần đo: %(names)s (mặc định: tất cả)") % {"names": ", ".join(SUITES)},
    )
    parser.add_argument("--gold", type=Path, help=_("thư mục chứa các cặp *.txt + *.gold.json"))
    parser.add_argument(
        "--output", type=Path, help=_("tệp kết quả (mặc định var/bench/results.json)")
    )
    parser.set_defaults(handler=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from phoihop import bench, config

    suites = [s for s in (args.suites or list(bench.SUITES)) if s]
    # Decided before the suites run: some of them start Django on a temporary folder.
    output = args.output or config.var_dir() / "bench" / "results.json"
    metrics = bench.run(suites, gold_dir=args.gold)
    bench.write_results(metrics, output)
    print()
    bench.print_table(metrics)
    print(_("Đã ghi %(path)s") % {"path": output})
    sys.stdout.flush()
    return 0


REGISTER: list = [register_import, register_bench]
from phoihop.schedule.cli import register_calendar, register_schedule  # noqa: E402

REGISTER += [register_calendar, register_schedule]


def _register_document_commands(sub) -> None:
    """``lint`` and ``render`` (issue 5), kept in ``phoihop.documents.cli``; no Django is started."""
    from phoihop.documents.cli import register

    register(sub)


REGISTER.append(_register_document_commands)


def _register_setup(sub) -> None:
    """``setup``: the first run of a real installation (issue 12), in ``phoihop.people.cli``."""
    from phoihop.people.cli import register

    register(sub)


REGISTER.append(_register_setup)
