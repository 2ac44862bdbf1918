"""The plan editor's changes: the section tree, items, parties, cadences and the document's parts.

Every function here is one transaction and leaves a trace in the document's history: sections and
items have their own history tables (simple-history), so a change to one of them is saved with a
``_change_reason`` and the acting user; the parts without a history table (targets, legal basis,
recipients, signers, the party links of an item) are recorded on the document's (or the item's)
history with a reason that names what changed. The "Lịch sử" page reads those three tables back.

Who may edit: whoever may submit the draft (``rules.can_submit``: any staff member of the issuing
unit itself). The leadership's approval is the check on what they wrote, and the history says who
wrote what. Offices above the unit read its drafts but do not write them (a Sở member could edit
and submit a school's draft, issue 13); partner contacts never edit: they see only their own
items. Only drafts are edited; a submitted document goes back to draft ("Trả lại để
sửa") before it can change, so that what was approved is what is issued, and an issued one is
changed by a new version ("Sửa đổi, bổ sung", ``amendment``).

Section labels (``Section.label``) are structural paths ("1.2.3"), the keys the plan dict, the
renderer and the lint use to place items and group siblings. The headings carry the numbering a
person reads ("II. Phối hợp với …"); after any change to the tree the labels, positions (a preorder
walk) and levels are recomputed, so the paths always follow the tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from phoihop.core.cadence import (
    ANCHORS,
    PERIODS,
    SUBJECT_KINDS,
    ScheduleError,
    Subject,
    describe,
    expand,
    parse_cadence,
)
from phoihop.core.parties import PARTY_CODES, party_label
from phoihop.documents.models import (
    Document,
    Item,
    ItemParty,
    LegalBasis,
    Recipient,
    Section,
    Signer,
    Target,
)
from phoihop.params import parse_id
from phoihop.units.models import Party

EDITABLE_STATUSES = frozenset({Document.Status.DRAFT})
UNDO_SESSION_KEY = "documents.editor.undo"
_UNDO_KEEP = 5  # deleted sections kept per document for "Hoàn tác"


class EditError(ValueError):
    """The change cannot be made; the message says why and what to do, in the user's language."""


# --- access ---------------------------------------------------------------------------------------


def can_edit(scope, document: Document) -> bool:
    """Staff of the issuing unit itself write its drafts; offices above it and partners never."""
    return scope.works_in(document.unit_id)


def check_editable(document: Document) -> None:
    """Only drafts are edited; the message says what to do instead, by the document's status."""
    if document.status in EDITABLE_STATUSES:
        return
    status = document.get_status_display()
    if document.status in (Document.Status.ISSUED, Document.Status.IN_FORCE):
        message = _(
            "Văn bản đã ban hành (“%(status)s”): văn bản đã ký và gửi đi được giữ nguyên. Chỉ sửa "
            "được dự thảo: để thay đổi, lãnh đạo hoặc văn thư của đơn vị dùng “Sửa đổi, bổ sung”, "
            "một dự thảo mới được tạo từ văn bản này và thay thế nó khi được ban hành."
        )
    elif document.status == Document.Status.SUPERSEDED:
        message = _(
            "Văn bản đã được thay thế (“%(status)s”) nên không sửa được nữa; hãy sửa văn bản "
            "đang có hiệu lực."
        )
    elif document.status == Document.Status.APPROVED:
        message = _(
            "Văn bản đã được duyệt (“%(status)s”), đang chờ cấp số và ban hành, nên không sửa "
            "được. Sau khi ban hành, thay đổi bằng “Sửa đổi, bổ sung”."
        )
    else:
        message = _(
            "Văn bản đang ở trạng thái “%(status)s” nên không sửa được. Chỉ sửa được dự thảo: "
            "hãy đề nghị lãnh đạo “Trả lại để sửa” trước."
        )
    raise EditError(message % {"status": status})


