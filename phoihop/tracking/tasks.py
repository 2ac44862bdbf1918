"""Periodic work of the tracking app (``phoihop run_huey`` finds this module)."""

from huey import crontab
from huey.contrib.djhuey import periodic_task

from phoihop.tracking import pending_imports


@periodic_task(crontab(minute="17"))
def purge_pending_imports_task() -> int:
    """Every hour: delete student lists left waiting for more than an hour."""
    return pending_imports.purge_stale()
