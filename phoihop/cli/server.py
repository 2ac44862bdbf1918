"""``phoihop demo`` and ``phoihop serve``: the web server (gunicorn), and the demo data before it.

Django starts when one of these commands runs, not when the parser is built.
"""

from __future__ import annotations

import argparse
import sys

from phoihop.cli.errors import EXIT_BAD_INPUT, CommandError
from phoihop.cli.runtime import start_django
from phoihop.core.i18n import _

DEFAULT_ADDR = "127.0.0.1:8000"
# Generated schools the demo adds below its Sở: a roll-up of a few hundred schools.
DEMO_PROVINCE_SCHOOLS = 200


def register_demo(sub) -> None:
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
    demo.set_defaults(handler=cmd_demo)


def register_serve(sub) -> None:
    serve = sub.add_parser("serve", help=_("chạy máy chủ web"))
    serve.add_argument("addrport", nargs="?", default=DEFAULT_ADDR, metavar=_("ĐỊA_CHỈ:CỔNG"))
    serve.set_defaults(handler=cmd_serve)


def print_logins() -> None:
    from phoihop.web.demo import demo_logins

    print(_("Tài khoản dùng thử (mật khẩu giống nhau cho mọi tài khoản):"))
    for login in demo_logins():
        print(f"  {login.username:<14} {login.password:<14} {_(login.role)}")


def cmd_demo(args: argparse.Namespace) -> int:
    start_django()
    from django.core.management import call_command

    from phoihop.web.demo import load_demo

    if args.schools < 0:
        print(_("Số trường mô phỏng phải từ 0 trở lên."), file=sys.stderr)
        return EXIT_BAD_INPUT
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
    return serve(args.addrport)


def cmd_serve(args: argparse.Namespace) -> int:
    start_django()
    return serve(args.addrport)


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


def serve(addrport: str) -> int:
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