def _save(obj, user, reason: str, **kwargs) -> None:
    """Save with the reason and the user in the history row (the middleware also sets the user;
    setting it here makes the CLI and tests record it too)."""
    obj._change_reason = reason[:100]
    if getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj.save(**kwargs)


def _delete(obj, user, reason: str) -> None:
    obj._change_reason = reason[:100]
    if getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj.delete()


def _note(document: Document, user, reason: str) -> None:
    """Record a change of a part without its own history table on the document's history."""
    _save(document, user, reason)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _locked(document: Document) -> Document:
    """The document row, locked for the transaction, checked to be a draft."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    check_editable(document)
    return document


# --- document header ------------------------------------------------------------------------------

INFO_FIELDS = ("title", "period_text", "place", "issuer_name", "co_issuer_name")


@transaction.atomic
def update_info(document: Document, user, **values) -> Document:
    document = _locked(document)
    title = (values.get("title") or "").strip()
    if not title:
        raise EditError(_("Trích yếu (tên văn bản) không được để trống."))
    for name in INFO_FIELDS:
        if name in values:
            setattr(document, name, (values[name] or "").strip()[:500])
    _save(document, user, _("Sửa thông tin chung"))
    return document


# --- the section tree -----------------------------------------------------------------------------


def _tree(document: Document) -> tuple[list[Section], dict[int | None, list[Section]]]:
    sections = list(Section.objects.filter(document=document).order_by("position", "pk"))
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    return sections, children


def _renumber(document: Document) -> None:
    """Positions in preorder, labels as paths ("2.1"), levels one below the parent.

    Bookkeeping of the whole tree goes through ``update`` (no history row per sibling); the section
    the user changed is saved afterwards with its reason.
    """
    _sections, children = _tree(document)
    counter = 0

    def walk(parent: Section | None, prefix: str, level: int) -> None:
        nonlocal counter
        for index, section in enumerate(children.get(parent.pk if parent else None, []), 1):
            label = f"{prefix}{index}"
            new = {"position": counter, "label": label, "level": level}
            counter += 1
            if any(getattr(section, k) != v for k, v in new.items()):
                Section.objects.filter(pk=section.pk).update(**new)
            walk(section, f"{label}.", level + 1)

    walk(None, "", 1)


def _descendants(section: Section) -> list[Section]:
    _sections, children = _tree(section.document)
    out, todo = [], [section]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current.pk, []))
    return out


def _section_of(document: Document, pk) -> Section:
    try:
        return Section.objects.get(document=document, pk=int(pk))
    except (Section.DoesNotExist, TypeError, ValueError):
        raise EditError(
            _("Không tìm thấy mục này; có thể nó vừa bị xoá. Hãy tải lại trang.")
        ) from None


def _parent_of(document: Document, pk) -> Section | None:
    return _section_of(document, pk) if pk not in (None, "", "0") else None


@transaction.atomic
def add_section(document: Document, user, heading: str, parent_pk=None) -> Section:
    document = _locked(document)
    heading = (heading or "").strip()
    if not heading:
        raise EditError(_("Hãy nhập tiêu đề của mục."))
    parent = _parent_of(document, parent_pk)
    siblings = Section.objects.filter(document=document, parent=parent)
    section = Section.objects.create(
        document=document,
        parent=parent,
        heading=heading[:500],
        position=10**6,
        level=(parent.level + 1) if parent else 1,
        label=f"new-{siblings.count()}",
    )
    _renumber(document)
    section.refresh_from_db()
    _save(section, user, _("Thêm mục"))
    return section


@transaction.atomic
def rename_section(document: Document, user, section_pk, heading: str) -> Section:
    document = _locked(document)
    section = _section_of(document, section_pk)
    heading = (heading or "").strip()
    if not heading:
        raise EditError(_("Tiêu đề của mục không được để trống."))
    section.heading = heading[:500]
    _save(section, user, _("Đổi tên mục"))
    return section


@transaction.atomic
def move_section(document: Document, user, section_pk, parent_pk) -> Section:
    """Put a section (with its subsection and items) under another parent, last among its new
    siblings."""
    document = _locked(document)
    section = _section_of(document, section_pk)
    parent = _parent_of(document, parent_pk)
    if parent is not None and parent.pk in {s.pk for s in _descendants(section)}:
        raise EditError(_("Không thể chuyển một mục vào trong chính nó hoặc mục con của nó."))
    if parent == section.parent:
        return section
    Section.objects.filter(pk=section.pk).update(parent=parent, position=10**6)
    _renumber(document)
    section.refresh_from_db()
    _save(section, user, _("Chuyển mục"))
    return section


@transaction.atomic
def reorder_section(document: Document, user, section_pk, direction: str) -> Section:
    """Swap a section with its previous ("up") or next ("down") sibling."""
    document = _locked(document)
    section = _section_of(document, section_pk)
    _sections, children = _tree(document)
    siblings = children.get(section.parent_id, [])
    index = [s.pk for s in siblings].index(section.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return section
    siblings[index], siblings[other] = siblings[other], siblings[index]
    _renumber_with_order(document, section.parent_id, {s.pk: i for i, s in enumerate(siblings)})
    section.refresh_from_db()
    _save(section, user, _("Đổi thứ tự mục"))
    return section


def _renumber_with_order(document: Document, parent_id, order: dict[int, int]) -> None:
    """Renumber the tree with the children of ``parent_id`` taken in ``order``."""
    sections, children = _tree(document)
    children[parent_id] = sorted(children.get(parent_id, []), key=lambda s: order[s.pk])
    counter = 0
    positions: dict[int, int] = {}

    def walk(pid) -> None:
        nonlocal counter
        for section in children.get(pid, []):
            positions[section.pk] = counter
            counter += 1
            walk(section.pk)

    walk(None)
    for section in sections:
        if section.pk in positions and positions[section.pk] != section.position:
            Section.objects.filter(pk=section.pk).update(position=positions[section.pk])
    _renumber(document)


@dataclass
class Snapshot:
    """A deleted section's subtree and items, enough to recreate them with their ids."""

    document_id: int
    heading: str
    sections: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "document_id": self.document_id,
            "heading": self.heading,
            "sections": self.sections,
            "items": self.items,
        }


