"""``phoihop setup``: the first run from the command line, with flags or by answering questions.

Nothing here imports Django until the command runs, so ``phoihop --help`` stays fast.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from phoihop.cli.errors import CommandError
from phoihop.cli.runtime import start_django
from phoihop.core.i18n import _, gettext_noop

PASSWORD_ENV = "PHOIHOP_SETUP_PASSWORD"
# (flag, attribute, question) of what the first run needs; asked in this order when missing.
REQUIRED = (
    ("--level", "level", gettext_noop("Cấp đơn vị (%(levels)s)")),
    ("--name", "name", gettext_noop("Tên đơn vị")),
    ("--leader", "leader", gettext_noop("Họ và tên lãnh đạo (tài khoản đầu tiên)")),
    ("--username", "username", gettext_noop("Tên đăng nhập của lãnh đạo")),
)


def register_setup(sub) -> None:
    parser = sub.add_parser(
        "setup",
        help=_("cài đặt lần đầu: tạo đơn vị, tài khoản lãnh đạo, năm học và các tổ chức phối hợp"),
    )
    parser.add_argument("--level", help=_("cấp đơn vị: so_gd, phong_gd, tieu_hoc, thcs, thpt …"))
    parser.add_argument("--name", help=_("tên đơn vị, ví dụ “Trường THCS Hoàng Hoa Thám”"))
    parser.add_argument("--code", default="", help=_("mã viết tắt dùng trong ký hiệu văn bản"))
    parser.add_argument("--locality", default="", help=_("địa bàn, ví dụ “phường Ba Đình, Hà Nội”"))
    parser.add_argument("--superior", default="", help=_("tên cơ quan chủ quản"))
    parser.add_argument("--leader", help=_("họ và tên của lãnh đạo"))
    parser.add_argument("--title", default="", help=_("chức danh của lãnh đạo, ví dụ Hiệu trưởng"))
    parser.add_argument("--username", help=_("tên đăng nhập của lãnh đạo"))
    parser.add_argument("--email", default="", help=_("thư điện tử của lãnh đạo"))
    parser.add_argument(
        "--year", default="", help=_("năm học, ví dụ 2026-2027 (mặc định: hiện tại)")
    )
    parser.add_argument(
        "--party",
        action="append",
        default=[],
        metavar=_("LOẠI=TÊN"),
        help=_("thêm một tổ chức phối hợp, ví dụ cong_an=“Công an phường Ba Đình” (lặp lại được)"),
    )
    parser.add_argument(
        "--no-default-parties",
        action="store_true",
        help=_("không tạo các tổ chức phối hợp mặc định của cấp đơn vị"),
    )
    parser.set_defaults(handler=cmd_setup)


def _ask(question: str) -> str:
    try:
        return input(f"{question}: ").strip()
    except EOFError:
        return ""


def _complete(args: argparse.Namespace, levels: list[str]) -> list[str]:
    """Fill what is missing by asking (on a terminal); the flags still missing otherwise."""
    interactive = sys.stdin.isatty()
    missing = []
    for flag, attribute, question in REQUIRED:
        if getattr(args, attribute):
            continue
        if interactive:
            setattr(args, attribute, _ask(_(question) % {"levels": ", ".join(levels)}))
        if not getattr(args, attribute):
            missing.append(flag)
    return missing


def _password(interactive: bool) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not interactive:
        raise CommandError(
            _("Hãy đặt mật khẩu của lãnh đạo trong biến môi trường %(env)s.")
            % {"env": PASSWORD_ENV}
        )
    first = getpass.getpass(_("Mật khẩu: "))
    if first != getpass.getpass(_("Nhập lại mật khẩu: ")):
        raise CommandError(_("Hai mật khẩu không giống nhau."))
    return first


def cmd_setup(args: argparse.Namespace) -> int:
    start_django()
    from django.core.management import call_command
    from django.utils import timezone

    from phoihop.core.calendar import school_year_label_for
    from phoihop.core.parties import default_parties
    from phoihop.people.services import PeopleError
    from phoihop.people.setup import FirstRun, first_run, installation_is_empty
    from phoihop.units.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if not installation_is_empty():
        raise CommandError(
            _("Phối hợp đã được cài đặt: cơ sở dữ liệu đã có đơn vị hoặc tài khoản.")
        )
    missing = _complete(args, list(Unit.Level.values))
    if missing:
        raise CommandError(_("Thiếu tham số: %(flags)s.") % {"flags": ", ".join(missing)})
    parties = [] if args.no_default_parties else default_parties(args.level, args.locality)
    for value in args.party:
        kind, sep, name = value.partition("=")
        if not sep or not name.strip():
            raise CommandError(
                _("“%(value)s” không đúng dạng LOẠI=TÊN, ví dụ y_te=Trạm Y tế phường Ba Đình.")
                % {"value": value}
            )
        parties.append((kind.strip(), name.strip()))
    run = FirstRun(
        level=args.level,
        unit_name=args.name,
        leader_name=args.leader,
        username=args.username,
        password=_password(sys.stdin.isatty()),
        school_year=args.year or school_year_label_for(timezone.localdate()),
        code=args.code,
        locality=args.locality,
        superior_name=args.superior,
        email=args.email,
        title=args.title,
        parties=parties,
    )
    try:
        unit, leader = first_run(run)
    except PeopleError as exc:
        raise CommandError(str(exc)) from exc
    print(
        _("Đã tạo %(unit)s và tài khoản %(username)s.")
        % {"unit": unit.name, "username": leader.username}
    )
    for party in unit.parties.order_by("name"):
        print(f"  · {party.name}")
    print(_("Chạy “phoihop serve” rồi đăng nhập để thêm cán bộ, giáo viên và đầu mối đối tác."))
    return 0
