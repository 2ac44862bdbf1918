"""The ``phoihop`` command: the pipeline's steps, the server, and Django's commands behind them.

Steps that are plain domain logic (import, calendar, schedule, lint, render) run without starting
Django, so they work on a machine with no database. Anything else is handed to Django's management
commands (``phoihop migrate``, ``phoihop createsuperuser`` …).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from phoihop.core.i18n import _, gettext_noop

EXIT_BAD_INPUT = 2
DEFAULT_ADDR = "127.0.0.1:8000"
# Generated schools the demo adds below its Sở: a roll-up of a few hundred schools.
DEMO_PROVINCE_SCHOOLS = 200


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


class CommandError(Exception):
    """A user-facing failure: printed as one message, exit code 2, no traceback."""


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# -- Django-backed commands -----------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandError(_("Cấu hình không hợp lệ: %(error)s") % {"error": exc}) from exc


def _check_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        raise CommandError(
            _("Không kết nối được cơ sở dữ liệu: %(error)s. Hãy kiểm tra DATABASE_URL.")
            % {"error": str(exc).strip()}
        ) from exc


def print_logins() -> None:
    from phoihop.web.demo import demo_logins

    print(_("Tài khoản dùng thử (mật khẩu giống nhau cho mọi tài khoản):"))
    for login in demo_logins():
        print(f"  {login.username:<14} {login.password:<14} {_(login.role)}")


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    _check_database()
    from django.core.management import call_command

    from phoihop.web.demo import load_demo

    if args.schools < 0:
        print(_("Số trường mô phỏng phải từ 0 trở lên."), file=sys.stderr)
        return 2
    call_command("migrate", interactive=False, verbosity=0)
    from phoihop.units.models import Unit

    if args.schools and not Unit.objects.exists():
        print(
            _("Đang tạo dữ liệu dùng thử, cùng %(n)s trường mô phỏng (mất khoảng một phút)…")
            % {"n": args.schools},
            flush=True,
        )
    if load_demo(province_schools=args.schools):
        print(_("Đã tạo dữ liệu dùng thử."))
    else:
        print(_("Cơ sở dữ liệu đã có dữ liệu: giữ nguyên, không tạo lại dữ liệu dùng thử."))
    print_logins()
    if args.no_serve:
        return 0
    return _serve(args.addrport)


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    _check_database()
    return _serve(args.addrport)


def gunicorn_options(addrport: str) -> dict:
    """gunicorn's settings for ``phoihop serve``/``demo``: threads, logs, time limits."""
    return {
        "bind": addrport,
        "workers": 2,
        "threads": 4,
        "worker_class": "gthread",
        "accesslog": "-",
        # Feed tokens in addresses are masked in the access log (``phoihop.web.logmask``).
        "logger_class": "phoihop.web.logmask.MaskedGunicornLogger",
        "timeout": 120,
        "graceful_timeout": 5,
    }


def _serve(addrport: str) -> int:
    """Serve with gunicorn (threads; the app's own static files through WhiteNoise)."""
    host, _sep, port = addrport.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(
            _("Địa chỉ “%(addr)s” không hợp lệ: hãy viết dạng ĐỊA_CHỈ:CỔNG, ví dụ 127.0.0.1:8000.")
            % {"addr": addrport}
        )
    from gunicorn.app.base import BaseApplication

    print(
        _("Phối hợp đang chạy tại http://%(addr)s/ — nhấn Ctrl+C để dừng.") % {"addr": addrport},
        flush=True,
    )
    options = gunicorn_options(addrport)

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from phoihop.wsgi import application

            return application

    Server().run()
    return 0


def run_django(argv: Sequence[str]) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["phoihop", *argv])
    return 0


# -- the parser -------------------------------------------------------------------------------------

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "serve": cmd_serve,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phoihop",
        description=_("Phối hợp: kế hoạch phối hợp của nhà trường, từ văn bản đến việc làm."),
        epilog=_(
            "Các lệnh quản trị của Django cũng dùng được: phoihop migrate, "
            "phoihop createsuperuser, phoihop help …"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("LỆNH"))

    demo = sub.add_parser("demo", help=_("tạo dữ liệu dùng thử (nếu CSDL trống) rồi chạy máy chủ"))
    demo.add_argument("addrport", nargs="?", default=DEFAULT_ADDR, metavar=_("ĐỊA_CHỈ:CỔNG"))
    demo.add_argument(
        "--no-serve", action="store_true", help=_("chỉ tạo dữ liệu, không chạy máy chủ")
    )
    demo.add_argument(
        "--schools",
        type=int,
        default=DEMO_PROVINCE_SCHOOLS,
        metavar="N",
        help=_(
            "số trường mô phỏng thêm vào Sở để xem trang tổng hợp "
            "(mặc định %(default)s; 0: không tạo)"
        ),
    )

    serve = sub.add_parser("serve", help=_("chạy máy chủ web"))
    serve.add_argument("addrport", nargs="?", default=DEFAULT_ADDR, metavar=_("ĐỊA_CHỈ:CỔNG"))

    for extension in _extensions():
        extension(sub)
    return parser


def _extensions() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Subcommands contributed by other modules (kept apart so this file stays small)."""
    from phoihop.cli import bench

    return bench.REGISTER


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
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
        return args.handler(args) if hasattr(args, "handler") else COMMANDS[args.command](args)
    except CommandError as exc:
        print(f"phoihop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (``| head``) went away: nothing left to say.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