@transaction.atomic
def delete_section(document: Document, user, section_pk) -> Snapshot:
    """Delete a section with its subsections and their items; returns what ``restore_section``
    needs to bring them back ("Hoàn tác")."""
    document = _locked(document)
    section = _section_of(document, section_pk)
    subtree = _descendants(section)
    ids = [s.pk for s in subtree]
    items = list(
        Item.objects.filter(section_id__in=ids).prefetch_related("item_parties").order_by("pk")
    )
    snapshot = Snapshot(
        document_id=document.pk,
        heading=section.heading,
        sections=[
            {
                "pk": s.pk,
                "parent_id": s.parent_id,
                "position": s.position,
                "label": s.label,
                "heading": s.heading,
                "level": s.level,
            }
            for s in sorted(subtree, key=lambda s: s.position)
        ],
        items=[
            {
                "pk": i.pk,
                "section_id": i.section_id,
                "position": i.position,
                "text": i.text,
                "cadence": i.cadence,
                "target_id": i.target_id,
                "evidence_required": i.evidence_required,
                "parties": [
                    [link.party_id, link.is_lead, link.position] for link in i.item_parties.all()
                ],
            }
            for i in items
        ],
    )
    reason = _("Xoá mục “%(heading)s”") % {"heading": _short(section.heading, 40)}
    for item in items:
        _delete(item, user, reason)
    for node in sorted(subtree, key=lambda s: -s.level):
        _delete(node, user, reason)
    _renumber(document)
    return snapshot


