"""``phoihop backup`` and ``phoihop restore`` (issue 13): the database and its evidence files,
checked; the work is ``phoihop.backup``'s, which needs Django, started when a command runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phoihop.cli.errors import CommandError
from phoihop.cli.runtime import start_django
from phoihop.core.i18n import _


def register_backup(sub) -> None:
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


def register_restore(sub) -> None:
    parser = sub.add_parser(
        "restore", help=_("khôi phục một bản sao lưu vào một cài đặt mới, còn trống")
    )
    parser.add_argument("archive", type=Path, metavar=_("TỆP_SAO_LƯU"))
    parser.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    start_django()
    from django.template.defaultfilters import filesizeformat

    from phoihop import backup

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
    start_django()
    from phoihop import backup

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
