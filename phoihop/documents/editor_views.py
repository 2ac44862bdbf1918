"""Pages of the plan editor, the history, ways to start a document and the comparison.

Every view starts from ``scope.documents()`` (a document the user cannot see is a 404); editing
also needs ``editor.can_edit`` (a partner contact who sees the document gets a 403). The changes are
made by ``editor`` (one transaction each), ``rollover``, ``builtin`` and ``compare``.

With htmx (``request.htmx``) a change answers with the fragment it changed (the section tree, the
parts, the item form); without JavaScript the same forms post normally and redirect back.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core.cadence import ANCHORS, PERIODS, SUBJECT_KINDS
from phoihop.core.parties import PARTY_KIND_LABELS
from phoihop.documents import amendment, builtin, compare, editor, rollover
from phoihop.documents.models import Document, Item, ItemParty, Recipient, Target
from phoihop.documents.plan_dict import document_to_plan
from phoihop.params import id_param
from phoihop.units.models import Party
from phoihop.units.scoping import scope_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _visible(request, pk: int):
    scope = scope_for(request)
    document = get_object_or_404(
        scope.documents().select_related("unit", "school_year", "previous", "amends"), pk=pk
    )
    return scope, document


def _editable(request, pk: int):
    """The document for the editor: visible (else 404) and the user may write it (else 403)."""
    scope, document = _visible(request, pk)
    if not editor.can_edit(scope, document):
        raise PermissionDenied(_("Bạn không có quyền soạn văn bản này."))
    return scope, document


def _visible_documents(scope, document):
    return (
        scope.documents()
        .exclude(pk=document.pk)
        .select_related("unit")
        .order_by("-issued_on", "-created_at")
    )


# --- the editor page and its fragments ------------------------------------------------------------


def _tree_context(request, document) -> dict:
    sections = list(document.sections.order_by("position", "pk"))
    parties = ItemParty.objects.select_related("party").order_by("-is_lead", "position")
    items = list(
        Item.objects.filter(document=document)
        .select_related("target")
        .prefetch_related(Prefetch("item_parties", queryset=parties))
        .order_by("position", "pk")
    )
    by_section: dict[int | None, list] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    return {
        "document": document,
        "editable": document.status in editor.EDITABLE_STATUSES,
        "nodes": [{"section": s, "items": by_section.get(s.pk, [])} for s in sections],
        "sections": sections,
        "loose_items": by_section.get(None, []),
        "undo": editor.pending_undo(request.session, document),
    }


def _parts_context(scope, document) -> dict:
    return {
        "document": document,
        "editable": document.status in editor.EDITABLE_STATUSES,
        "targets": document.targets.order_by("position", "pk"),
        "basis": document.legal_basis.select_related("ref_document").order_by("position", "pk"),
        "recipients": document.recipients.order_by("position", "pk"),
        "signers": document.signers.order_by("position", "pk"),
        "comparators": Target.Comparator.choices,
        "purposes": Recipient.Purpose.choices,
        "authorities": editor.SIGNER_AUTHORITIES,
        "citable": _visible_documents(scope, document)[:200],
    }


@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    """Soạn thảo: the general information, the section tree with its items, and the parts."""
    scope, document = _editable(request, pk)
    if request.method == "POST":
        try:
            editor.update_info(
                document, request.user, **{k: request.POST.get(k, "") for k in editor.INFO_FIELDS}
            )
        except editor.EditError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu thông tin chung."))
        return redirect("documents:document-edit", pk=document.pk)
    context = {**_tree_context(request, document), **_parts_context(scope, document)}
    if not context["editable"]:
        try:
            editor.check_editable(document)
        except editor.EditError as error:
            context["locked_reason"] = str(error)
        context["amend"] = amendment.offer(scope, document)
    return render(request, "documents/editor.html", context)


def _answer(request, scope, document, fragment: str, error: str | None = None, anchor: str = ""):
    """htmx: the changed fragment (an error goes to the message box instead); plain POST: a
    message and a redirect back to the editor."""
    if request.htmx:
        if error:
            response = render(request, "documents/editor_error.html", {"error": error})
            response["HX-Retarget"] = "#editor-messages"
            response["HX-Reswap"] = "innerHTML"
            return response
        if fragment == "tree":
            context = _tree_context(request, document)
            return render(request, "documents/editor_tree.html", context)
        return render(request, "documents/editor_parts.html", _parts_context(scope, document))
    if error:
        messages.error(request, error)
    return redirect(reverse("documents:document-edit", args=[document.pk]) + anchor)


@require_POST
def section_action(request, pk: int):
    """Thêm, đổi tên, chuyển, đổi thứ tự, xoá một mục."""
    scope, document = _editable(request, pk)
    action = request.POST.get("action", "")
    target = request.POST.get("section")
    error = None
    try:
        if action == "add":
            editor.add_section(
                document, request.user, request.POST.get("heading", ""), request.POST.get("parent")
            )
        elif action == "rename":
            editor.rename_section(document, request.user, target, request.POST.get("heading", ""))
        elif action == "move":
            editor.move_section(document, request.user, target, request.POST.get("parent"))
        elif action in ("up", "down"):
            editor.reorder_section(document, request.user, target, action)
        elif action == "delete":
            snapshot = editor.delete_section(document, request.user, target)
            editor.remember_deleted(request.session, snapshot)
            if not request.htmx:
                messages.success(
                    request,
                    _("Đã xoá mục “%(heading)s”. Bấm “Hoàn tác” để khôi phục.")
                    % {"heading": snapshot.heading},
                )
        else:
            error = _("Thao tác không hợp lệ.")
    except editor.EditError as exc:
        error = str(exc)
    return _answer(request, scope, document, "tree", error, "#editor-tree")


@require_POST
def section_undo(request, pk: int):
    """Hoàn tác: bring back the last section deleted from this document in this session."""
    scope, document = _editable(request, pk)
    error = None
    snapshot = editor.pending_undo(request.session, document)
    if snapshot is None:
        error = _("Không còn gì để hoàn tác.")
    else:
        try:
            editor.restore_section(document, request.user, snapshot)
        except editor.EditError as exc:
            error = str(exc)
        else:
            editor.pop_undo(request.session, document)
            if not request.htmx:
                messages.success(
                    request, _("Đã khôi phục mục “%(heading)s”.") % {"heading": snapshot["heading"]}
                )
    return _answer(request, scope, document, "tree", error, "#editor-tree")


@require_POST
def item_action(request, pk: int):
    """Thêm, xoá, đổi thứ tự một nội dung."""
    scope, document = _editable(request, pk)
    action = request.POST.get("action", "")
    error = None
    try:
        if action == "add":
            item = editor.add_item(
                document, request.user, request.POST.get("text", ""), request.POST.get("section")
            )
            if not request.htmx:
                return redirect("documents:item-edit", pk=item.pk)
        elif action == "delete":
            editor.delete_item(document, request.user, request.POST.get("item"))
        elif action in ("up", "down"):
            editor.reorder_item(document, request.user, request.POST.get("item"), action)
        else:
            error = _("Thao tác không hợp lệ.")
    except editor.EditError as exc:
        error = str(exc)
    return _answer(request, scope, document, "tree", error, "#editor-tree")


@require_POST
def part_action(request, pk: int, kind: str):
    """Chỉ tiêu, căn cứ, nơi nhận, người ký: thêm, sửa, xoá, đổi thứ tự."""
    scope, document = _editable(request, pk)
    if kind not in editor.PARTS:
        raise Http404
    error = None
    try:
        editor.edit_part(
            document,
            request.user,
            kind,
            request.POST.get("action", ""),
            request.POST,
            visible_documents=_visible_documents(scope, document),
        )
    except editor.EditError as exc:
        error = str(exc)
    return _answer(request, scope, document, "parts", error, f"#editor-{kind}")


# --- one item ---------------------------------------------------------------------------------------


def _item_for_edit(request, pk: int):
    scope = scope_for(request)
    item = get_object_or_404(scope.items().select_related("document"), pk=pk)
    _scope, document = _editable(request, item.document_id)
    return scope, document, document.items.get(pk=item.pk)


def _cadence_fields(cadence: dict | None) -> dict:
    cadence = cadence or {}
    window = cadence.get("window") or {}
    return {
        "count": cadence.get("count") or "",
        "at_least": bool(cadence.get("at_least")),
        "per": cadence.get("per") or "",
        "per_subject": cadence.get("per_subject") or "",
        "anchors": list(cadence.get("anchors") or []),
        "window_start": (window.get("start") or "")[:7],
        "window_end": (window.get("end") or "")[:7],
        "cadence_text": cadence.get("text") or "",
    }


def _item_context(document, item, *, values=None, cadence=None, error=None, saved=False) -> dict:
    links = list(item.item_parties.order_by("-is_lead", "position"))
    if values is None:
        values = {
            "text": item.text,
            "lead": next((str(link.party_id) for link in links if link.is_lead), ""),
            "cooperating": [str(link.party_id) for link in links if not link.is_lead],
            "target": str(item.target_id or ""),
            "section": str(item.section_id or ""),
            "evidence_required": item.evidence_required,
            **_cadence_fields(item.cadence),
        }
        cadence = item.cadence
    return {
        "document": document,
        "item": item,
        "values": values,
        "editable": document.status in editor.EDITABLE_STATUSES,
        "parties": Party.objects.filter(unit=document.unit_id).order_by("kind", "name"),
        "party_kinds": PARTY_KIND_LABELS,
        "targets": document.targets.order_by("position", "pk"),
        "sections": document.sections.order_by("position", "pk"),
        "periods": [p for p in PERIODS if p != "year"],
        "anchors": ANCHORS,
        "subject_kinds": SUBJECT_KINDS,
        "preview": editor.cadence_preview(document, cadence),
        "error": error,
        "saved": saved,
    }


def _posted_values(post) -> dict:
    return {
        "text": post.get("text", ""),
        "lead": post.get("lead", ""),
        "cooperating": post.getlist("cooperating"),
        "target": post.get("target", ""),
        "section": post.get("section", ""),
        "evidence_required": bool(post.get("evidence_required")),
        "count": post.get("count", ""),
        "at_least": bool(post.get("at_least")),
        "per": post.get("per", ""),
        "per_subject": post.get("per_subject", ""),
        "anchors": post.getlist("anchors"),
        "window_start": post.get("window_start", ""),
        "window_end": post.get("window_end", ""),
        "cadence_text": post.get("cadence_text", ""),
        "new_party_kind": post.get("new_party_kind", ""),
        "new_party_name": post.get("new_party_name", ""),
        "new_party_role": post.get("new_party_role", ""),
    }


@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    """One item: text, lead and cooperating parties, cadence (in words, with its dates), target.

    "Xem trước" (or any change, with htmx) shows the cadence's meaning and dates without saving.
    """
    _scope, document, item = _item_for_edit(request, pk)
    template = "documents/editor_item_form.html" if request.htmx else "documents/editor_item.html"
    if request.method == "GET":
        return render(request, template, _item_context(document, item))
    values = _posted_values(request.POST)
    try:
        cadence = editor.cadence_from_form(request.POST)
    except editor.EditError as exc:
        return render(
            request,
            template,
            _item_context(document, item, values=values, cadence=None, error=str(exc)),
        )
    if "preview" in request.POST:
        return render(
            request, template, _item_context(document, item, values=values, cadence=cadence)
        )
    try:
        item = editor.update_item(
            document,
            request.user,
            item.pk,
            text=values["text"],
            cadence=cadence,
            lead_pk=values["lead"],
            cooperating_pks=values["cooperating"],
            target_pk=values["target"],
            evidence_required=values["evidence_required"],
            section_pk=values["section"],
            new_party_kind=values["new_party_kind"],
            new_party_name=values["new_party_name"],
            new_party_lead=values["new_party_role"] == "lead",
        )
    except editor.EditError as exc:
        return render(
            request,
            template,
            _item_context(document, item, values=values, cadence=cadence, error=str(exc)),
        )
    if request.htmx:
        return render(request, template, _item_context(document, item, saved=True))
    messages.success(request, _("Đã lưu nội dung."))
    return redirect(reverse("documents:document-edit", args=[document.pk]) + f"#item-{item.pk}")


@require_POST
def item_cadence_preview(request, pk: int):
    """htmx: the cadence being typed, in words and dates (nothing is saved)."""
    _scope, document, _item = _item_for_edit(request, pk)
    try:
        cadence = editor.cadence_from_form(request.POST)
    except editor.EditError as exc:
        preview = editor.CadencePreview(words="", error=str(exc))
    else:
        preview = editor.cadence_preview(document, cadence)
    return render(request, "documents/editor_cadence_preview.html", {"preview": preview})


# --- history ------------------------------------------------------------------------------------


@require_GET
def document_history(request, pk: int):
    """Lịch sử: who changed what and when, for those who see the whole document."""
    scope, document = _visible(request, pk)
    if not scope.sees_all_items_of(document):
        raise Http404
    changes = editor.document_history(document)
    return render(
        request, "documents/editor_history.html", {"document": document, "changes": changes}
    )


# --- ways to start a document ---------------------------------------------------------------------


def _cascade_url(document) -> str | None:
    try:
        return reverse("reviews:cascade", args=[document.pk])
    except NoReverseMatch:
        return None


@require_GET
def document_new(request, unit_pk: int):
    """Tạo văn bản: from a built-in template, an import, last year's document or the cascade."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.keeps_register_of(unit.pk):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc văn thư của đơn vị mới tạo được văn bản."))
    documents = list(
        scope.documents()
        .filter(unit=unit)
        .exclude(status=Document.Status.DRAFT)
        .select_related("school_year")
        .order_by("-start_year", "-created_at")[:30]
    )
    cascades = []
    if unit.is_office:
        cascades = [(d, _cascade_url(d)) for d in documents if _cascade_url(d)]
    return render(
        request,
        "documents/editor_new.html",
        {
            "unit": unit,
            "templates": builtin.available(),
            "years": builtin.year_choices(),
            "default_year": builtin.default_year(),
            "documents": documents,
            "cascades": cascades,
        },
    )