@transaction.atomic
def restore_section(document: Document, user, snapshot: dict) -> Section:
    """Recreate a deleted section, its subsections and items with their former ids, so that their
    history continues; links to what was deleted since (a target, a party) are dropped."""
    document = _locked(document)
    if snapshot.get("document_id") != document.pk or not snapshot.get("sections"):
        raise EditError(_("Không còn gì để hoàn tác."))
    reason = _("Hoàn tác xoá mục “%(heading)s”") % {"heading": _short(snapshot["heading"], 40)}
    restored: set[int] = set()
    existing = set(Section.objects.filter(document=document).values_list("pk", flat=True))
    if Section.objects.filter(pk__in=[s["pk"] for s in snapshot["sections"]]).exists():
        raise EditError(_("Mục này đã được khôi phục rồi."))
    first = None
    for raw in snapshot["sections"]:
        parent_id = raw["parent_id"]
        if parent_id not in restored and parent_id not in existing:
            parent_id = None
        section = Section(
            pk=raw["pk"],
            document=document,
            parent_id=parent_id,
            position=raw["position"],
            label=raw["label"],
            heading=raw["heading"],
            level=raw["level"],
        )
        _save(section, user, reason, force_insert=True)
        restored.add(section.pk)
        first = first or section
    targets = set(Target.objects.filter(document=document).values_list("pk", flat=True))
    parties = set(Party.objects.filter(unit=document.unit_id).values_list("pk", flat=True))
    for raw in snapshot["items"]:
        item = Item(
            pk=raw["pk"],
            document=document,
            section_id=raw["section_id"] if raw["section_id"] in restored else None,
            position=raw["position"],
            text=raw["text"],
            cadence=raw["cadence"],
            target_id=raw["target_id"] if raw["target_id"] in targets else None,
            evidence_required=raw["evidence_required"],
        )
        _save(item, user, reason, force_insert=True)
        ItemParty.objects.bulk_create(
            ItemParty(item=item, party_id=party_id, is_lead=is_lead, position=position)
            for party_id, is_lead, position in raw["parties"]
            if party_id in parties
        )
    _renumber(document)
    return first


def remember_deleted(session, snapshot: Snapshot) -> None:
    """Keep the last few deleted sections in the session for the "Hoàn tác" button."""
    stack = [s for s in session.get(UNDO_SESSION_KEY, []) if isinstance(s, dict)]
    stack.append(snapshot.as_dict())
    session[UNDO_SESSION_KEY] = stack[-_UNDO_KEEP:]


def pending_undo(session, document: Document) -> dict | None:
    for snapshot in reversed(session.get(UNDO_SESSION_KEY, [])):
        if snapshot.get("document_id") == document.pk:
            return snapshot
    return None


def pop_undo(session, document: Document) -> dict | None:
    stack = session.get(UNDO_SESSION_KEY, [])
    for index in range(len(stack) - 1, -1, -1):
        if stack[index].get("document_id") == document.pk:
            snapshot = stack.pop(index)
            session[UNDO_SESSION_KEY] = stack
            return snapshot
    return None


# --- items ----------------------------------------------------------------------------------------


def _item_of(document: Document, pk) -> Item:
    try:
        return Item.objects.get(document=document, pk=int(pk))
    except (Item.DoesNotExist, TypeError, ValueError):
        raise EditError(_("Không tìm thấy nội dung này; hãy tải lại trang.")) from None


@transaction.atomic
def add_item(document: Document, user, text: str, section_pk=None) -> Item:
    document = _locked(document)
    text = (text or "").strip()
    if not text:
        raise EditError(_("Hãy nhập nội dung phối hợp."))
    section = _parent_of(document, section_pk)
    last = Item.objects.filter(document=document).order_by("-position").first()
    item = Item(
        document=document, section=section, text=text, position=last.position + 1 if last else 0
    )
    _save(item, user, _("Thêm nội dung"))
    return item


@transaction.atomic
def delete_item(document: Document, user, item_pk) -> None:
    document = _locked(document)
    item = _item_of(document, item_pk)
    _delete(item, user, _("Xoá nội dung “%(text)s”") % {"text": _short(item.text, 40)})


