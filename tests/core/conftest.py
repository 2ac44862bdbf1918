"""Fixtures for the plain-Python core tests (no Django)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def seeds_dir() -> Path:
    """The five annotated seed documents: ``$PHOIHOP_SEEDS_DIR`` or ``../shared/seeds``."""
    env = os.environ.get("PHOIHOP_SEEDS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = seeds_dir()
    if not any(path.glob("*.gold.json")):
        pytest.skip(f"no annotated seeds in {path}")
    return path