@require_POST
def document_new_from_template(request, unit_pk: int):
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.keeps_register_of(unit.pk):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc văn thư của đơn vị mới tạo được văn bản."))
    try:
        document = builtin.create_from_template(
            unit,
            request.POST.get("template", ""),
            request.POST.get("year", ""),
            user=request.user,
        )
    except builtin.TemplateError as error:
        messages.error(request, str(error))
        return redirect("documents:document-new", unit_pk=unit.pk)
    messages.success(request, _("Đã tạo dự thảo từ mẫu. Hãy sửa cho đúng với đơn vị."))
    return redirect("documents:document-edit", pk=document.pk)


@require_POST
def document_rollover(request, pk: int):
    """Từ văn bản năm trước: a new draft for the next school year, then its check."""
    scope, document = _visible(request, pk)
    if not scope.keeps_register_of(document.unit_id):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc văn thư của đơn vị mới tạo được văn bản."))
    new = rollover.rollover_document(document, request.user)
    messages.success(
        request,
        _("Đã tạo dự thảo năm học mới từ văn bản năm trước. Hãy xem các vấn đề cần sửa dưới đây."),
    )
    return redirect("documents:document-lint", pk=new.pk)


@require_POST
def document_amend(request, pk: int):
    """Sửa đổi, bổ sung: open the new version of an issued document (or its draft already open).

    An action of the unit's staff: anyone else (a partner contact who reads the plan, a recipient)
    gets a 404; of the staff, only the unit's own leaders and clerks open it (else 403).
    """
    scope, document = _visible(request, pk)
    if not scope.is_staff_of(document.unit):
        raise Http404
    if not amendment.can_amend(scope, document):
        raise PermissionDenied(
            _("Chỉ lãnh đạo hoặc văn thư của đơn vị mới sửa đổi, bổ sung được văn bản.")
        )
    try:
        draft, created = amendment.amend_document(document, request.user)
    except amendment.AmendmentError as error:
        messages.error(request, str(error))
        return redirect("documents:document-detail", pk=document.pk)
    if created:
        messages.success(
            request,
            _(
                "Đã tạo dự thảo sửa đổi, bổ sung từ văn bản này. Sửa nội dung cần thay đổi rồi "
                "trình duyệt; khi bản mới được ban hành, văn bản cũ chuyển sang “Đã thay thế”."
            ),
        )
    else:
        messages.info(
            request,
            _("Văn bản này đã có một dự thảo sửa đổi, bổ sung đang soạn: đây là dự thảo đó."),
        )
    if draft.status not in editor.EDITABLE_STATUSES:
        return redirect("documents:document-detail", pk=draft.pk)
    return redirect("documents:document-edit", pk=draft.pk)