@transaction.atomic
def reorder_item(document: Document, user, item_pk, direction: str) -> Item:
    """Swap an item with its neighbour in the same section."""
    document = _locked(document)
    item = _item_of(document, item_pk)
    siblings = list(
        Item.objects.filter(document=document, section_id=item.section_id).order_by(
            "position", "pk"
        )
    )
    index = [i.pk for i in siblings].index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return item
    neighbour = siblings[other]
    first, second = item.position, neighbour.position
    if first == second:  # ties from old data: make room
        second = first + (1 if direction == "down" else -1)
        if second < 0:
            first, second = 1, 0
    Item.objects.filter(pk=item.pk).update(position=second)
    Item.objects.filter(pk=neighbour.pk).update(position=first)
    item.refresh_from_db()
    _save(item, user, _("Đổi thứ tự nội dung"))
    return item


def cadence_from_form(data) -> dict | None:
    """The cadence dict of the import format from the editor's fields; ``None`` for a standing
    duty (no period, no point, no window). Raises ``EditError`` with the core's reason."""
    per = (data.get("per") or "").strip() or None
    anchors = (
        [a for a in data.getlist("anchors") if a]
        if hasattr(data, "getlist")
        else list(data.get("anchors") or [])
    )
    start = (data.get("window_start") or "").strip()
    end = (data.get("window_end") or "").strip()
    if not (per or anchors or start or end):
        return None
    raw_count = (str(data.get("count") or "")).strip()
    try:
        count = int(raw_count) if raw_count else 1
    except ValueError:
        raise EditError(_("Số lần phải là một số nguyên dương.")) from None
    cadence = {
        "text": (data.get("cadence_text") or "").strip() or None,
        "count": count,
        "at_least": bool(data.get("at_least")),
        "per": per,
        "per_subject": (data.get("per_subject") or "").strip() or None,
        "anchors": [a for a in ANCHORS if a in anchors],
        "window": {"start": start or end, "end": end or start} if (start or end) else None,
    }
    try:
        parse_cadence(cadence)
    except ScheduleError as error:
        raise EditError(_("Tần suất chưa hợp lệ: %(reason)s") % {"reason": error.reason}) from None
    return cadence


@transaction.atomic
def update_item(
    document: Document,
    user,
    item_pk,
    *,
    text: str,
    cadence: dict | None,
    lead_pk=None,
    cooperating_pks=(),
    target_pk=None,
    evidence_required: bool = False,
    section_pk=None,
    new_party_kind: str = "",
    new_party_name: str = "",
    new_party_lead: bool = False,
) -> Item:
    """Save an item's text, cadence, parties (lead first), target and section in one step;
    ``new_party_kind`` creates a party of that kind for the unit on the way (lead or cooperating)."""
    document = _locked(document)
    item = _item_of(document, item_pk)
    text = (text or "").strip()
    if not text:
        raise EditError(_("Nội dung phối hợp không được để trống."))
    if new_party_kind:
        created = _create_party(document, new_party_kind, new_party_name)
        if new_party_lead:
            lead_pk = created.pk
        else:
            cooperating_pks = [*cooperating_pks, created.pk]
    parties = {p.pk: p for p in Party.objects.filter(unit=document.unit_id)}

    def party(pk) -> Party | None:
        if pk in (None, ""):
            return None
        try:
            return parties[int(pk)]
        except (KeyError, ValueError, TypeError):
            raise EditError(_("Tổ chức đã chọn không thuộc đơn vị ban hành.")) from None

    lead = party(lead_pk)
    cooperating = [p for p in (party(pk) for pk in cooperating_pks) if p and p != lead]
    target = None
    if target_pk not in (None, ""):
        target_id = parse_id(target_pk)
        target = (
            Target.objects.filter(document=document, pk=target_id).first() if target_id else None
        )
        if target is None:
            raise EditError(_("Chỉ tiêu đã chọn không thuộc văn bản này."))
    if section_pk is not None:
        item.section = _parent_of(document, section_pk)
    changes = []
    if item.text != text:
        changes.append(_("nội dung"))
    if item.cadence != cadence:
        changes.append(_("tần suất"))
    links = list(item.item_parties.order_by("-is_lead", "position"))
    old = [(link.party_id, link.is_lead) for link in links]
    new = ([(lead.pk, True)] if lead else []) + [(p.pk, False) for p in dict.fromkeys(cooperating)]
    if old != new:
        changes.append(_("bên tham gia"))
        item.item_parties.all().delete()
        ItemParty.objects.bulk_create(
            ItemParty(item=item, party_id=pk, is_lead=is_lead, position=position)
            for position, (pk, is_lead) in enumerate(new)
        )
    item.text = text
    item.cadence = cadence
    item.target = target
    item.evidence_required = evidence_required
    reason = (
        _("Sửa nội dung: %(what)s") % {"what": ", ".join(changes)} if changes else _("Sửa nội dung")
    )
    _save(item, user, reason)
    return item


