"""Next year's plan from this year's: the school year moves forward, the issuing facts are cleared.

Copying last year's Word file is how stale years and the wrong lunar year reach a new plan (the
2022–2023 seed still says "năm học 2020-2021"). Rollover moves the document's *own* years forward
one year wherever it writes them — title, period, section headings, items (and their cadence
windows), targets — and renames the lunar year of its Tết ("xuân Bính Ngọ" → "xuân Đinh Mùi").
The legal basis is left as it was: it cites real documents by number and date, and only a person
can replace them with this year's; the lint, run on the new draft, points at them.
Number, date and status are cleared, and the new draft keeps a link to the old one (``previous``).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.calendar import CalendarError, lunar_year_name
from phoihop.core.lint import parse_school_year
from phoihop.documents.models import Document, Item, ItemParty
from phoihop.documents.plan_dict import document_to_plan
from phoihop.documents.services import create_document_from_plan


def _lunar_name(year: int) -> str | None:
    try:
        return lunar_year_name(year)
    except (CalendarError, ValueError):
        return None


def shift_text(text: str | None, start_year: int, years: int = 1) -> str | None:
    """``text`` with the school year ``start_year``-(``start_year``+1) moved by ``years``.

    Moves "2025-2026" (any dash or slash, also "2025-26"), dates and months in those two years
    ("20/11/2025", "tháng 9/2025"), "năm 2026", and the lunar year name of the Tết the school year
    holds. Other years (of cited laws, numbers like "12/2011/TT-BGDĐT") are left alone. One pass,
    so a year moved once is never moved again.
    """
    if not text:
        return text
    first, second = start_year, start_year + 1
    own = f"(?:{first}|{second})"
    pattern = re.compile(
        rf"(?<!\d)(?P<a>{first})(?P<sep>\s*[-–—/]\s*)(?P<b>{second}|{second % 100:02d})(?![\d/])"
        rf"|(?<![\d/])(?P<date>(?:\d{{1,2}}/)?\d{{1,2}}/)(?P<dy>{own})(?![\d/])"
        rf"|(?P<nam>\b[Nn]ăm\s+)(?P<ny>{own})(?!\s*[-–—/]\s*\d)(?!\d)"
    )

    def move(match: re.Match) -> str:
        if match["a"]:
            b = match["b"]
            new_b = str(int(b) + years) if len(b) == 4 else f"{(int(b) + years) % 100:02d}"
            return f"{int(match['a']) + years}{match['sep']}{new_b}"
        if match["date"]:
            return f"{match['date']}{int(match['dy']) + years}"
        return f"{match['nam']}{int(match['ny']) + years}"

    text = pattern.sub(move, text)
    old, new = _lunar_name(second), _lunar_name(second + years)
    if old and new and old != new:
        for before, after in ((old, new), (old.upper(), new.upper()), (old.lower(), new.lower())):
            text = text.replace(before, after)
    return text


def _shift_month(value: str | None, years: int) -> str | None:
    match = re.match(r"^(\d{4})(-.*)?$", value or "")
    if not match:
        return value
    return f"{int(match[1]) + years}{match[2] or ''}"


def plan_year(plan: dict, school_year_label: str | None = None) -> int | None:
    """The first year of the plan's own school year: given, from the period, or from the title."""
    if school_year_label:
        parsed = parse_school_year(school_year_label)
        if parsed:
            return parsed[0]
    period = plan.get("period") or {}
    start, end = period.get("start_year"), period.get("end_year")
    if start and end and end - start == 1:
        return start
    parsed = parse_school_year(plan.get("title") or "")
    return parsed[0] if parsed else None


def shift_plan(plan: dict, start_year: int, years: int = 1) -> dict:
    """A copy of ``plan`` moved ``years`` school years on (the legal basis is kept as written)."""
    plan = {**plan}
    plan["title"] = shift_text(plan.get("title"), start_year, years)
    period = plan.get("period")
    if period:
        plan["period"] = {
            "text": shift_text(period.get("text"), start_year, years),
            "start_year": period["start_year"] + years if period.get("start_year") else None,
            "end_year": period["end_year"] + years if period.get("end_year") else None,
        }
    plan["sections"] = [
        {**s, "heading": shift_text(s.get("heading"), start_year, years)}
        for s in plan.get("sections") or []
    ]
    commitments = []
    for raw in plan.get("commitments") or []:
        raw = {**raw, "text": shift_text(raw.get("text"), start_year, years)}
        cadence = raw.get("cadence")
        if cadence:
            cadence = {**cadence, "text": shift_text(cadence.get("text"), start_year, years)}
            window = cadence.get("window")
            if window:
                cadence["window"] = {k: _shift_month(v, years) for k, v in window.items()}
            raw["cadence"] = cadence
        commitments.append(raw)
    plan["commitments"] = commitments
    plan["targets"] = [
        {**t, "text": shift_text(t.get("text"), start_year, years)}
        for t in plan.get("targets") or []
    ]
    return plan


@transaction.atomic
def rollover_document(document: Document, user) -> Document:
    """A new draft for the school year after ``document``'s, linked to it as ``previous``.

    The items keep their exact parties (not only their kinds); number, date and status start
    blank. The caller shows the lint of the new draft: what rollover cannot know (this year's
    legal basis, the new signer) is found there.
    """
    from phoihop.schedule.services import ensure_school_year

    plan = document_to_plan(document)
    label = document.school_year.label if document.school_year_id else None
    start = plan_year(plan, label)
    if start is not None:
        plan = shift_plan(plan, start)
        if not plan.get("period"):
            plan["period"] = {
                "text": f"{start + 1}-{start + 2}",
                "start_year": start + 1,
                "end_year": start + 2,
            }
    new = copy_as_draft(document, plan, user=user)
    new.previous = document
    if new.school_year_id is None and start is not None:
        try:
            new.school_year = ensure_school_year(f"{start + 1}-{start + 2}")
        except (CalendarError, ValueError):
            new.school_year = None
    new._change_reason = _("Tạo từ văn bản năm trước")
    if getattr(user, "is_authenticated", False):
        new._history_user = user
    new.save()
    return new


def copy_as_draft(document: Document, plan: dict, *, user) -> Document:
    """A new draft of ``document``'s unit from ``plan`` (``document``'s own, possibly moved on),
    unnumbered and undated, whose items keep the exact parties of ``document``'s items.

    The plan dict names parties by kind only, so the links are copied item by item (same order on
    both sides) and each new item remembers the one it copies (``Item.copied_from``); the symbol
    and the cascade parent are kept. Rollover and amendment both start
    here; the caller links the new draft to ``document`` and saves it with its reason.
    """
    plan = {**plan, "number": None, "date": None}
    plan["commitments"] = [{**c, "parties": []} for c in plan["commitments"]]
    new = create_document_from_plan(document.unit, plan, user=user, create_missing_parties=False)
    new.symbol = document.symbol
    new.parent = document.parent
    old_items = list(
        Item.objects.filter(document=document)
        .order_by("position", "pk")
        .prefetch_related("item_parties")
    )
    new_items = list(Item.objects.filter(document=new).order_by("position", "pk"))
    links = []
    for old, fresh in zip(old_items, new_items, strict=False):
        fresh.copied_from = old
        for link in old.item_parties.all():
            links.append(
                ItemParty(
                    item=fresh, party_id=link.party_id, is_lead=link.is_lead, position=link.position
                )
            )
    Item.objects.bulk_update(new_items, ["copied_from"])
    ItemParty.objects.bulk_create(links)
    return new
