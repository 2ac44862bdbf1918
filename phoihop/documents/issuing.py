"""The issuing workflow: draft → submitted → approved → issued → in force → superseded.

Every step is one transaction, checked against the transition table (from which status, by whom)
and recorded in the document's history with a reason. Issuing gives the document its number:
consecutive and without gaps per unit, document type and calendar year (Decree 30/2020/NĐ-CP,
Phụ lục I, Phần II, mục 3: numbering starts at 01 on 1 January and ends on 31 December), assigned
under a row lock so that concurrent issuings never share a number. Issuing also tells the
recipients who have accounts (see ``recipient_users``) and opens their acknowledgement, and, for
a new version ("Sửa đổi, bổ sung", ``amendment``), supersedes the version it amends and hands its
schedule over, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.lint import Finding, blocking, lint
from phoihop.documents import amendment
from phoihop.documents import rules as perms
from phoihop.documents.models import Acknowledgement, Document, DocumentCounter, Recipient
from phoihop.documents.plan_dict import document_to_plan
from phoihop.units.models import Membership, Unit
from phoihop.units.scoping import Scope

Status = Document.Status


class WorkflowError(Exception):
    """A step cannot be taken in the document's current state; the message says why."""


class TransitionRefused(PermissionDenied):
    """The user may see the document but does not hold the role the step needs (HTTP 403)."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: str  # the button
    reason: str  # the history entry and the message after the step
    predicate: object
    permission: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            gettext_lazy("Trình duyệt"),
            gettext_lazy("Đã trình duyệt văn bản."),
            perms.can_submit,
            "documents.submit_document",
        ),
        Transition(
            "return",
            # Also once approved: a blocking finding seen at issuing is fixed in the draft.
            frozenset({Status.SUBMITTED, Status.APPROVED}),
            Status.DRAFT,
            gettext_lazy("Trả lại để sửa"),
            gettext_lazy("Đã trả lại văn bản để sửa (về dự thảo)."),
            perms.can_return,
            "documents.return_document",
        ),
        Transition(
            "approve",
            frozenset({Status.SUBMITTED}),
            Status.APPROVED,
            gettext_lazy("Duyệt"),
            gettext_lazy("Đã duyệt văn bản."),
            perms.can_approve,
            "documents.approve_document",
        ),
        Transition(
            "issue",
            frozenset({Status.APPROVED}),
            Status.ISSUED,
            gettext_lazy("Cấp số và ban hành"),
            gettext_lazy("Đã cấp số và ban hành văn bản."),
            perms.can_issue,
            "documents.issue_document",
        ),
        Transition(
            "put_in_force",
            frozenset({Status.ISSUED}),
            Status.IN_FORCE,
            gettext_lazy("Đưa vào hiệu lực"),
            gettext_lazy("Văn bản đã có hiệu lực."),
            perms.can_put_in_force,
            "documents.put_document_in_force",
        ),
        Transition(
            "supersede",
            frozenset({Status.ISSUED, Status.IN_FORCE}),
            Status.SUPERSEDED,
            gettext_lazy("Đánh dấu đã thay thế"),
            gettext_lazy("Văn bản đã được đánh dấu là đã thay thế."),
            perms.can_supersede,
            "documents.supersede_document",
        ),
    )
}


def allowed_transitions(document: Document, scope: Scope) -> list[Transition]:
    """The steps ``scope``'s user may take now, in workflow order (the toolbar's buttons)."""
    return [
        t
        for t in TRANSITIONS.values()
        if document.status in t.sources and t.predicate.test(scope, document)
    ]


def local_today() -> dt.date:
    """Today in the installation's time zone (Asia/Ho_Chi_Minh), not the server's UTC day."""
    return timezone.localdate()


def build_symbol(document: Document) -> str:
    """ "KH-THCSHS": the type's abbreviation and the issuing unit's code (Decree 30, mục 3)."""
    return document.default_symbol


def next_number(unit: Unit, doc_type: str, year: int) -> int:
    """Take the next number of (unit, doc_type, year); call inside ``transaction.atomic``.

    The counter row is created if missing (``ON CONFLICT DO NOTHING``, so two first issuings of
    the year do not collide) and then locked: PostgreSQL queues the other issuings on the row lock,
    SQLite on the write lock that its IMMEDIATE transactions take at BEGIN. Numbers already held by
    imported documents are skipped, so the counter never hands out a number in use.
    """
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(unit=unit, doc_type=doc_type, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    counter = DocumentCounter.objects.select_for_update().get(
        unit=unit, doc_type=doc_type, year=year
    )
    counter.last_number = _following(counter.last_number, unit, doc_type, year)
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _following(last_number: int, unit: Unit, doc_type: str, year: int) -> int:
    """The number after both the counter and the highest number a document already holds
    (imported documents keep theirs)."""
    highest = (
        Document.objects.filter(unit=unit, doc_type=doc_type, number_year=year).aggregate(
            highest=Max("number")
        )["highest"]
        or 0
    )
    return max(last_number, highest) + 1


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold()
    return re.sub(r"\s+", " ", re.sub(r"[;,.:()\-–]+", " ", text)).strip()


def recipient_users(document: Document):
    """The users to notify when ``document`` is issued.

    Kept simple on purpose, and limited to people who can open the document (``units.scoping``):
    - the leaders and clerks of the units above the issuing unit that the Nơi nhận names (matched
      by name or code; "Phòng GD&ĐT …" (b/c) is the usual one; "Lưu VT" is not a recipient);
    - the partner contacts of the parties that the document's items name (they see those items).
    Units below or beside the issuer do not see its documents yet, so they are not notified.
    """
    ancestor_ids = [int(pk) for pk in document.unit.path.strip("/").split("/")[:-1] if pk]
    names = [
        _normalise(r.name or r.text)
        for r in document.recipients.exclude(purpose=Recipient.Purpose.LUU)
    ]
    named_units = [
        unit.pk
        for unit in Unit.objects.filter(pk__in=ancestor_ids)
        if any(
            n and (_normalise(unit.name) in n or (unit.code and _normalise(unit.code) == n))
            for n in names
        )
    ]
    memberships = Membership.objects.current().filter(
        Q(
            unit_id__in=named_units,
            role__in=[Membership.Role.LEADER, Membership.Role.CLERK],
        )
        | Q(role=Membership.Role.PARTNER, party__item_parties__item__document=document)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("pk")
    )


def notify_recipients(document: Document) -> int:
    """Open an acknowledgement for every recipient with an account; the number opened."""
    now = timezone.now()
    created = Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(document=document, user=user, notified_at=now)
            for user in recipient_users(document)
        ],
        ignore_conflicts=True,
    )
    return len(created)


def transition(
    document: Document,
    name: str,
    *,
    scope: Scope,
    issued_on: dt.date | None = None,
    place: str | None = None,
) -> Document:
    """Take step ``name`` on ``document`` as ``scope``'s user, in one transaction.

    Raises ``TransitionRefused`` when the user lacks the role and ``WorkflowError`` when the step
    does not start from the document's current status (e.g. someone else took it first).
    """
    step = TRANSITIONS.get(name)
    if step is None:
        raise WorkflowError(
            _("Không có bước “%(name)s” trong quy trình ban hành.") % {"name": name}
        )
    with transaction.atomic():
        # Lock and re-read the document: two people pressing the same button queue here, and the
        # second one sees the status the first one left.
        current = (
            Document.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=document.pk)
        )
        if not step.predicate.test(scope, current):
            raise TransitionRefused(
                _("Bạn không có quyền thực hiện bước “%(step)s”.") % {"step": step.label}
            )
        if current.status not in step.sources:
            raise WorkflowError(
                _("Không thể “%(step)s”: văn bản đang ở trạng thái “%(status)s”.")
                % {"step": step.label, "status": current.get_status_display()}
            )
        reason = str(step.reason)
        if step.name == "issue":
            blockers = issue_blockers(current)
            if blockers:
                raise WorkflowError(
                    _("Chưa ban hành được: %(problems)s Hãy sửa rồi ban hành lại.")
                    % {"problems": " ".join(f"{f.place}: {f.text}" for f in blockers)}
                )
            _issue(current, issued_on=issued_on, place=place)
            reason = _("Ban hành, số %(number)s ngày %(date)s.") % {
                "number": current.number_line,
                "date": current.issued_on.strftime("%d/%m/%Y"),
            }
            if current.amends_id:
                reason += " " + _("Thay thế văn bản số %(number)s.") % {
                    "number": current.amends.number_line
                }
        current.status = step.target
        current._change_reason = reason[: amendment.HISTORY_REASON_LENGTH]
        user = getattr(scope, "user", None)
        if getattr(user, "is_authenticated", False):
            current._history_user = user
        current.save()
        if step.name == "issue":
            notify_recipients(current)
            if current.amends_id:
                # A new version replaces the one it amends as it is issued (same transaction).
                current.handover = amendment.take_effect(current, user)
    return current


# Steps that cannot be undone ask for confirmation first: issuing takes the next number of the
# register, superseding ends the plan's life.
CONFIRMED_STEPS = frozenset({"issue", "supersede"})


def upcoming_number_line(document: Document, on: dt.date | None = None) -> str:
    """The "Số: …" the document would get if issued on ``on`` (today), read without taking it."""
    day = on or local_today()
    number = document.number
    if number is None:
        counter = DocumentCounter.objects.filter(
            unit=document.unit, doc_type=document.doc_type, year=day.year
        ).first()
        last = counter.last_number if counter else 0
        number = _following(last, document.unit, document.doc_type, day.year)
    symbol = document.symbol or build_symbol(document)
    return f"{number:02d}/{symbol}" if symbol else f"{number:02d}"


def issue_blockers(document: Document) -> list[Finding]:
    """The check's blocking findings (no item, a signature block with the template's blanks):
    a document with any of them is not issued. Spelling is left out: it never blocks."""
    year = document.school_year.label if document.school_year_id else None
    return blocking(lint(document_to_plan(document), school_year=year, spell_checker=None))


def _issue(document: Document, *, issued_on: dt.date | None, place: str | None) -> None:
    """Number, date and place the document; a number it already carries (imported) is kept."""
    document.issued_on = issued_on or local_today()
    document.place = place or document.place or document.unit.place_name
    if not document.symbol:
        document.symbol = build_symbol(document)
    if document.number is None:
        document.number_year = document.issued_on.year
        document.number = next_number(document.unit, document.doc_type, document.number_year)
    elif document.number_year is None:
        document.number_year = document.issued_on.year
