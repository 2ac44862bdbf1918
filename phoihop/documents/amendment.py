"""Sửa đổi, bổ sung: a new version of an issued document, which replaces it when issued.

An issued document is never edited in place (what was signed and sent stays as it was): its unit
opens a new draft copied from it (``rollover.copy_as_draft``: sections, items with their exact
parties, targets, basis, recipients, signers), same title and school year, linked to it by
``Document.amends`` and citing it by number and date as its last introductory line. The draft
goes through the normal workflow; issuing it (``issuing.transition``, step "issue") calls
``take_effect`` in the same transaction, which supersedes the old version and hands the schedule
over to the new one.

The schedule is handed over at the new version's issue date (the cut-over): occurrences whose
window starts before it stay with the old version, whatever their state (work in progress, done or
overdue under the plan then in force, with their records); the old version's occurrences from the
cut-over on that hold no record are removed and the new version is scheduled from that date on, so
the calendar and "Việc của tôi" never show both. This is the rule ``schedule_document`` already
follows when a plan is rescheduled: an activity without records may be moved or removed, one with
records is kept as it is.

Vietnamese practice knows a second form, an amending document ("Kế hoạch sửa đổi, bổ sung Kế hoạch
số …") that lists only the changed points and leaves the rest of the original in force. It is not
built here: the system schedules whole plans, so the new version carries the whole plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from phoihop.documents.models import Document, Item, LegalBasis
from phoihop.documents.plan_dict import document_to_plan
from phoihop.documents.rollover import copy_as_draft

Status = Document.Status

# What may be amended: signed and sent, not yet replaced.
AMENDABLE_STATUSES = frozenset({Status.ISSUED, Status.IN_FORCE})
# A draft in the workflow: the one open amendment of a document, if any.
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED)
HISTORY_REASON_LENGTH = 100  # simple-history's history_change_reason column


class AmendmentError(ValueError):
    """The document cannot be amended now; the message says why, in the user's language."""


def can_amend(scope, document: Document) -> bool:
    """The unit's own leaders and clerks (who open its drafts and keep its register); an office
    above the unit reads its documents but does not write in its name."""
    return scope.keeps_register_of(document.unit_id)


def offer(scope, document: Document) -> dict | None:
    """What the document page and the editor show of "Sửa đổi, bổ sung" to this user: None, or
    the draft already open (``{"draft": …}``, None when there is none yet)."""
    if document.status not in AMENDABLE_STATUSES:
        return None
    if not can_amend(scope, document):
        return None
    return {"draft": open_amendment(document)}


def open_amendment(document: Document) -> Document | None:
    """The amendment draft of ``document`` still in the workflow, if there is one."""
    return Document.objects.filter(amends=document, status__in=OPEN_STATUSES).order_by("pk").first()


def replaced_by(document: Document) -> Document | None:
    """The issued amendment that replaced ``document``, if there is one."""
    return (
        Document.objects.filter(amends=document)
        .exclude(status__in=OPEN_STATUSES)
        .order_by("-issued_on", "-pk")
        .first()
    )


def reference(document: Document) -> str:
    """ "Kế hoạch số 05/KH-THCSA ngày 05/09/2025": how the text cites an issued document."""
    text = _("%(type)s số %(number)s") % {
        "type": document.get_doc_type_display(),
        "number": document.number_line,
    }
    if document.issued_on:
        text += _(" ngày %(date)s") % {"date": document.issued_on.strftime("%d/%m/%Y")}
    return text


def _reason(text: str) -> str:
    return text[:HISTORY_REASON_LENGTH]


def _save(document: Document, user, reason: str) -> None:
    document._change_reason = _reason(reason)
    if getattr(user, "is_authenticated", False):
        document._history_user = user
    document.save()


@transaction.atomic
def amend_document(document: Document, user) -> tuple[Document, bool]:
    """The draft that amends ``document``: a new one, or the one already open (``created``
    False), so that a document has one amendment in the workflow at a time.

    The caller checks who may amend (``can_amend``); this checks what may be amended and queues
    two requests for the same document on its row lock, so that they cannot open two drafts.
    """
    current = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    existing = open_amendment(current)
    if existing is not None:
        return existing, False
    if current.status not in AMENDABLE_STATUSES:
        raise AmendmentError(
            _(
                "Chỉ sửa đổi, bổ sung được văn bản đã ban hành hoặc đang có hiệu lực; văn bản này "
                "đang ở trạng thái “%(status)s”."
            )
            % {"status": current.get_status_display()}
        )
    plan = document_to_plan(current)
    # A version of an amendment cites the version it amends, not the one before that.
    carried = list(current.legal_basis.order_by("position", "pk"))
    plan["legal_basis"] = [
        basis
        for basis, row in zip(plan["legal_basis"], carried, strict=False)
        if current.amends_id is None or row.ref_document_id != current.amends_id
    ]
    new = copy_as_draft(current, plan, user=user)
    new.amends = current
    new.previous = current.previous
    new.school_year = current.school_year if current.school_year_id else new.school_year
    cited = reference(current)
    LegalBasis.objects.create(
        document=new,
        position=len(plan["legal_basis"]),
        text=_("Sửa đổi, bổ sung %(document)s của %(issuer)s")
        % {"document": cited, "issuer": current.issuer_name or current.unit.name},
        ref_number=current.number_line,
        ref_date=current.issued_on,
        ref_document=current,
    )
    _save(new, user, _("Dự thảo sửa đổi, bổ sung %(document)s") % {"document": cited})
    _save(current, user, _("Mở dự thảo sửa đổi, bổ sung (bản mới)"))
    return new, True


