"""Fixtures for the reviews tests: the ``world`` (an office with schools A and B), a sibling office,
and a fast password hasher (the default one makes every ``world`` take seconds)."""

import pytest

from phoihop.units.models import Membership, Unit
from tests import factories as f


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sibling_officer(world):
    """The leader of another Sở, beside the world's office."""
    office = f.UnitFactory(level=Unit.Level.SO, name="Sở GD&ĐT bên cạnh")
    return f.MembershipFactory(unit=office, role=Membership.Role.LEADER).user
