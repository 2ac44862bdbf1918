"""Twenty people recording at once: every result is kept and nobody gets an error."""

import pytest
from django.db import connection

from phoihop.bench import CONCURRENT_WRITERS, concurrent_recording
from phoihop.schedule.models import Activity
from phoihop.tracking.models import Attachment, Record

SECONDS = 20


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_writers_record_for_twenty_seconds_without_a_single_error(world, media_root):
    """The failure this looks for is "database is locked" on SQLite (or a deadlock on
    PostgreSQL): each writer has its own connection, the activities are shared."""
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "needs a file database (see conftest.py)"
    activities = [world.a.activity, world.a.police_activity, world.b.activity]
    result = concurrent_recording([a.pk for a in activities], world.a.leader, SECONDS)
    assert result["errors"] == []
    acknowledged = sum(result["acknowledged"])
    assert all(count > 0 for count in result["acknowledged"])
    assert len(result["acknowledged"]) == CONCURRENT_WRITERS
    assert Record.objects.filter(activity__in=activities).count() == acknowledged
    with_photo = sum(count // 5 for count in result["acknowledged"])
    assert Attachment.objects.filter(record__activity__in=activities).count() == with_photo
    statuses = set(
        Activity.objects.filter(pk__in=[a.pk for a in activities]).values_list("status", flat=True)
    )
    assert statuses == {Activity.Status.DONE}
