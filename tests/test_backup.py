"""Backups restore: taken while people record, checked before anything is written, never merged."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone
from PIL import Image

from phoihop import backup
from phoihop.cli import main
from phoihop.tracking.models import Attachment
from phoihop.tracking.services import record_activity
from phoihop.units.models import Unit

WRITERS = 4
BEFORE = 12


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo(n: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (n % 256, (n * 7) % 256, (n * 13) % 256)).save(buffer, "PNG")
    return SimpleUploadedFile(f"tham_gia_dinh_{n}.png", buffer.getvalue(), "image/png")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_phoihop(*args: str, var_dir: Path, database_url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PHOIHOP_VAR_DIR=str(var_dir), DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "-m", "phoihop", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# -- a fresh installation to restore into -------------------------------------------------------


class EmptyInstallation:
    """A var/ folder and a database no one has used: SQLite in a file, or a new PostgreSQL one."""

    def __init__(self, folder: Path) -> None:
        self.var_dir = folder
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            self.url = f"sqlite:///{folder / 'restored.sqlite3'}"
            self.pg_name = None
        else:
            self.pg_name = f"{settings_dict['NAME']}_restored"[:63]
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.pg_name}"')
            host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
            user = settings_dict.get("USER") or ""
            self.url = f"postgres://{user}@{host}:{port}/{self.pg_name}"

    def _admin(self, statement: str) -> None:
        import psycopg

        settings_dict = connection.settings_dict
        with psycopg.connect(
            host=settings_dict.get("HOST") or None,
            port=settings_dict.get("PORT") or None,
            user=settings_dict.get("USER") or None,
            password=settings_dict.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(statement)

    def rows(self, sql: str) -> list[tuple]:
        if self.pg_name is None:
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchall()

    def drop(self) -> None:
        if self.pg_name is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture
def empty_installation(tmp_path):
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump / pg_restore not installed: the PostgreSQL backup cannot be tested")
    installation = EmptyInstallation(tmp_path / "restored")
    yield installation
    installation.drop()


# -- consistency under writes -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_taken_while_teachers_record_restores_every_acknowledged_record_and_photo(
    world, empty_installation, tmp_path, media_root
):
    """Writers record results with photos while the backup runs; the restored installation has
    every record acknowledged before the backup started, each photo byte for byte, and no record
    whose photo is missing."""
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "needs a file database (see conftest.py)"
    activity, user = world.a.activity, world.a.leader
    acknowledged: list[tuple[int, str]] = []
    lock, stop, errors = threading.Lock(), threading.Event(), []

    def write(writer: int) -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                record = record_activity(
                    activity,
                    user,
                    done_on=timezone.localdate(),
                    notes=f"Người ghi {writer}, lần {n}",
                    files=[photo(writer * 1000 + n)],
                )
                name = record.attachments.get().file.name
                with lock:
                    acknowledged.append((record.pk, name))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 120
        while len(acknowledged) < BEFORE and not errors and time.monotonic() < deadline:
            time.sleep(0.05)
        with lock:
            before = list(acknowledged)
        result = backup.create_backup(tmp_path / "backups")
        # Writers go on after the snapshot; what they add must not break the archive either.
        target = len(acknowledged) + WRITERS
        while len(acknowledged) < target and not errors and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors[:3]
    assert len(before) >= BEFORE

    ready = run_phoihop(
        "migrate",
        "--no-input",
        var_dir=empty_installation.var_dir,
        database_url=empty_installation.url,
    )
    assert ready.returncode == 0, ready.stderr
    done = run_phoihop(
        "restore",
        str(result.path),
        var_dir=empty_installation.var_dir,
        database_url=empty_installation.url,
    )
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout

    records = {pk for (pk,) in empty_installation.rows("SELECT id FROM tracking_record")}
    attachments = dict(empty_installation.rows("SELECT file, record_id FROM tracking_attachment"))
    restored_media = empty_installation.var_dir / "media"
    for pk, name in before:
        assert pk in records
        assert attachments[name] == pk
        assert sha256(restored_media / name) == sha256(media_root / name)
    for name in attachments:
        assert sha256(restored_media / name) == sha256(media_root / name)


# -- refusals -------------------------------------------------------------------------------------


@pytest.fixture
def archive(tmp_path, db) -> Path:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    return backup.create_backup(tmp_path / "backups").path


def rewritten(source: Path, target: Path, change, extra=()) -> Path:
    """``source`` with every member passed through ``change(name, data) -> (name, data)``, and
    the ``extra`` (name, data) members after them."""
    with tarfile.open(source, "r:gz") as tar:
        members = [change(m.name, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(target, "w:gz") as tar:
        for new_name, new_data in [*members, *extra]:
            info = tarfile.TarInfo(new_name)
            info.size = len(new_data)
            tar.addfile(info, io.BytesIO(new_data))
    return target


def restore_fails(path: Path, capsys) -> str:
    code = main(["restore", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    return err


@pytest.mark.django_db
def test_restore_refuses_an_installation_that_already_holds_data(world, archive, capsys):
    units = Unit.objects.count()
    err = restore_fails(archive, capsys)
    assert "Cơ sở dữ liệu đã có dữ liệu" in err
    assert Unit.objects.count() == units


@pytest.mark.django_db
def test_restore_refuses_a_tampered_member_before_writing_anything(
    archive, tmp_path, capsys, media_root
):
    def tamper(name, data):
        if name == backup.SQLITE_MEMBER or name == backup.POSTGRES_MEMBER:
            data = data[:-1] + bytes([data[-1] ^ 1])
        return name, data

    tampered = rewritten(archive, tmp_path / "tampered.tar.gz", tamper)
    assert not backup.installation_has_data()
    err = restore_fails(tampered, capsys)
    assert "SHA-256" in err and "không khớp" in err
    assert not backup.installation_has_data()
    assert not Path(media_root).exists()


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, capsys):
    random_file = tmp_path / "phoihop-backup-20260101-000000.tar.gz"
    random_file.write_bytes(os.urandom(4096))
    assert "không phải bản sao lưu của Phối hợp" in restore_fails(random_file, capsys)


@pytest.mark.django_db
def test_restore_refuses_a_tar_gz_of_something_else(tmp_path, capsys):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        data = json.dumps({"format": "something/1"}).encode()
        info = tarfile.TarInfo(backup.MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert "không phải bản sao lưu của Phối hợp" in restore_fails(other, capsys)


@pytest.mark.django_db
def test_restore_refuses_a_member_that_would_land_outside_the_media_folder(
    archive, tmp_path, capsys
):
    """A manifest naming ``media/../../x`` with the right checksum is still not ours."""
    payload = b"not evidence"

    def escape(name, data):
        if name == backup.MANIFEST:
            manifest = json.loads(data)
            manifest["members"].append(
                {
                    "name": "media/../../escaped.txt",
                    "size": len(payload),
                    "sha256": hashlib.sha256(payload).hexdigest(),
                }
            )
            return name, json.dumps(manifest).encode()
        return name, data

    crafted = rewritten(
        archive, tmp_path / "crafted.tar.gz", escape, extra=[("media/../../escaped.txt", payload)]
    )
    assert "không phải bản sao lưu của Phối hợp" in restore_fails(crafted, capsys)
    assert not (tmp_path.parent / "escaped.txt").exists()


@pytest.mark.django_db
def test_restore_of_a_missing_file_says_so(tmp_path, capsys):
    assert "Không tìm thấy tệp sao lưu" in restore_fails(tmp_path / "khong-co.tar.gz", capsys)


# -- the archive and its retention ---------------------------------------------------------------


@pytest.mark.django_db
def test_archive_lists_every_member_with_its_checksum(archive):
    with tarfile.open(archive, "r:gz") as tar:
        contents = {m.name: tar.extractfile(m).read() for m in tar}
    manifest = json.loads(contents.pop(backup.MANIFEST))
    assert manifest["format"] == backup.ARCHIVE_FORMAT
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["created_at"]
    listed = {m["name"]: m["sha256"] for m in manifest["members"]}
    assert listed == {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}


@pytest.mark.django_db
def test_cli_backup_writes_an_archive_into_the_given_folder(tmp_path, capsys):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    assert main(["backup", str(tmp_path / "here")]) == 0
    out = capsys.readouterr().out
    [made] = backup.list_backups(tmp_path / "here")
    assert str(made) in out and "Đã sao lưu" in out


@pytest.mark.django_db
def test_daily_backup_keeps_only_the_newest_archives_and_nothing_else_is_touched(
    settings, tmp_path
):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    from phoihop.reminders.tasks import daily_backup_task

    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DIR.mkdir()
    (settings.BACKUP_DIR / "ghi-chu.txt").write_text("của người quản trị")
    made = [Path(daily_backup_task.call_local()) for _n in range(3)]
    assert backup.list_backups(settings.BACKUP_DIR) == made[1:]
    assert (settings.BACKUP_DIR / "ghi-chu.txt").exists()


def test_archives_are_ordered_by_the_time_in_their_names(tmp_path):
    names = [
        "phoihop-backup-20261204-020000-1.tar.gz",
        "phoihop-backup-20261203-230000.tar.gz",
        "phoihop-backup-20261204-020000.tar.gz",
        "phoihop-backup-20261204-020000-2.tar.gz",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    removed = backup.prune_backups(tmp_path, keep=2)
    assert [p.name for p in removed] == [names[1], names[2]]
    assert [p.name for p in backup.list_backups(tmp_path)] == [names[0], names[3]]


@pytest.mark.django_db
def test_attachments_are_the_media_the_backup_takes():
    assert (Attachment._meta.db_table, "file") in backup.file_columns()


def test_the_nightly_backup_runs_at_half_past_two_in_vietnam():
    """huey reads its crontabs in UTC: 19:30 UTC is 02:30 in Việt Nam (UTC+7)."""
    import datetime as dt

    from phoihop.reminders.tasks import daily_backup_task

    assert daily_backup_task.s().validate_datetime(dt.datetime(2026, 12, 4, 19, 30))
    assert not daily_backup_task.s().validate_datetime(dt.datetime(2026, 12, 4, 2, 30))


@pytest.mark.django_db
def test_backup_into_a_folder_that_cannot_be_made_says_so(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["backup", str(blocker / "backups")]) == 2
    err = capsys.readouterr().err
    assert "Không ghi được vào thư mục sao lưu" in err and "Traceback" not in err


@pytest.mark.django_db(transaction=True)
def test_a_photo_gone_from_storage_is_named_and_the_backup_still_made(
    world, tmp_path, media_root, capsys
):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    record = record_activity(
        world.a.activity, world.a.leader, done_on=timezone.localdate(), files=[photo(1)]
    )
    name = record.attachments.get().file.name
    (Path(media_root) / name).unlink()
    assert main(["backup", str(tmp_path / "backups")]) == 0
    assert name in capsys.readouterr().err
    [made] = backup.list_backups(tmp_path / "backups")
    with tarfile.open(made, "r:gz") as tar:
        manifest = json.load(tar.extractfile(backup.MANIFEST))
    assert manifest["missing_files"] == [name]
    assert [m["name"] for m in manifest["members"]] == [manifest["database"]["member"]]
