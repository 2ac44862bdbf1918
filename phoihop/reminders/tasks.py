"""The huey periodic task behind the daily digests (``phoihop run_huey`` runs the worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from phoihop.reminders.digest import send_due_digests


@db_periodic_task(crontab(minute="*/5"))
@lock_task("phoihop-reminders-digest")
def send_due_digests_task() -> int:
    """Every five minutes: the users whose chosen time has passed and who have no digest yet."""
    return send_due_digests()