# --- compare ----------------------------------------------------------------------------------------


def _comparison(request, pk: int):
    scope, document = _visible(request, pk)
    if not scope.sees_all_items_of(document):
        raise Http404
    other_pk = id_param(request.GET, "other")
    if other_pk is not None:
        other = get_object_or_404(scope.documents().select_related("unit"), pk=other_pk)
        if not scope.sees_all_items_of(other):
            raise Http404
    else:
        other = document.amends or document.previous
        if other is None or not scope.documents().filter(pk=other.pk).exists():
            other = None
    result = None
    if other is not None:
        result = compare.compare_plans(document_to_plan(other), document_to_plan(document))
    return scope, document, other, result


@require_GET
def document_compare(request, pk: int):
    """So sánh: this document against ``?other=<pk>`` or its previous year's, item by item."""
    scope, document, other, result = _comparison(request, pk)
    choices = _visible_documents(scope, document).filter(unit=document.unit)[:50]
    return render(
        request,
        "documents/editor_compare.html",
        {"document": document, "other": other, "result": result, "choices": choices},
    )


@require_GET
def document_compare_docx(request, pk: int):
    _scope, document, other, result = _comparison(request, pk)
    if result is None:
        raise Http404
    data = compare.comparison_docx(result, old_title=other.title, new_title=document.title)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"so-sanh-{other.pk}-{document.pk}.docx",
        content_type=DOCX_TYPE,
    )
