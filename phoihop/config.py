"""Settings read from the environment, with safe defaults and clear errors.

Kept apart from ``settings.py`` so that the CLI can validate the configuration and report a bad
value in one sentence before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from phoihop.core.i18n import _

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A setting has a value the application cannot start with."""


def var_dir() -> Path:
    """Where the SQLite database, uploads, the generated secret key and benchmarks live."""
    return Path(os.environ.get("PHOIHOP_VAR_DIR") or Path.cwd() / "var").resolve()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigError(
        _("Biến môi trường %(name)s có giá trị không hợp lệ “%(value)s”: hãy dùng 1/0, true/false.")
        % {"name": name, "value": raw}
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ConfigError(
            _(
                "Biến môi trường %(name)s phải là một số nguyên ≥ %(minimum)s, không phải “%(value)s”."
            )
            % {"name": name, "minimum": minimum, "value": raw}
        )
    return value


def allowed_hosts() -> list[str]:
    raw = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    if not hosts:
        raise ConfigError(_("ALLOWED_HOSTS rỗng: hãy ghi ít nhất một tên máy hoặc địa chỉ IP."))
    return hosts


def secret_key(debug: bool) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept under var/.

    A school running on a laptop should not have to invent a key; the generated one stays the same
    across restarts so that sessions survive.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError(_("SECRET_KEY quá ngắn: cần ít nhất 32 ký tự."))
        return key
    path = var_dir() / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def database(url: str | None = None) -> dict:
    """Parse DATABASE_URL (default: SQLite under var/) into Django's DATABASES entry."""
    import dj_database_url

    url = url if url is not None else os.environ.get("DATABASE_URL", "")
    if not url.strip():
        path = var_dir() / "phoihop.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # dj-database-url raises several kinds of error for a bad URL
        raise ConfigError(
            _(
                "DATABASE_URL không hợp lệ (“%(url)s”): %(error)s. Ví dụ đúng: "
                "postgres://user@127.0.0.1:5432/phoihop hoặc sqlite:////duong/dan/phoihop.sqlite3"
            )
            % {"url": url, "error": exc}
        ) from exc
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock at the
        # start of a transaction so that concurrent writers queue instead of failing mid-way.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif engine.endswith("postgresql"):
        pass
    else:
        raise ConfigError(
            _("DATABASE_URL chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ “%(engine)s”.")
            % {"engine": engine or url}
        )
    return config
