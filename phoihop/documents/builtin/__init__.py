"""Built-in plan templates: six realistic, lint-clean plans to start from instead of last year's file.

Each ``<key>.json`` beside this module is a plan dict (``phoihop.import/1``) written for the school
year 2025-2026, with a ``description`` for the "Tạo văn bản" page. Starting from one moves its years
to the chosen school year (the same shift as rollover), names the unit as issuer and its locality as
place, and leaves number, date and signer names blank for the people who own them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.calendar import school_year_label_for
from phoihop.core.lint import parse_school_year

FOLDER = Path(__file__).resolve().parent
TEMPLATE_YEAR = 2025  # the first year of the school year the templates are written for

# The order of the "Tạo văn bản" page.
KEYS = (
    "phoi_hop_trong_ngoai",
    "quy_che_cong_doan",
    "lien_tich",
    "cong_an",
    "tram_y_te",
    "cha_me_hoc_sinh",
)


class TemplateError(ValueError):
    """The template or the school year asked for does not exist; the message says so."""


@cache
def _load(key: str) -> dict:
    return json.loads((FOLDER / f"{key}.json").read_text(encoding="utf-8"))


def load(key: str) -> dict:
    """A fresh copy of the template ``key`` (the cached one is never handed out)."""
    if key not in KEYS:
        raise TemplateError(_("Không có mẫu văn bản này."))
    return json.loads(json.dumps(_load(key)))


def available() -> list[dict]:
    """The templates for the page: key, title, description, type."""
    return [
        {
            "key": key,
            "title": _load(key)["title"],
            "description": _load(key).get("description", ""),
            "doc_type": _load(key)["doc_type"],
        }
        for key in KEYS
    ]


def year_choices() -> list[str]:
    """This school year and the next: plans are written in the summer for the coming year."""
    first = int(default_year()[:4])
    return [f"{first - 1}-{first}", f"{first}-{first + 1}", f"{first + 1}-{first + 2}"]


def default_year() -> str:
    return school_year_label_for(timezone.localdate())


def instantiate(key: str, year_label: str, *, issuer: str, place: str = "") -> dict:
    """The template as a plan for ``year_label`` ("2026-2027") issued by ``issuer``."""
    from phoihop.documents.rollover import shift_plan

    parsed = parse_school_year(year_label or "")
    if not parsed or parsed[1] - parsed[0] != 1:
        raise TemplateError(_("Hãy chọn năm học, ví dụ 2025-2026."))
    plan = load(key)
    shift = parsed[0] - TEMPLATE_YEAR
    if shift:
        plan = shift_plan(plan, TEMPLATE_YEAR, shift)
    plan.pop("description", None)
    plan["issuer"] = issuer
    plan["place"] = place or None
    return plan


def create_from_template(unit, key: str, year_label: str, *, user=None):
    """A new draft of ``unit`` from the template ``key`` for the school year ``year_label``."""
    from phoihop.documents.services import PlanError, create_document_from_plan
    from phoihop.schedule.services import ensure_school_year

    plan = instantiate(key, year_label, issuer=unit.name, place=unit.place_name)
    try:
        document = create_document_from_plan(unit, plan, user=user)
    except PlanError as error:
        raise TemplateError(str(error)) from error
    if document.school_year_id is None:
        document.school_year = ensure_school_year(plan["period"]["text"])
        document._change_reason = _("Tạo từ mẫu có sẵn")
        document.save(update_fields=["school_year", "updated_at"])
    return document
