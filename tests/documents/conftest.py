"""Fixtures for the documents tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS_DIR


def seeds_dir() -> Path:
    """The five seed documents: ``PHOIHOP_SEEDS_DIR``, else ``shared/seeds`` beside the repo."""
    return SEEDS_DIR


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
