"""Uploaded student lists waiting between the import steps: private files that do not outlive
the hour.

A workbook holds a whole school's names and birth dates. It waits under ``var/`` (never in the
web root), readable by the server's own account only (mode 0600, in a 0700 folder), named by a
random token kept in the session. A leader who walks away between the steps leaves it behind;
so any workbook older than ``MAX_AGE`` is deleted on every new upload and by the hourly task
(``tracking.tasks``): personal data is kept no longer than its purpose needs (Decree
13/2023/NĐ-CP, Điều 3).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = dt.timedelta(hours=1)
SUFFIX = ".xlsx"


def pending_dir() -> Path:
    path = Path(settings.VAR_DIR) / "pending_imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)  # a folder made by an earlier version, with the umask's mode
    return path


def path_of(token: str) -> Path:
    return pending_dir() / f"{token}{SUFFIX}"


def save(data: bytes) -> str:
    """Write ``data`` to a new private file and return its token."""
    token = secrets.token_hex(16)
    # O_EXCL: never follow or reuse a file that is already there; 0600 whatever the umask says.
    fd = os.open(path_of(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return token


def purge_stale(*, now: float | None = None, max_age: dt.timedelta = MAX_AGE) -> int:
    """Delete the waiting workbooks last written more than ``max_age`` ago; return how many."""
    limit = (time.time() if now is None else now) - max_age.total_seconds()
    removed = 0
    for path in pending_dir().glob(f"*{SUFFIX}"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another worker got there first
    return removed
