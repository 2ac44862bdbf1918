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
    if len(suites) > 1:
        return _bench_each_in_its_own_process(suites, output, args.gold)
    metrics = bench.run(suites, gold_dir=args.gold)
    bench.write_results(metrics, output)
    print()
    bench.print_table(metrics)
    print(_("Đã ghi %(path)s") % {"path": output})
    sys.stdout.flush()
    return 0


def _bench_each_in_its_own_process(suites: list[str], output: Path, gold: Path | None) -> int:
    """Several suites: each runs in a process of its own (some start Django on a database of
    their own, which a process can do only once), writing into the same results file."""
    import subprocess

    failed = []
    for name in suites:
        command = [sys.executable, "-m", "phoihop", "bench", name, "--output", str(output)]
        if gold is not None:
            command += ["--gold", str(gold)]
        print(f"== {name}", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(
            _("Các phần đo bị lỗi: %(names)s; các phần khác đã ghi vào %(path)s")
            % {"names": ", ".join(failed), "path": output},
            file=sys.stderr,
        )
        return 1
    print(_("Đã ghi %(path)s") % {"path": output})
    return 0


REGISTER: list = [register_import, register_bench]
from phoihop.cli.schedule import register_calendar, register_schedule  # noqa: E402

REGISTER += [register_calendar, register_schedule]


def _register_document_commands(sub) -> None:
    """``lint`` and ``render`` (issue 5), kept in ``phoihop.cli.documents``; no Django is started."""
    from phoihop.cli.documents import register

    register(sub)


REGISTER.append(_register_document_commands)


def register_backup(sub) -> None:
    """``backup`` and ``restore`` (issue 13): the database and its evidence files, checked."""
    parser = sub.add_parser(
        "backup", help=_("sao lưu cơ sở dữ liệu và tệp minh chứng vào một tệp nén")
    )
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar=_("THƯ_MỤC"),
        help=_("nơi ghi bản sao lưu (mặc định PHOIHOP_BACKUP_DIR, tức var/backups/)"),
    )
    parser.set_defaults(handler=cmd_backup)
    parser = sub.add_parser(
        "restore", help=_("khôi phục một bản sao lưu vào một cài đặt mới, còn trống")
    )
    parser.add_argument("archive", type=Path, metavar=_("TỆP_SAO_LƯU"))
    parser.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from django.template.defaultfilters import filesizeformat

    from phoihop import backup
    from phoihop.cli import CommandError, _check_database, setup_django

    setup_django()
    _check_database()
    try:
        result = backup.create_backup(args.directory)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    for name in result.missing:
        print(
            _("Cảnh báo: không thấy tệp minh chứng %(name)s, bản sao lưu không có tệp này.")
            % {"name": name},
            file=sys.stderr,
        )
    print(
        _("Đã sao lưu vào %(path)s (%(size)s, %(files)s tệp minh chứng).")
        % {"path": result.path, "size": filesizeformat(result.size), "files": result.files}
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from phoihop import backup
    from phoihop.cli import CommandError, _check_database, setup_django

    setup_django()
    _check_database()
    try:
        result = backup.restore_backup(args.archive)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(
        _("Đã khôi phục bản sao lưu lúc %(when)s (%(files)s tệp minh chứng).")
        % {"when": _local_time(result.created_at), "files": result.files}
    )
    return 0


def _local_time(iso: str) -> str:
    import datetime as dt

    from django.utils import timezone

    try:
        return timezone.localtime(dt.datetime.fromisoformat(iso)).strftime("%d/%m/%Y %H:%M")
    except (ValueError, TypeError):
        return iso


REGISTER.append(register_backup)


def _register_setup(sub) -> None:
    """``setup``: the first run of a real installation (issue 12), in ``phoihop.cli.people``."""
    from phoihop.cli.people import register

    register(sub)


REGISTER.append(_register_setup)
