"""Sơ kết and tổng kết drafted from what was recorded, then written up as a BC document.

The figures come from the records, not from memory: per section and item, the activities due in
the period (done, partly done, missed, not yet due), the dates of their records and who took part;
each target's latest measurement in the period against its value; home-visit coverage. People then
write the achievements, shortcomings and proposals; the report (doc_type ``bao_cao``) is composed
as a plan dict and stored through ``create_document_from_plan``, so it renders in the Decree 30
layout like every other document. "Carry into next year" starts next year's plan from this one,
with the proposals attached.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.numerals import plain_number
from phoihop.core.render.model import split_title
from phoihop.documents.models import Document, Item, Target, TargetMeasurement
from phoihop.documents.plan_dict import document_to_plan, issuer_superior
from phoihop.documents.rollover import shift_plan
from phoihop.documents.services import create_document_from_plan
from phoihop.reviews.models import Review
from phoihop.schedule.models import Activity, SchoolYear
from phoihop.tracking.models import Record
from phoihop.tracking.targets import RETENTION, computed_metric, is_met, retention

MAX_DATES = 12


class DraftingError(ValueError):
    """The review cannot be drafted or written up; the message says why and what to do."""


def school_year_of(document: Document) -> SchoolYear:
    """The plan's school year, or the national frame of its period's years."""
    if document.school_year_id:
        return document.school_year
    if document.start_year and document.end_year == (document.start_year or 0) + 1:
        from phoihop.schedule.services import ensure_school_year

        return ensure_school_year(f"{document.start_year}-{document.end_year}")
    raise DraftingError(
        _("Kế hoạch “%(title)s” chưa gắn với năm học nào: hãy chọn năm học trước khi lập báo cáo.")
        % {"title": document.title}
    )


def review_period(document: Document, kind: str) -> tuple[dt.date, dt.date]:
    """Sơ kết: from the start of the school year to the end of semester 1; tổng kết: the year."""
    year = school_year_of(document)
    if kind == Review.Kind.SO_KET:
        return year.starts_on, year.semester1_ends_on
    return year.starts_on, year.ends_on


STATUS_LABELS = {
    "standing": gettext_lazy("Nhiệm vụ thường xuyên (không xếp lịch)"),
    "done": gettext_lazy("Hoàn thành"),
    "partly": gettext_lazy("Thực hiện một phần"),
    "missed": gettext_lazy("Chưa thực hiện"),
    "upcoming": gettext_lazy("Chưa đến hạn"),
}
VERDICTS = (gettext_lazy("Chưa đo"), gettext_lazy("Đạt"), gettext_lazy("Chưa đạt"))


def item_status(figures: dict) -> tuple[str, str]:
    """(code, label) of an item over the period, from its activity counts."""
    if not figures["total"]:
        code = "standing"
    elif figures["done"] == figures["total"]:
        code = "done"
    elif figures["done"] or figures["partly"]:
        code = "partly"
    elif figures["missed"]:
        code = "missed"
    else:
        code = "upcoming"
    return code, str(STATUS_LABELS[code])


def body_in_active_language(body: dict) -> dict:
    """A stored review's figures with their labels said in the reader's language: the labels were
    written in the language of the day it was drafted (the figures themselves do not change)."""
    verdicts = {}
    for verdict in VERDICTS:
        with translation.override("vi"):
            vietnamese = str(verdict)
        with translation.override("en"):
            english = str(verdict)
        verdicts[vietnamese] = verdicts[english] = str(verdict)
    sections = [
        {
            **section,
            "items": [
                {
                    **item,
                    "status_label": str(
                        STATUS_LABELS.get(item.get("status"), item.get("status_label", ""))
                    ),
                }
                for item in section.get("items", [])
            ],
        }
        for section in body.get("sections", [])
    ]
    targets = [
        {**target, "verdict": verdicts.get(target.get("verdict"), target.get("verdict"))}
        for target in body.get("targets", [])
    ]
    return {**body, "sections": sections, "targets": targets}


def _person(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def compute_body(document: Document, start: dt.date, end: dt.date, today: dt.date) -> dict:
    """The review's figures. A fixed number of queries, whatever the number of records.

    An activity still planned whose due date has passed (by ``today``, or by the period's end when
    the review is drafted later) counts as missed; one not yet due is "upcoming".
    """
    cutoff = min(today, end + dt.timedelta(days=1))
    activities = Activity.objects.filter(
        item__document=document, due_on__range=(start, end)
    ).exclude(status=Activity.Status.CANCELLED)
    planned = Q(status=Activity.Status.PLANNED)
    counts = {
        r["item_id"]: r
        for r in activities.values("item_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Activity.Status.DONE)),
            partly=Count("pk", filter=Q(status=Activity.Status.PARTLY)),
            missed=Count(
                "pk", filter=Q(status=Activity.Status.MISSED) | (planned & Q(due_on__lt=cutoff))
            ),
            upcoming=Count("pk", filter=planned & Q(due_on__gte=cutoff)),
        )
        .order_by()
    }
    covered = (
        Record.objects.filter(activity=OuterRef("pk"), student__isnull=False)
        .order_by()
        .values("activity")
        .annotate(n=Count("student", distinct=True))
        .values("n")
    )
    visits = {
        r["item_id"]: r
        for r in activities.filter(obligations__gt=0)
        .annotate(covered=Coalesce(Subquery(covered, output_field=IntegerField()), Value(0)))
        .values("item_id")
        .annotate(
            due=Sum("obligations"),
            visited=Sum(Least("covered", "obligations", output_field=IntegerField())),
        )
        .order_by()
    }
    records = Record.objects.filter(activity__in=activities)
    dates: dict[int, list[dt.date]] = {}
    for item_id, day in (
        records.values_list("activity__item_id", "done_on").distinct().order_by("done_on")
    ):
        dates.setdefault(item_id, []).append(day)
    who: dict[int, list[str]] = {}
    people = (
        records.values_list(
            "activity__item_id",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
        )
        .filter(created_by__isnull=False)
        .distinct()
    )
    for item_id, first, last, username in people:
        who.setdefault(item_id, []).append(_person(first, last, username))
    # Participants of meetings and events; per-student visits name families, which stay out.
    participants = (
        records.filter(student__isnull=True)
        .exclude(participants="")
        .values_list("activity__item_id", "participants")
        .distinct()
    )
    for item_id, text in participants:
        who.setdefault(item_id, []).append(text)

    sections: list[dict] = []
    by_section: dict[int | None, dict] = {}
    items = Item.objects.filter(document=document).select_related("section")
    for item in items.order_by("section__position", "position", "pk"):
        key = item.section_id
        if key not in by_section:
            heading = item.section.heading if item.section_id else _("Nội dung khác")
            label = item.section.label if item.section_id else ""
            by_section[key] = {"label": label, "heading": heading, "items": []}
            sections.append(by_section[key])
        figures = {
            k: (counts.get(item.pk) or {}).get(k, 0)
            for k in ("total", "done", "partly", "missed", "upcoming")
        }
        status, status_label = item_status(figures)
        item_visits = visits.get(item.pk)
        by_section[key]["items"].append(
            {
                "id": item.pk,
                "text": item.text,
                **figures,
                "status": status,
                "status_label": status_label,
                "dates": [d.isoformat() for d in dates.get(item.pk, [])],
                "who": sorted(dict.fromkeys(who.get(item.pk, []))),
                "visits": (
                    {
                        "due": item_visits["due"],
                        "visited": item_visits["visited"],
                        "rate": _rate(item_visits["visited"], item_visits["due"]),
                    }
                    if item_visits
                    else None
                ),
            }
        )
    due = sum(v["due"] or 0 for v in visits.values())
    visited = sum(v["visited"] or 0 for v in visits.values())
    all_items = [i for s in sections for i in s["items"]]
    totals = {k: sum(i[k] for i in all_items) for k in ("total", "done", "partly", "missed")}
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": min(today, end).isoformat(),
        "sections": sections,
        "targets": target_results(document, start, end),
        "coverage": {"due": due, "visited": visited, "rate": _rate(visited, due)},
        "totals": totals,
    }


def _rate(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def target_results(document: Document, start: dt.date, end: dt.date) -> list[dict]:
    """Each target's latest measurement in the period (or the computed retention) and the verdict."""
    latest = TargetMeasurement.objects.filter(
        target=OuterRef("pk"), measured_on__range=(start, end)
    ).order_by("-measured_on", "-pk")
    targets = Target.objects.filter(document=document).annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )
    out = []
    for target in targets.order_by("position", "pk"):
        value, measured_on = target.latest_value, target.latest_on
        if value is None and computed_metric(target) == RETENTION:
            r = retention(document.unit, start, end)
            if r.at_start:
                value, measured_on = r.rate, end
        met = is_met(value, target.comparator, target.value)
        out.append(
            {
                "id": target.pk,
                "text": target.text,
                "goal": target.goal,
                "value": plain_number(value),
                "measured_on": measured_on.isoformat() if measured_on else None,
                "met": met,
                "verdict": str(
                    VERDICTS[0] if met is None else (VERDICTS[1] if met else VERDICTS[2])
                ),
            }
        )
    return out