def _create_party(document: Document, kind: str, name: str = "") -> Party:
    """A party of a kind the unit did not have yet, made from the item form ("Thêm tổ chức")."""
    if kind not in PARTY_CODES:
        raise EditError(_("Hãy chọn loại tổ chức."))
    name = (name or "").strip()[:200] or party_label(kind)
    existing = Party.objects.filter(unit=document.unit_id, name=name).first()
    if existing:
        return existing
    return Party.objects.create(unit=document.unit, kind=kind, name=name)


def _preview_subjects(kind: str | None) -> list[Subject]:
    if kind is None:
        return []
    name = {
        "hoc_sinh": _("Lớp mẫu"),
        "lop": _("Lớp mẫu"),
        "can_bo": _("Cán bộ mẫu"),
        "don_vi": _("Đơn vị mẫu"),
    }[kind]
    return [Subject(id="preview", name=name, members=("preview-student",))]


@dataclass
class CadencePreview:
    words: str
    occurrences: list = field(default_factory=list)
    total: int = 0
    school_year: str = ""
    error: str = ""


def cadence_preview(document: Document, cadence: dict | None, limit: int = 12) -> CadencePreview:
    """The cadence in words and its first dates on the document's school year, for the editor.

    A per-subject item is previewed for one placeholder class/person, so the dates are those every
    subject gets. Never raises: a cadence that cannot be scheduled shows the core's reason.
    """
    from phoihop.core.calendar import CalendarError, get_school_year
    from phoihop.schedule.services import SchedulingError, core_school_year

    preview = CadencePreview(words=describe(cadence))
    try:
        if document.school_year_id:
            year = core_school_year(document.school_year)
        elif document.start_year and document.end_year == (document.start_year or 0) + 1:
            year = get_school_year(f"{document.start_year}-{document.end_year}")
        else:
            preview.error = _("Văn bản chưa gắn năm học nên chưa xem trước được ngày.")
            return preview
    except (SchedulingError, CalendarError) as error:
        preview.error = str(error)
        return preview
    preview.school_year = year.label
    kind = (cadence or {}).get("per_subject") or None
    try:
        occurrences = expand(
            cadence, year, subjects=_preview_subjects(kind if kind in SUBJECT_KINDS else None)
        )
    except ScheduleError as error:
        preview.error = error.reason
        return preview
    preview.total = len(occurrences)
    preview.occurrences = occurrences[:limit]
    return preview


# --- targets, legal basis, recipients, signers ----------------------------------------------------


def _decimal(value) -> Decimal | None:
    value = (str(value or "")).strip().replace(",", ".")
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise EditError(_("Giá trị “%(value)s” không phải là số.") % {"value": value}) from None


def _date(value) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise EditError(_("Ngày “%(value)s” không hợp lệ.") % {"value": value}) from None


