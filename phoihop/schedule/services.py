"""School-year frames and scheduling, each change in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import translation

from phoihop.core import calendar as core_calendar
from phoihop.core.cadence import ScheduleError, Subject, expand
from phoihop.core.i18n import _, language
from phoihop.schedule.models import DayOff, SchoolYear
from phoihop.units.models import Unit


@transaction.atomic
def ensure_school_year(label: str, unit: Unit | None = None) -> SchoolYear:
    """Return the school year ``label`` for ``unit`` (national default when None), creating it
    from the core calendar's default frame the first time it is asked for."""
    existing = SchoolYear.objects.filter(unit=unit, label=label).first()
    if existing:
        return existing
    frame = core_calendar.get_school_year(label)
    year = SchoolYear.objects.create(
        unit=unit,
        label=frame.label,
        starts_on=frame.start,
        opens_on=frame.opening,
        semester1_ends_on=frame.semester1_end,
        semester2_starts_on=frame.semester2_start,
        ends_on=frame.end,
        tet_break_starts_on=frame.tet_break_start,
        tet_break_ends_on=frame.tet_break_end,
        source=frame.source[:300],
        derived=frame.derived,
    )
    DayOff.objects.bulk_create(
        DayOff(school_year=year, date=day.day, name=day.name[:120]) for day in frame.days_off
    )
    return year


def day_off_names(year: SchoolYear, days_off) -> dict:
    """Day → name of ``days_off`` (of ``year``) in the reader's language: the calendar's own
    days off (holidays, Tết) are stored as the Vietnamese words of the day they were created, so
    those are said again from the calendar in the active language; a name someone typed is shown
    as typed. The calendar is read once for the year, whatever the number of days."""
    names = _calendar_names(year.label)
    shown = {}
    for day_off in days_off:
        vietnamese, active = names.get(day_off.date, ("", ""))
        shown[day_off.date] = active if active and day_off.name == vietnamese else day_off.name
    return shown


def _calendar_names(label: str) -> dict:
    try:
        with language("vi"):
            vietnamese = {d.day: d.name for d in core_calendar.get_school_year(label).days_off}
        with language(translation.get_language() or "vi"):
            active = {d.day: d.name for d in core_calendar.get_school_year(label).days_off}
    except core_calendar.CalendarError:
        return {}
    return {day: (name[:120], active.get(day, "")) for day, name in vietnamese.items()}


class SchedulingError(ValueError):
    """The document cannot be scheduled; the message names the item and says why."""


def effective_school_year(unit: Unit, label: str) -> SchoolYear:
    """The frame that applies to ``unit``: its own, else the nearest office's above it (a
    province's decision), else the national default (created from the core calendar)."""
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    frames = {
        y.unit_id: y
        for y in SchoolYear.objects.filter(unit_id__in=ancestors, label=label).select_related(
            "unit"
        )
    }
    for unit_id in reversed(ancestors):
        if unit_id in frames:
            return frames[unit_id]
    return ensure_school_year(label)


DATE_FIELDS = (
    "starts_on",
    "opens_on",
    "semester1_ends_on",
    "semester2_starts_on",
    "ends_on",
    "tet_break_starts_on",
    "tet_break_ends_on",
)


@transaction.atomic
def save_unit_school_year(
    unit: Unit,
    label: str,
    dates: dict,
    *,
    add_day: tuple | None = None,
    remove_day=None,
    note: str = "",
) -> SchoolYear:
    """Write ``unit``'s own frame for ``label`` (copied from the one that applied until now),
    validated by the core calendar before anything is kept."""
    base = effective_school_year(unit, label)
    own = base if base.unit_id == unit.pk else None
    if own is None:
        own = SchoolYear.objects.create(
            unit=unit, label=base.label, source=base.source, derived=base.derived,
            **{f: getattr(base, f) for f in DATE_FIELDS},
        )  # fmt: skip
        DayOff.objects.bulk_create(
            DayOff(school_year=own, date=d.date, name=d.name) for d in base.days_off.all()
        )
    for field, value in dates.items():
        if field in DATE_FIELDS and value is not None:
            setattr(own, field, value)
    if note:
        own.source = (f"{own.source}; " if own.source else "") + note
        own.source = own.source[-300:]
    own.save()
    if remove_day is not None:
        own.days_off.filter(date=remove_day).delete()
    if add_day is not None:
        day, name = add_day
        DayOff.objects.update_or_create(school_year=own, date=day, defaults={"name": name[:120]})
    core_school_year(own)  # raises SchedulingError (rolling everything back) when inconsistent
    return own


def core_school_year(year: SchoolYear) -> core_calendar.SchoolYear:
    """The stored (possibly edited) school year as the core calendar's frame."""
    days_off = tuple(
        core_calendar.DayOff(day=d.date, name=d.name) for d in year.days_off.order_by("date")
    )
    base = core_calendar.get_school_year(year.label)
    try:
        return core_calendar.SchoolYear(
            label=year.label,
            start=year.starts_on,
            opening=year.opens_on or year.starts_on,
            semester1_end=year.semester1_ends_on,
            semester2_start=year.semester2_starts_on,
            end=year.ends_on,
            tet_break_start=year.tet_break_starts_on or base.tet_break_start,
            tet_break_end=year.tet_break_ends_on or base.tet_break_end,
            days_off=days_off,
            derived=year.derived,
            source=year.source,
        )
    except core_calendar.CalendarError as exc:
        raise SchedulingError(str(exc)) from exc


@dataclass
class ScheduleResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept_with_records: int = 0
    released: int = 0  # the amended version's occurrences moved here or removed (amendment)