def _default_texts(body: dict) -> dict[str, str]:
    """A first wording of the free texts from the figures, for people to rewrite."""
    totals = body["totals"]
    achievements = [
        _("Đã thực hiện %(done)s/%(total)s hoạt động theo kế hoạch.")
        % {"done": totals["done"], "total": totals["total"]}
    ]
    achievements += [
        _("Hoàn thành: %(text)s") % {"text": i["text"]}
        for s in body["sections"]
        for i in s["items"]
        if i["status"] == "done"
    ]
    shortcomings = [
        _("Chưa thực hiện đủ: %(text)s (%(done)s/%(total)s lần).")
        % {"text": i["text"], "done": i["done"], "total": i["total"]}
        for s in body["sections"]
        for i in s["items"]
        if i["status"] in ("missed", "partly")
    ]
    shortcomings += [
        _("Chỉ tiêu chưa đạt: %(text)s") % {"text": t["text"]}
        for t in body["targets"]
        if t["met"] is False
    ]
    return {"achievements": "\n".join(achievements), "shortcomings": "\n".join(shortcomings)}


@transaction.atomic
def draft_review(document: Document, kind: str, user=None, *, today: dt.date | None = None):
    """Draft (or draft again) the plan's sơ kết or tổng kết from the records.

    Drafting again recomputes the figures and keeps what people wrote.
    """
    if kind not in Review.Kind.values:
        raise DraftingError(_("Loại báo cáo “%(kind)s” không hợp lệ.") % {"kind": kind})
    today = today or timezone.localdate()
    start, end = review_period(document, kind)
    body = compute_body(document, start, end, today)
    review = Review.objects.select_for_update().filter(document=document, kind=kind).first()
    if review is None:
        review = Review(document=document, kind=kind, created_by=_user(user))
        texts = _default_texts(body)
        review.achievements, review.shortcomings = texts["achievements"], texts["shortcomings"]
    review.period_start, review.period_end = start, end
    review.body = body
    review.drafted_at = timezone.now()
    review.save()
    return review


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def number_text(value) -> str:
    """A figure written into a report as the page writes it: "90", "92,5" (one rule with the
    pages' ``measure`` filter: ``plain_number``, then the language's decimal mark)."""
    return formats.number_format(plain_number(value)) if value is not None else ""


