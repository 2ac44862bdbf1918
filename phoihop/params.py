"""Integers from request parameters: the one parser that views use for ids and numbers.

A parameter that should hold an id and holds anything else is a malformed link, answered with 400,
never a server error. Two traps of the obvious ``int(v) if v.isdigit()``: thirty digits are
"digits" but overflow the database's 64-bit integers inside the query (``?party=`` gave 500s on the
calendar, issue 13), and ``str.isdigit`` is true for "²" or "٣", which ``int()`` refuses or reads
as a number nobody typed.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# Ids are BigAutoField: PostgreSQL's bigint and SQLite's INTEGER are signed 64-bit.
MAX_ID = 2**63 - 1


def parse_int(raw) -> int | None:
    """A non-negative integer written in ASCII digits (at most 19 of them), else None."""
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def parse_id(raw) -> int | None:
    """A database id (1 to 2**63-1), else None."""
    value = parse_int(raw)
    return value if value is not None and 0 < value <= MAX_ID else None


def id_param(params, name: str) -> int | None:
    """The id in parameter ``name`` of ``request.GET``/``POST``: None when absent or empty,
    ``BadRequest`` (400) when present but not an id."""
    raw = params.get(name, "")
    if raw in ("", None):
        return None
    value = parse_id(raw)
    if value is None:
        raise BadRequest(_("Tham số “%(name)s” không phải một mã hợp lệ.") % {"name": name})
    return value


def id_list(params, name: str) -> list[int]:
    """Every id of a repeated parameter (``units=3&units=7``); ``BadRequest`` if one is not."""
    values = []
    for raw in params.getlist(name):
        value = parse_id(raw)
        if value is None:
            raise BadRequest(_("Tham số “%(name)s” không phải một mã hợp lệ.") % {"name": name})
        values.append(value)
    return values
