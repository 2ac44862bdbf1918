"""Fixtures for the plain-Python core tests (no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seeds import SEEDS_DIR


def seeds_dir() -> Path:
    """The five annotated seed documents: ``$PHOIHOP_SEEDS_DIR`` or ``../shared/seeds``."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = seeds_dir()
    if not any(path.glob("*.gold.json")):
        pytest.skip(f"no annotated seeds in {path}")
    return path