def _times(count: int) -> str:
    return _("%(n)s lần") % {"n": count}


def item_sentence(item: dict) -> str:
    """ "Tổ chức Hội nghị …: đã thực hiện 1/1 lần (ngày 14/10/2025)." """
    text = item["text"].rstrip(" .;")
    if not item["total"]:
        return _("%(text)s: nhiệm vụ thường xuyên, không xếp lịch.") % {"text": text}
    sentence = _("%(text)s: đã thực hiện %(done)s/%(total)s") % {
        "text": text,
        "done": item["done"],
        "total": _times(item["total"]),
    }
    extra = []
    if item["partly"]:
        extra.append(_("thực hiện một phần %(n)s") % {"n": _times(item["partly"])})
    if item["missed"]:
        extra.append(_("chưa thực hiện %(n)s") % {"n": _times(item["missed"])})
    if item.get("visits"):
        extra.append(
            _("thăm %(visited)s/%(due)s lượt gia đình học sinh")
            % {"visited": item["visits"]["visited"], "due": item["visits"]["due"]}
        )
    if item["dates"]:
        shown = [dt.date.fromisoformat(d).strftime("%d/%m/%Y") for d in item["dates"][:MAX_DATES]]
        more = len(item["dates"]) - len(shown)
        dates = ", ".join(shown) + (_(" và %(n)s ngày khác") % {"n": more} if more > 0 else "")
        extra.append(_("ngày %(dates)s") % {"dates": dates})
    if extra:
        sentence += "; " + "; ".join(extra)
    return sentence + "."


