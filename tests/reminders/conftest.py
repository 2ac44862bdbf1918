import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The fixtures create a dozen users; hashing their passwords for real takes seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
