"""Backups that restore: the database and the evidence files it refers to, in one checked archive.

An archive (``phoihop-backup-YYYYMMDD-HHMMSS.tar.gz``) holds ``manifest.json``, the database and
``media/…``. The database is taken while the application keeps running: SQLite through its online
backup API (one step, so one consistent snapshot even while writers commit), PostgreSQL through
``pg_dump`` on a snapshot exported by a repeatable-read transaction. The list of files is read from
that same snapshot, so every attachment in the archive's database has its file in the archive (a
file is stored before its record commits, see ``tracking.services.record_activity``).

The manifest carries the SHA-256 of every member; ``restore_backup`` checks all of them in a
staging folder before it writes anything, and restores only into an installation that holds no
data yet: a restore never merges into or overwrites a school's records.

The CLI (``phoihop backup`` / ``phoihop restore``) and the daily task of the background worker
(``phoihop.reminders.tasks``) call these functions.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext as _

ARCHIVE_FORMAT = "phoihop.backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/phoihop.sqlite3"
POSTGRES_MEMBER = "database/phoihop.pgdump"
MEDIA_PREFIX = "media/"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
ARCHIVE_NAME = re.compile(r"^phoihop-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")
# The tables whose rows make an installation "hold data": the application's own, its users and
# groups (``migrate`` itself fills only content types and permissions).
DATA_APPS = ("units", "documents", "schedule", "tracking", "reminders", "reviews", "people")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    files: int
    missing: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass
class RestoreResult:
    engine: str
    files: int
    created_at: str


# -- where and how many -------------------------------------------------------------------------


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def archive_key(path: Path) -> tuple[str, int] | None:
    """The order of our archives (time taken, then the counter of a second one that second)."""
    match = ARCHIVE_NAME.match(path.name)
    if not match:
        return None
    return match.group(1), int(match.group(2) or 0)


def list_backups(directory: Path) -> list[Path]:
    """Our archives in ``directory``, oldest first; any other file there is not ours to touch."""
    if not directory.is_dir():
        return []
    found = [p for p in directory.iterdir() if p.is_file() and archive_key(p) is not None]
    return sorted(found, key=archive_key)


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` archives; return the ones removed."""
    archives = list_backups(directory)
    removed = archives[:-keep] if keep > 0 else archives
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _new_archive_path(directory: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"phoihop-backup-{stamp}.tar.gz"
    counter = 1
    while path.exists():
        path = directory / f"phoihop-backup-{stamp}-{counter}.tar.gz"
        counter += 1
    return path


# -- backing up ---------------------------------------------------------------------------------


def engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Chỉ sao lưu được SQLite và PostgreSQL."))
    return vendor


def create_backup(directory: Path | None = None) -> BackupResult:
    """Write one archive of the database and its evidence files into ``directory``."""
    directory = Path(directory) if directory is not None else backup_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        work = Path(tempfile.mkdtemp(prefix=".phoihop-backup-", dir=directory))
    except OSError as exc:
        raise BackupError(
            _("Không ghi được vào thư mục sao lưu %(dir)s: %(error)s")
            % {"dir": directory, "error": exc.strerror or exc}
        ) from exc
    try:
        kind = engine()
        if kind == "sqlite":
            database, member = work / "phoihop.sqlite3", SQLITE_MEMBER
            names = _snapshot_sqlite(database)
        else:
            database, member = work / "phoihop.pgdump", POSTGRES_MEMBER
            names = _snapshot_postgres(database)
        media_root = Path(settings.MEDIA_ROOT)
        members = [(member, database)]
        missing = []
        for name in sorted(set(names)):
            if _safe_media_name(name):
                members.append((MEDIA_PREFIX + name, media_root / name))
            else:
                missing.append(name)
        header = {
            "format": ARCHIVE_FORMAT,
            "version": _version(),
            "created_at": timezone.now().isoformat(),
            "database": {"engine": kind, "member": member},
        }
        target = _new_archive_path(directory)
        partial = work / "archive.partial"
        stored, gone = _write_archive(partial, header, members, missing)
        missing += gone
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            _("Sao lưu không thành công: %(error)s") % {"error": _reason(exc)}
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(path=target, engine=kind, files=stored - 1, missing=missing)


def scheduled_backup() -> BackupResult | None:
    """The background worker's daily backup: one archive, then only the newest ones kept."""
    keep = settings.BACKUP_KEEP
    if keep < 1:
        return None
    result = create_backup(backup_dir())
    prune_backups(backup_dir(), keep)
    return result


def _write_archive(
    path: Path, header: dict, members: list[tuple[str, Path]], missing: list[str]
) -> tuple[int, list[str]]:
    """Write the members, each read once (its checksum taken as it is written), then the
    manifest. A file deleted since the snapshot listed it (a student's photos erased meanwhile)
    is left out and named in the manifest. Returns the members written and the files left out."""
    now = int(timezone.now().timestamp())
    entries, gone = [], []
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, source in members:
            try:
                handle = open(source, "rb")
            except FileNotFoundError:
                if not name.startswith(MEDIA_PREFIX):
                    raise
                gone.append(name[len(MEDIA_PREFIX) :])
                continue
            with handle:
                size = os.fstat(handle.fileno()).st_size
                reader = _HashingReader(handle)
                tar.addfile(_tarinfo(name, size, now), reader)
            entries.append({"name": name, "size": size, "sha256": reader.hexdigest()})
        manifest = {**header, "members": entries, "missing_files": [*missing, *gone]}
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        tar.addfile(_tarinfo(MANIFEST, len(data), now), io.BytesIO(data))
    return len(entries), gone


class _HashingReader:
    """A file read through ``read(n)`` whose SHA-256 is taken on the way."""

    def __init__(self, handle) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def _tarinfo(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    return info


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field: the media files the database refers to."""
    found = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.append((model._meta.db_table, model_field.column))
    return found


def _snapshot_sqlite(target: Path) -> list[str]:
    """Copy the live database in one step of the online backup API; the copy's file names."""
    source_name = connections["default"].settings_dict["NAME"]
    source = sqlite3.connect(str(source_name), timeout=60)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
        names = []
        for table, column in file_columns():
            try:
                rows = copy.execute(
                    f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''
                ).fetchall()
            except sqlite3.OperationalError:  # the table is not migrated yet
                continue
            names += [row[0] for row in rows]
        return names
    finally:
        copy.close()
        source.close()


def _snapshot_postgres(target: Path) -> list[str]:
    """``pg_dump`` (custom format) on an exported snapshot; file names read in that snapshot."""
    if shutil.which("pg_dump") is None:
        raise BackupError(
            _("Không tìm thấy pg_dump: hãy cài gói postgresql-client cùng phiên bản máy chủ.")
        )
    wrapper = connections.create_connection("default")
    try:
        wrapper.ensure_connection()
        raw = wrapper.connection
        with raw.transaction():
            raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
            names = []
            tables = set(wrapper.introspection.table_names())
            for table, column in file_columns():
                if table in tables:
                    rows = raw.execute(
                        f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''
                    ).fetchall()
                    names += [row[0] for row in rows]
            _run_pg(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    wrapper.settings_dict["NAME"],
                ],
                wrapper.settings_dict,
            )
        return names
    finally:
        wrapper.close()


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _run_pg(command: list[str], settings_dict: dict) -> None:
    done = subprocess.run(command, env=_pg_env(settings_dict), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s báo lỗi: %(error)s")
            % {"program": command[0], "error": done.stderr.strip()[-2000:]}
        )


# -- restoring ----------------------------------------------------------------------------------


@dataclass
class _Archive:
    manifest: dict
    staged: dict[str, Path]


def restore_backup(archive: Path) -> RestoreResult:
    """Restore ``archive`` into this installation, which must hold no data yet.

    Every member is checked against the manifest in a staging folder first; the database and the
    files are written only when all of them match.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": archive})
    staging_parent = Path(settings.VAR_DIR)
    staging_parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".phoihop-restore-", dir=staging_parent))
    try:
        opened = _read_archive(archive, staging)
        kind = engine()
        archived_engine = opened.manifest["database"]["engine"]
        if archived_engine != kind:
            raise BackupError(
                _(
                    "Bản sao lưu này là của cơ sở dữ liệu %(archived)s, còn cài đặt này dùng "
                    "%(engine)s: chỉ khôi phục được vào cùng loại cơ sở dữ liệu."
                )
                % {"archived": archived_engine, "engine": kind}
            )
        if installation_has_data():
            raise BackupError(
                _(
                    "Cơ sở dữ liệu đã có dữ liệu: chỉ khôi phục vào một cài đặt mới, trống. "
                    "Hãy tạo cơ sở dữ liệu mới (DATABASE_URL) rồi chạy lại lệnh khôi phục."
                )
            )
        media_root = Path(settings.MEDIA_ROOT)
        media = {
            name[len(MEDIA_PREFIX) :]: path
            for name, path in opened.staged.items()
            if name.startswith(MEDIA_PREFIX)
        }
        taken = [name for name in media if (media_root / name).exists()]
        if taken:
            raise BackupError(
                _("Thư mục tệp minh chứng đã có tệp %(name)s: chỉ khôi phục vào một cài đặt trống.")
                % {"name": taken[0]}
            )
        database = opened.staged[opened.manifest["database"]["member"]]
        if kind == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgres(database)
        for name, path in media.items():
            destination = media_root / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, destination)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            _("Khôi phục không thành công: %(error)s") % {"error": _reason(exc)}
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from django.core.management import call_command

    # A backup of an older version: bring its tables up to this version's.
    call_command("migrate", interactive=False, verbosity=0)
    return RestoreResult(
        engine=kind, files=len(media), created_at=str(opened.manifest.get("created_at", ""))
    )


def installation_has_data() -> bool:
    """Whether any user or any of the application's records exists (tables not made yet: no)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    connection = connections["default"]
    tables = set(connection.introspection.table_names())
    checked = [get_user_model(), Group]
    for app_label in DATA_APPS:
        checked += apps.get_app_config(app_label).get_models()
    return any(
        model._meta.db_table in tables and model._default_manager.exists() for model in checked
    )


def _not_ours(archive: Path) -> BackupError:
    return BackupError(
        _(
            "Tệp %(path)s không phải bản sao lưu của Phối hợp (tạo bằng lệnh “phoihop backup”) "
            "hoặc đã bị hỏng."
        )
        % {"path": archive.name}
    )


def _read_archive(archive: Path, staging: Path) -> _Archive:
    """Unpack every member into ``staging`` under a name of our own and check it."""
    staged: dict[str, Path] = {}
    digests: dict[str, str] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for index, member in enumerate(tar):
                if not member.isfile() or member.name in staged or member.name in digests:
                    raise _not_ours(archive)
                handle = tar.extractfile(member)
                if member.name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise _not_ours(archive)
                    manifest = json.loads(handle.read().decode("utf-8"))
                    digests[MANIFEST] = ""
                    continue
                path = staging / f"{index:06d}"
                digest = hashlib.sha256()
                with open(path, "wb") as out:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                staged[member.name] = path
                digests[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise _not_ours(archive) from exc
    if not _valid_manifest(manifest):
        raise _not_ours(archive)
    listed = {entry["name"]: entry for entry in manifest["members"]}
    for name, entry in listed.items():
        if name not in staged:
            raise BackupError(
                _("Bản sao lưu thiếu %(name)s mà bảng kê có ghi: không khôi phục.") % {"name": name}
            )
        if digests[name] != entry["sha256"]:
            raise BackupError(
                _(
                    "Mã kiểm tra SHA-256 của %(name)s không khớp với bảng kê: bản sao lưu đã bị "
                    "sửa hoặc hỏng, không khôi phục."
                )
                % {"name": name}
            )
    extra = sorted(set(staged) - set(listed))
    if extra:
        raise BackupError(
            _("Bản sao lưu có tệp %(name)s không ghi trong bảng kê: không khôi phục.")
            % {"name": extra[0]}
        )
    return _Archive(manifest=manifest, staged=staged)


def _valid_manifest(manifest) -> bool:
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        return False
    database = manifest.get("database")
    members = manifest.get("members")
    if not isinstance(database, dict) or not isinstance(members, list):
        return False
    expected = {"sqlite": SQLITE_MEMBER, "postgresql": POSTGRES_MEMBER}.get(database.get("engine"))
    if expected is None or database.get("member") != expected:
        return False
    names = set()
    for entry in members:
        if not isinstance(entry, dict):
            return False
        name, digest = entry.get("name"), entry.get("sha256")
        if not isinstance(name, str) or not isinstance(digest, str) or name in names:
            return False
        if name != expected and not (
            name.startswith(MEDIA_PREFIX) and _safe_media_name(name[len(MEDIA_PREFIX) :])
        ):
            return False
        names.add(name)
    return expected in names


def _safe_media_name(name: str) -> bool:
    """A relative path below the media folder: no absolute path, no ``..``, no backslash."""
    if not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in path.parts)


def _restore_sqlite(staged: Path) -> None:
    """Copy the archived database into the configured file through the backup API.

    The API writes through SQLite's own locking and journal, so the live file's WAL stays right.
    """
    target = connections["default"].settings_dict["NAME"]
    connections.close_all()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(staged))
    destination = sqlite3.connect(str(target), timeout=60)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _restore_postgres(staged: Path) -> None:
    """``pg_restore`` in one transaction: the empty tables a ``migrate`` made are replaced."""
    if shutil.which("pg_restore") is None:
        raise BackupError(
            _("Không tìm thấy pg_restore: hãy cài gói postgresql-client cùng phiên bản máy chủ.")
        )
    settings_dict = connections["default"].settings_dict
    connections.close_all()
    _run_pg(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(staged),
        ],
        settings_dict,
    )


# -- helpers ------------------------------------------------------------------------------------


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("phoihop")
    except PackageNotFoundError:
        return "0"