def target_sentence(target: dict) -> str:
    if target["value"] is None:
        return _("Chỉ tiêu “%(text)s” (%(goal)s): chưa có số đo trong kỳ.") % {
            "text": target["text"].rstrip(" ."),
            "goal": target["goal"],
        }
    return _("Chỉ tiêu “%(text)s” (%(goal)s): đạt %(value)s — %(verdict)s.") % {
        "text": target["text"].rstrip(" ."),
        "goal": target["goal"],
        "value": number_text(target["value"]),
        "verdict": target["verdict"].lower(),
    }


def report_title(review: Review) -> str:
    year = school_year_of(review.document)
    what = (
        _("Sơ kết học kỳ I năm học %(label)s")
        if review.kind == Review.Kind.SO_KET
        else _("Tổng kết năm học %(label)s")
    ) % {"label": year.label}
    plan = review.document
    type_name, summary = split_title({"title": plan.title, "doc_type": plan.doc_type})
    # "KẾ HOẠCH Phối hợp …" is cited inside the sentence as "kế hoạch phối hợp …".
    words = f"{type_name.lower()} {summary[:1].lower()}{summary[1:]}".strip()
    return _("BÁO CÁO %(what)s thực hiện %(plan)s") % {"what": what, "plan": words}


def report_plan(review: Review) -> dict:
    """The BC as a ``phoihop.import/1`` plan: results, strengths, shortcomings, proposals."""
    plan = review.document
    source = document_to_plan(plan)
    sections = [
        {"path": "I", "heading": _("I. KẾT QUẢ THỰC HIỆN"), "level": 1},
        {"path": "II", "heading": _("II. ƯU ĐIỂM"), "level": 1},
        {"path": "III", "heading": _("III. TỒN TẠI, HẠN CHẾ"), "level": 1},
        {"path": "IV", "heading": _("IV. ĐỀ XUẤT, KIẾN NGHỊ"), "level": 1},
    ]
    commitments = []
    for section in review.body.get("sections", []):
        for item in section["items"]:
            commitments.append({"section": "I", "text": item_sentence(item), "parties": []})
    for target in review.body.get("targets", []):
        commitments.append({"section": "I", "text": target_sentence(target), "parties": []})
    coverage = review.body.get("coverage") or {}
    if coverage.get("due"):
        commitments.append(
            {
                "section": "I",
                "text": _("Thăm gia đình học sinh: %(visited)s/%(due)s lượt (%(rate)s%%).")
                % {**coverage, "rate": number_text(coverage.get("rate"))},
                "parties": [],
            }
        )
    for path, text in (
        ("II", review.achievements),
        ("III", review.shortcomings),
        ("IV", review.proposals),
    ):
        lines = _lines(text) or [_("Không có.")]
        commitments += [{"section": path, "text": line, "parties": []} for line in lines]
    basis = _("Thực hiện %(type)s%(number)s %(title)s") % {
        "type": plan.get_doc_type_display(),
        "number": f" số {plan.number_line}" if plan.number is not None else "",
        "title": plan.title,
    }
    superior = plan.unit.parent.name if plan.unit.parent_id else None
    recipients = [{"text": f"{superior} (b/c);", "name": superior, "purpose": "bao_cao"}]
    recipients = (recipients if superior else []) + [
        {"text": "Lưu VT.", "name": "Lưu VT", "purpose": "luu"}
    ]
    return {
        **source,
        "doc_type": Document.Type.BAO_CAO,
        "title": report_title(review)[:500],
        "number": None,
        "date": None,
        "legal_basis": [{"text": basis, "ref": None}],
        "sections": sections,
        "commitments": commitments,
        "targets": [],
        "recipients": recipients,
        "signers": source["signers"][:1],
        "issuer_superior": issuer_superior(plan.unit) or None,
    }