@dataclass
class Handover:
    """What issuing an amendment did to the version it replaces."""

    superseded: Document | None = None
    scheduled: object = None  # a schedule.services.ScheduleResult, when the old one had a schedule
    schedule_error: str = ""


def take_effect(new: Document, user) -> Handover:
    """Issuing ``new`` (an amendment, already numbered and dated): supersede the version it
    amends and hand its schedule over. Called inside ``issuing.transition``'s transaction.

    Scheduling the new version is tried in a savepoint: if it fails (a cadence the calendar
    cannot place), issuing still stands, the old version's schedule is left as it was and the
    message says what to do.
    """
    from phoihop.schedule.models import Activity
    from phoihop.schedule.services import SchedulingError, schedule_document

    handover = Handover()
    old = Document.objects.select_for_update(of=("self",)).filter(pk=new.amends_id).first()
    if old is None:
        return handover
    if old.status in AMENDABLE_STATUSES:
        old.status = Status.SUPERSEDED
        _save(
            old,
            user,
            _("Đã được thay thế bởi bản sửa đổi, bổ sung %(document)s.")
            % {"document": reference(new)},
        )
        handover.superseded = old
    if Activity.objects.filter(item__document=old).exists():
        try:
            with transaction.atomic():
                handover.scheduled = schedule_document(new)
        except SchedulingError as error:
            handover.schedule_error = str(error)
    return handover


def handover_messages(handover: Handover, new: Document) -> list[tuple[str, str]]:
    """(level, text) of what issuing the amendment did, for the page after the step."""
    found = []
    if handover.superseded is not None:
        found.append(
            (
                "success",
                _("%(document)s đã chuyển sang “Đã thay thế”: văn bản vừa ban hành thay thế nó.")
                % {"document": reference(handover.superseded)},
            )
        )
    if handover.scheduled is not None:
        result = handover.scheduled
        found.append(
            (
                "success",
                _(
                    "Lịch chuyển sang văn bản này từ ngày %(date)s: %(released)s hoạt động chưa "
                    "làm của văn bản cũ được chuyển sang, %(created)s hoạt động mới; hoạt động đã "
                    "bắt đầu hoặc đã có kết quả vẫn thuộc văn bản cũ."
                )
                % {
                    "date": new.issued_on.strftime("%d/%m/%Y"),
                    "created": result.created,
                    "released": result.released,
                },
            )
        )
    if handover.schedule_error:
        found.append(
            (
                "error",
                _(
                    "Chưa xếp được lịch cho văn bản này: %(error)s Lịch của văn bản cũ được giữ "
                    "nguyên."
                )
                % {"error": handover.schedule_error},
            )
        )
    return found


def cutover(document: Document) -> dt.date | None:
    """The day from which ``document``, an issued amendment, holds the schedule (None for any
    other document): its issue date."""
    if document.amends_id is None or document.is_draft:
        return None
    return document.issued_on


def take_over(document: Document, day: dt.date) -> tuple[int, set[tuple[int, str, int | None]]]:
    """Hand ``document`` (an issued amendment) the occurrences of the version it amends that
    start on or after ``day``; call inside ``schedule_document``'s transaction, before it reads
    ``document``'s activities.

    An occurrence without records moves to the copy of its item (same row: its assignee and
    dates stay until the schedule updates them); one whose item was dropped from the new version
    is removed. One with records stays with the old version, and its slot (new item, key, class)
    is returned so that the new version does not schedule it a second time. Returns the number
    of occurrences moved or removed, and those slots.
    """
    from phoihop.schedule.models import Activity

    copies = dict(
        Item.objects.filter(document=document, copied_from__isnull=False).values_list(
            "copied_from_id", "pk"
        )
    )
    taken = set(
        Activity.objects.filter(item__document=document).values_list(
            "item_id", "key", "school_class_id"
        )
    )
    rows = (
        Activity.objects.filter(item__document_id=document.amends_id, window_starts_on__gte=day)
        .annotate(record_count=Count("records"))
        .values_list("pk", "item_id", "key", "school_class_id", "record_count")
    )
    held: set[tuple[int, str, int | None]] = set()
    moves: dict[int, list[int]] = {}
    stale: list[int] = []
    for pk, item_id, key, class_id, record_count in rows:
        copy = copies.get(item_id)
        slot = (copy, key, class_id)
        if record_count:
            if copy is not None:
                held.add(slot)
        elif copy is None or slot in taken:
            stale.append(pk)
        else:
            moves.setdefault(copy, []).append(pk)
            taken.add(slot)
    for copy, pks in moves.items():
        Activity.objects.filter(pk__in=pks).update(item_id=copy)
    if stale:
        Activity.objects.filter(pk__in=stale).delete()
    return sum(len(pks) for pks in moves.values()) + len(stale), held