def _basis_text(cited: Document) -> str:
    parts = [_("Căn cứ %(title)s") % {"title": cited.title}]
    if cited.number is not None:
        parts.append(_("số %(number)s") % {"number": cited.number_line})
    if cited.issued_on:
        parts.append(
            _("ngày %(date)s")
            % {"date": f"{cited.issued_on.day}/{cited.issued_on.month}/{cited.issued_on.year}"}
        )
    parts.append(_("của %(issuer)s") % {"issuer": cited.issuer_name or cited.unit.name})
    return " ".join(parts)


def _target_values(data, document, visible_documents) -> dict:
    text = (data.get("text") or "").strip()
    if not text:
        raise EditError(_("Hãy nhập nội dung chỉ tiêu."))
    comparator = data.get("comparator") or ""
    if comparator not in Target.Comparator.values and comparator:
        raise EditError(_("Phép so sánh không hợp lệ."))
    return {
        "text": text,
        "comparator": comparator,
        "value": _decimal(data.get("value")),
        "unit_label": (data.get("unit_label") or "").strip()[:32],
    }


def _basis_values(data, document, visible_documents) -> dict:
    text = (data.get("text") or "").strip()
    cited = None
    ref = (data.get("ref_document") or "").strip()
    if ref:
        ref_pk = parse_id(ref)
        cited = (
            visible_documents.filter(pk=ref_pk).exclude(pk=document.pk).first()
            if ref_pk is not None
            else None
        )
        if cited is None:
            raise EditError(_("Không tìm thấy văn bản được dẫn trong những văn bản bạn được xem."))
        text = text or _basis_text(cited)
    if not text:
        raise EditError(_("Hãy nhập căn cứ, hoặc chọn một văn bản có trong hệ thống."))
    values = {
        "text": text,
        "ref_number": (data.get("ref_number") or "").strip()[:100],
        "ref_date": _date(data.get("ref_date")),
        "ref_document": cited,
    }
    if cited is not None:
        values["ref_number"] = values["ref_number"] or (
            cited.number_line if cited.number is not None else ""
        )
        values["ref_date"] = values["ref_date"] or cited.issued_on
    return values


def _recipient_values(data, document, visible_documents) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise EditError(_("Hãy nhập nơi nhận."))
    purpose = data.get("purpose") or ""
    if purpose and purpose not in Recipient.Purpose.values:
        raise EditError(_("Mục đích gửi không hợp lệ."))
    return {"name": name[:200], "purpose": purpose, "text": ""}


SIGNER_AUTHORITIES = ("", "TM.", "KT.", "Q.")


def _signer_values(data, document, visible_documents) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise EditError(_("Hãy nhập chức vụ của người ký."))
    authority = data.get("authority") or ""
    if authority not in SIGNER_AUTHORITIES:
        raise EditError(_("Thẩm quyền ký chỉ là TM., KT. hoặc Q."))
    return {
        "authority": authority,
        "title": title[:200],
        "name": (data.get("name") or "").strip()[:120],
    }


@dataclass(frozen=True)
class Part:
    model: type
    values: object
    noun: str  # for the history reason


PARTS = {
    "targets": Part(Target, _target_values, gettext_noop("chỉ tiêu")),
    "basis": Part(LegalBasis, _basis_values, gettext_noop("căn cứ")),
    "recipients": Part(Recipient, _recipient_values, gettext_noop("nơi nhận")),
    "signers": Part(Signer, _signer_values, gettext_noop("người ký")),
}