@transaction.atomic
def write_report(review: Review, user=None) -> Document:
    """Create the BC document of ``review`` (a draft, to be numbered and issued through the usual
    workflow). A previous draft report is replaced; an issued one is kept and refused."""
    previous = review.report_document
    if previous is not None:
        if previous.status != Document.Status.DRAFT:
            raise DraftingError(
                _("Báo cáo số %(number)s đã được trình hoặc ban hành, không lập lại được.")
                % {"number": previous.number_line or previous.pk}
            )
        previous.delete()
    report = create_document_from_plan(review.document.unit, report_plan(review), user=user)
    report.parent = review.document
    report.school_year = review.document.school_year
    report.save(update_fields=["parent", "school_year"])
    review.report_document = report
    review.save(update_fields=["report_document"])
    return report


# -- carry into next year ------------------------------------------------------------------------


def next_year_title(title: str, start_year: int | None, end_year: int | None) -> str:
    """Shift the school year in the title: "2025-2026" (also "2025 - 2026", "2025–2026") →
    "2026-2027"; a title without it is kept."""
    if not start_year or not end_year:
        return title
    pattern = re.compile(rf"\b{start_year}(\s*[-–]\s*){end_year}\b")
    return pattern.sub(lambda m: f"{start_year + 1}{m.group(1)}{end_year + 1}", title)


@transaction.atomic
def carry_into_next_year(review: Review, user=None) -> Document:
    """Next year's draft plan: a copy of this one (sections, items, targets, cadences) with the
    years moved on and the review's proposals as a last section. Asking again returns the same
    draft rather than a second one."""
    plan = review.document
    existing = Document.objects.filter(previous=plan, status=Document.Status.DRAFT).first()
    if existing is not None:
        return existing
    data = document_to_plan(plan)
    start, end = plan.start_year, plan.end_year
    if start is None or end is None:
        year = school_year_of(plan)
        start, end = (int(part) for part in year.label.split("-"))
    if end == start + 1:
        # The items' words and windows move with the year, as a rollover moves them ("trong
        # tháng 1/2026" → "trong tháng 1/2027"); otherwise the new plan cannot be scheduled.
        data = shift_plan(data, start)
    period = data.get("period") or {}
    data["period"] = {
        "text": next_year_title(period.get("text") or f"{start}-{end}", start, end),
        "start_year": start + 1,
        "end_year": end + 1,
    }
    data["title"] = next_year_title(plan.title, start, end)
    data["number"] = None
    data["date"] = None
    paths = {s["path"] for s in data["sections"]}
    path = "DX"
    while path in paths:
        path += "X"
    proposals = _lines(review.proposals)
    if proposals:
        data["sections"] = [
            *data["sections"],
            {"path": path, "heading": _("Đề xuất từ tổng kết năm trước"), "level": 1},
        ]
        data["commitments"] = [
            *data["commitments"],
            *({"section": path, "text": line, "parties": []} for line in proposals),
        ]
    document = create_document_from_plan(plan.unit, data, user=user)
    document.previous = plan
    document.status = Document.Status.DRAFT
    if document.school_year_id is None:
        document.school_year = _next_school_year(start + 1, end + 1)
    document.save(update_fields=["previous", "status", "school_year"])
    return document


def _next_school_year(start: int, end: int) -> SchoolYear | None:
    from phoihop.core.calendar import CalendarError
    from phoihop.schedule.services import ensure_school_year

    try:
        return ensure_school_year(f"{start}-{end}")
    except (CalendarError, ValueError, KeyError):
        return None