def _subjects(document, year: SchoolYear) -> tuple[list[Subject], list[Subject]]:
    """Classes as subjects: without students (per class) and with them (per student)."""
    from phoihop.tracking.models import SchoolClass, Student

    classes = list(
        SchoolClass.objects.filter(unit=document.unit, school_year=year).order_by("grade", "name")
    )
    members: dict[int, list[str]] = {c.pk: [] for c in classes}
    enrolled = Student.objects.filter(school_class__in=classes, left_on__isnull=True)
    for class_id, student_id in enrolled.order_by("pk").values_list("school_class_id", "pk"):
        members[class_id].append(str(student_id))
    per_class = [Subject(id=str(c.pk), name=c.name) for c in classes]
    per_student = [
        Subject(id=str(c.pk), name=c.name, members=tuple(members[c.pk])) for c in classes
    ]
    return per_class, per_student


@transaction.atomic
def schedule_document(document, *, school_year: SchoolYear | None = None) -> ScheduleResult:
    """Expand every item's cadence into activities; all or nothing.

    Re-scheduling after an edit matches activities by (item, key, class): those that already have
    records are kept untouched, the others are moved to their new dates or removed.

    An issued amendment (``documents.amendment``) holds the occurrences from its issue date on and
    takes them over from the version it replaces; an amendment still in draft is not scheduled.
    """
    from phoihop.documents import amendment
    from phoihop.documents.models import ItemParty
    from phoihop.schedule.models import Activity

    year = school_year or document.school_year
    if year is None:
        raise SchedulingError(
            _("Văn bản “%(title)s” chưa gắn với năm học nào: hãy chọn năm học trước khi xếp lịch.")
            % {"title": document.title}
        )
    if document.amends_id and document.is_draft:
        raise SchedulingError(
            _(
                "“%(title)s” là bản sửa đổi, bổ sung: lịch của nó được xếp khi ban hành, lúc "
                "các hoạt động chưa làm của văn bản cũ được chuyển sang."
            )
            % {"title": document.title}
        )
    if document.status == document.Status.SUPERSEDED and amendment.replaced_by(document):
        raise SchedulingError(
            _(
                "“%(title)s” đã được thay thế bởi bản sửa đổi, bổ sung: lịch thuộc về bản mới, "
                "văn bản này không được xếp lịch lại."
            )
            % {"title": document.title}
        )
    cutover = amendment.cutover(document)
    released, held = amendment.take_over(document, cutover) if cutover else (0, set())
    frame = core_school_year(year)
    per_class, per_student = _subjects(document, year)
    items = document.items.order_by("position").prefetch_related(
        Prefetch("item_parties", queryset=ItemParty.objects.order_by("-is_lead", "position"))
    )
    existing: dict[tuple[int, str, int | None], Activity] = {
        (a.item_id, a.key, a.school_class_id): a
        for a in Activity.objects.filter(item__document=document).annotate(
            has_records=Count("records")
        )
    }
    result = ScheduleResult(released=released)
    to_create: list[Activity] = []
    to_update: list[Activity] = []
    seen: set[tuple[int, str, int | None]] = set()
    for item in items:
        cadence = item.cadence or None
        kind = (cadence or {}).get("per_subject")
        subjects = per_student if kind == "hoc_sinh" else per_class if kind == "lop" else ()
        try:
            occurrences = expand(cadence, frame, subjects=subjects, item_label=item.text)
        except ScheduleError as exc:
            raise SchedulingError(str(exc)) from exc
        lead = next(iter(item.item_parties.all()), None)
        for occ in occurrences:
            if cutover is not None and occ.window_start < cutover:
                continue  # begun under the version this one amends, which keeps it
            class_id = int(occ.subject.id) if occ.subject and kind in ("lop", "hoc_sinh") else None
            slot = (item.pk, occ.key, class_id)
            if slot in held:
                continue  # recorded under the version this one amends, which keeps it
            seen.add(slot)
            activity = existing.get(slot)
            if activity is not None and activity.has_records:
                result.kept_with_records += 1
                continue
            values = {
                "unit_id": document.unit_id,
                "title": _activity_title(occ, item.text),
                "assignee_party_id": lead.party_id if lead else None,
                "window_starts_on": occ.window_start,
                "window_ends_on": occ.window_end,
                "due_on": occ.due_on,
                "kind": occ.kind,
                "repeat": occ.repeat,
                "obligations": len(occ.obligations),
            }
            if activity is None:
                to_create.append(
                    Activity(item=item, key=occ.key, school_class_id=class_id, **values)
                )
            elif any(getattr(activity, name) != value for name, value in values.items()):
                # Only what changed is written again (and counted as updated).
                for name, value in values.items():
                    setattr(activity, name, value)
                to_update.append(activity)
    Activity.objects.bulk_create(to_create, batch_size=500)
    Activity.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)
    leftovers = [a for slot, a in existing.items() if slot not in seen]
    stale = [a.pk for a in leftovers if not a.has_records]
    result.kept_with_records += len(leftovers) - len(stale)
    if stale:
        Activity.objects.filter(pk__in=stale).delete()
        result.removed = len(stale)
    return result


UPDATED_FIELDS = [
    "unit",
    "title",
    "assignee_party",
    "window_starts_on",
    "window_ends_on",
    "due_on",
    "kind",
    "repeat",
    "obligations",
]


def _activity_title(occ, text: str) -> str:
    short = text if len(text) <= 160 else text[:157].rstrip() + "…"
    return f"{occ.label} · {short}"[:300]
