"""The ``phoihop`` command: the pipeline's steps, the server, and Django's commands behind them.

Steps that are plain domain logic (import, calendar, schedule, lint, render) run without starting
Django, so they work on a machine with no database. Anything else is handed to Django's management
commands (``phoihop migrate``, ``phoihop createsuperuser`` …).

Each command lives in a module of this package (``importing``, ``documents``, ``schedule``,
``backup``, ``people``, ``server``, ``bench``) as a ``register_<name>(sub)`` function that adds its
subcommand and sets its ``handler``; a handler returns the exit code and raises
``phoihop.cli.errors.CommandError`` for bad input. ``REGISTER`` lists them in the order of
``phoihop --help``. No module outside this package imports it, and its modules import only each
other and the apps, so there is no circle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from phoihop.cli import backup, bench, documents, importing, people, schedule, server
from phoihop.cli.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, CommandError
from phoihop.cli.runtime import setup_django
from phoihop.core.i18n import _, gettext_noop

# argparse's own words (usage line, group titles, its error messages), from its English source to
# our Vietnamese msgids, so that ``phoihop --help`` and its errors read in one language. argparse
# looks them up through its module-level ``_`` when a parser is built or fails.
ARGPARSE_WORDS = {
    "usage: ": gettext_noop("cách dùng: "),
    "positional arguments": gettext_noop("tham số"),
    "options": gettext_noop("tùy chọn"),
    "show this help message and exit": gettext_noop("hiện hướng dẫn này rồi thoát"),
    "%(prog)s: error: %(message)s\n": gettext_noop("%(prog)s: lỗi: %(message)s\n"),
    "argument %(argument_name)s: %(message)s": gettext_noop(
        "tham số %(argument_name)s: %(message)s"
    ),
    "the following arguments are required: %s": gettext_noop("thiếu tham số bắt buộc: %s"),
    "one of the arguments %s is required": gettext_noop("cần một trong các tham số %s"),
    "not allowed with argument %s": gettext_noop("không dùng cùng tham số %s"),
    "unrecognized arguments: %s": gettext_noop("tham số không hiểu được: %s"),
    "expected one argument": gettext_noop("cần một giá trị"),
    "invalid %(type)s value: %(value)r": gettext_noop("giá trị %(type)s không hợp lệ: %(value)r"),
    "invalid choice: %(value)r (choose from %(choices)s)": gettext_noop(
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "ambiguous option: %(option)s could match %(matches)s": gettext_noop(
        "tùy chọn chưa rõ: %(option)s có thể là %(matches)s"
    ),
}


def _argparse_gettext(message: str) -> str:
    vietnamese = ARGPARSE_WORDS.get(message)
    return _(vietnamese) if vietnamese else message


argparse._ = _argparse_gettext  # type: ignore[attr-defined]


REGISTER: list[Callable] = [
    server.register_demo,
    server.register_serve,
    importing.register_import,
    bench.register_bench,
    schedule.register_calendar,
    schedule.register_schedule,
    documents.register_lint,
    documents.register_render,
    backup.register_backup,
    backup.register_restore,
    people.register_setup,
]


class _Commands:
    """argparse's subparsers, remembering the name of each command added to them, so that
    ``main`` knows which words are ours and which are Django's."""

    def __init__(self, sub) -> None:
        self._sub = sub
        self.names: set[str] = set()

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        self.names.add(name)
        return self._sub.add_parser(name, **kwargs)


def run_django(argv: Sequence[str]) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["phoihop", *argv])
    return 0


def _build() -> tuple[argparse.ArgumentParser, set[str]]:
    parser = argparse.ArgumentParser(
        prog="phoihop",
        description=_("Phối hợp: kế hoạch phối hợp của nhà trường, từ văn bản đến việc làm."),
        epilog=_(
            "Các lệnh quản trị của Django cũng dùng được: phoihop migrate, "
            "phoihop createsuperuser, phoihop help …"
        ),
    )
    commands = _Commands(parser.add_subparsers(dest="command", metavar=_("LỆNH")))
    for register in REGISTER:
        register(commands)
    return parser, commands.names


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, known = _build()
    if argv and not argv[0].startswith("-") and argv[0] not in known:
        try:
            return run_django(argv)
        except CommandError as exc:
            print(f"phoihop: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except CommandError as exc:
        print(f"phoihop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (``| head``) went away: nothing left to say.
        sys.stderr.close()
        return 0