@transaction.atomic
def edit_part(document: Document, user, kind: str, action: str, data, *, visible_documents=None):
    """Add, save or delete one target, legal basis, recipient or signer."""
    document = _locked(document)
    part = PARTS.get(kind)
    if part is None or action not in ("add", "save", "delete", "up", "down"):
        raise EditError(_("Thao tác không hợp lệ."))
    noun = _(part.noun)
    rows = part.model.objects.filter(document=document)
    if visible_documents is None:
        visible_documents = Document.objects.none()
    if action == "add":
        values = part.values(data, document, visible_documents)
        last = rows.order_by("-position").first()
        part.model.objects.create(
            document=document, position=last.position + 1 if last else 0, **values
        )
        _note(document, user, _("Thêm %(noun)s") % {"noun": noun})
        return
    row_pk = parse_id(data.get("id"))
    row = rows.filter(pk=row_pk).first() if row_pk is not None else None
    if row is None:
        raise EditError(_("Không tìm thấy dòng này; hãy tải lại trang."))
    if action == "delete":
        row.delete()
        _note(document, user, _("Xoá %(noun)s") % {"noun": noun})
    elif action == "save":
        for name, value in part.values(data, document, visible_documents).items():
            setattr(row, name, value)
        row.save()
        _note(document, user, _("Sửa %(noun)s") % {"noun": noun})
    else:
        ordered = list(rows.order_by("position", "pk"))
        index = ordered.index(row)
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
            for position, each in enumerate(ordered):
                if each.position != position:
                    part.model.objects.filter(pk=each.pk).update(position=position)
            _note(document, user, _("Đổi thứ tự %(noun)s") % {"noun": noun})


# --- history --------------------------------------------------------------------------------------


@dataclass
class Change:
    when: dt.datetime
    user: object
    kind: str  # "document" | "section" | "item"
    action: str  # "+" created, "~" changed, "-" deleted
    subject: str
    reason: str
    fields: list[str]


_HISTORY_FIELDS = {
    "document": ("title", "status", "number", "symbol", "period_text", "place", "issued_on",
                 "issuer_name", "co_issuer_name"),
    "section": ("heading", "parent_id", "position", "level"),
    "item": ("text", "section_id", "cadence", "target_id", "evidence_required"),
}  # fmt: skip


_FIELD_LABELS = {
    "parent_id": gettext_noop("mục cha"),
    "position": gettext_noop("thứ tự"),
    "section_id": gettext_noop("mục"),
    "target_id": gettext_noop("chỉ tiêu"),
}


def document_history(document: Document, limit: int = 300) -> list[Change]:
    """The document's changes, newest first, from the history tables of the document, its
    sections and its items: who, when, what (the reason, and the fields that differ from the
    previous version of the same row). Three queries, whatever the length."""
    sources = (
        ("document", Document.history.filter(id=document.pk), Document),
        ("section", Section.history.filter(document_id=document.pk), Section),
        ("item", Item.history.filter(document_id=document.pk), Item),
    )
    changes: list[Change] = []
    for kind, queryset, model in sources:
        rows = list(
            queryset.select_related("history_user").order_by("id", "history_date", "history_id")
        )
        previous = None
        for row in rows:
            fields = []
            if previous is not None and previous.id == row.id and row.history_type == "~":
                for name in _HISTORY_FIELDS[kind]:
                    if getattr(previous, name) != getattr(row, name):
                        label = _FIELD_LABELS.get(name)
                        fields.append(
                            _(label) if label else str(model._meta.get_field(name).verbose_name)
                        )
            subject = {
                "document": lambda r: r.title,
                "section": lambda r: r.heading,
                "item": lambda r: r.text,
            }[kind](row)
            changes.append(
                Change(
                    when=row.history_date,
                    user=row.history_user,
                    kind=kind,
                    action=row.history_type,
                    subject=_short(subject, 90),
                    reason=row.history_change_reason or "",
                    fields=fields,
                )
            )
            previous = row
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


__all__ = [
    "ANCHORS",
    "PERIODS",
    "SUBJECT_KINDS",
    "EditError",
    "add_item",
    "add_section",
    "cadence_preview",
    "document_history",
    "can_edit",
    "check_editable",
    "delete_item",
    "delete_section",
    "edit_part",
    "move_section",
    "rename_section",
    "reorder_item",
    "reorder_section",
    "restore_section",
    "update_info",
    "update_item",
]
