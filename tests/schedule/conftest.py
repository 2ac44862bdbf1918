"""Helpers for the calendar tests: dates near today (feeds cover about a year around today)."""

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()
