"""``phoihop import``: read a plan file and print the plan recognised in it.

Plain Python: the importer is core code and no Django is started, so a plan can be read on a machine
with no database.
"""

from __future__ import annotations

import argparse

from phoihop import config
from phoihop.cli.errors import CommandError
from phoihop.cli.runtime import print_json
from phoihop.core.i18n import _


def register_import(sub) -> None:
    parser = sub.add_parser("import", help=_("đọc một tệp kế hoạch và in kế hoạch đã nhận dạng"))
    parser.add_argument("file", metavar=_("TỆP"))
    parser.add_argument("--json", action="store_true", help=_("in dạng JSON phoihop.import/1"))
    parser.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from phoihop.core.importing import ImportFailure, import_file
    from phoihop.core.importing.summary import format_summary

    try:
        plan = import_file(args.file, max_bytes=_max_bytes())
    except ImportFailure as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print_json(plan)
    else:
        print(format_summary(plan))
    return 0


def _max_bytes() -> int:
    try:
        return config.env_int("PHOIHOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
    except config.ConfigError as exc:
        raise CommandError(str(exc)) from exc
