"""What the commands share when they run: JSON output, and starting Django for those that need it.

Django is imported inside the functions only, so the commands that are plain domain logic never
start it.
"""

from __future__ import annotations

import json
import os
import sys

from phoihop.cli.errors import CommandError
from phoihop.core.i18n import _


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandError(_("Cấu hình không hợp lệ: %(error)s") % {"error": exc}) from exc


def check_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        raise CommandError(
            _("Không kết nối được cơ sở dữ liệu: %(error)s. Hãy kiểm tra DATABASE_URL.")
            % {"error": str(exc).strip()}
        ) from exc


def start_django() -> None:
    """Django set up and its database reachable, or a ``CommandError`` saying which is wrong."""
    setup_django()
    check_database()
