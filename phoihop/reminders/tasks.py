"""The huey periodic tasks: daily digests and the nightly backup (``phoihop run_huey`` runs them)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from phoihop.reminders.digest import send_due_digests


@db_periodic_task(crontab(minute="*/5"))
@lock_task("phoihop-reminders-digest")
def send_due_digests_task() -> int:
    """Every five minutes: the users whose chosen time has passed and who have no digest yet."""
    return send_due_digests()


# 19:30 UTC is 02:30 in Việt Nam (huey reads crontabs in UTC): the night, when no one records.
@db_periodic_task(crontab(hour="19", minute="30"))
@lock_task("phoihop-daily-backup")
def daily_backup_task() -> str | None:
    """Every night: one backup archive into PHOIHOP_BACKUP_DIR, the oldest beyond the kept removed."""
    from phoihop.backup import scheduled_backup

    result = scheduled_backup()
    return str(result.path) if result else None
