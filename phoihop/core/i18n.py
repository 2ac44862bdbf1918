"""Translation for the plain-Python core.

The core must not import Django, yet its messages (import errors, lint findings, summaries) are shown
to users. Message ids are written in Vietnamese, the product's first language; the English catalogue
translates them. Django compiles the same catalogue (``phoihop/locale/<lang>/LC_MESSAGES/django.mo``),
so one set of ``.po`` files serves the web pages, the CLI and the core.

The active language is a context variable: the web layer sets it per request, the CLI from
``PHOIHOP_LANG`` (default ``vi``).
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "vi"

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "phoihop_language", default=None
)


def current_language() -> str:
    return _language.get() or os.environ.get("PHOIHOP_LANG") or DEFAULT_LANGUAGE


@contextlib.contextmanager
def language(code: str) -> Iterator[None]:
    """Run a block with ``code`` ("vi", "en") as the active language."""
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def activate(code: str | None) -> None:
    _language.set(code)


@cache
def _catalogue(code: str) -> _gettext.NullTranslations:
    short = code.split("-")[0].split("_")[0].lower()
    return _gettext.translation(
        "django", localedir=str(LOCALE_DIR), languages=[short], fallback=True
    )


def gettext(message: str) -> str:
    return _catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(current_language()).ngettext(singular, plural, n)


_ = gettext


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it now (labels kept as data)."""
    return message
