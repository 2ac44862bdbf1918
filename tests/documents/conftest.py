"""Fixtures for the documents tests, and a real file for the SQLite test database.

Django's SQLite test database lives in memory, shared between connections through SQLite's shared
cache. Shared-cache connections lock whole tables and fail at once (SQLITE_LOCKED) instead of
waiting, so the concurrent-issuing test would measure that mode rather than the file database the
application runs on (WAL, IMMEDIATE transactions, busy timeout). When these tests are collected, the
session's SQLite test database is therefore a file under the temporary directory, one per process
so that runs started at the same time do not share it; Django deletes it at the end.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config) -> None:
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"].endswith("sqlite3") and not settings["TEST"].get("NAME"):
        name = f"phoihop-test-{os.getpid()}.sqlite3"
        settings["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / name)


def seeds_dir() -> Path:
    """The five seed documents: ``PHOIHOP_SEEDS_DIR``, else ``shared/seeds`` beside the repo."""
    if os.environ.get("PHOIHOP_SEEDS_DIR"):
        return Path(os.environ["PHOIHOP_SEEDS_DIR"])
    here = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    return here if here.exists() else Path("/work/shared/seeds")


def gold_files() -> list[Path]:
    return sorted(seeds_dir().glob("*.gold.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def seeds() -> Path:
    path = seeds_dir()
    if not gold_files():
        pytest.skip(f"seed documents not found in {path}")
    return path
