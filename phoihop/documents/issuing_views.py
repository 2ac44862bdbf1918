"""Pages of the issuing workflow: the steps, the DOCX/PDF downloads, the check and the receipts.

Every view starts from ``scope.documents()``: a document the user cannot see is a 404, whatever the
user's role elsewhere. The work is done by ``issuing`` (steps), ``plan_dict`` and the core
(rendering, lint).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.core.lint import lint
from phoihop.core.render import RenderError
from phoihop.core.render.docx import render_docx
from phoihop.core.render.layout import DOC_TYPE_ABBREVIATIONS
from phoihop.core.render.pdf import render_pdf
from phoihop.documents import amendment, issuing
from phoihop.documents.models import Acknowledgement
from phoihop.documents.plan_dict import document_to_plan, issuer_superior, with_number_line
from phoihop.units.scoping import scope_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _visible_document(request, pk: int):
    scope = scope_for(request)
    document = get_object_or_404(
        scope.documents().select_related("unit", "unit__parent", "school_year"), pk=pk
    )
    return scope, document


def _visible_plan(scope, document) -> dict:
    """The plan as this user may see it: a partner contact gets the frame and its own items only,
    the same as on the document page (no legal basis, targets or recipients)."""
    if scope.sees_all_items_of(document):
        return with_number_line(document, document_to_plan(document))
    plan = with_number_line(document, document_to_plan(document, items=scope.items()))
    used = {c["section"] for c in plan["commitments"] if c["section"]}
    plan["sections"] = [s for s in plan["sections"] if s["path"] in used]
    plan.update(legal_basis=[], targets=[], recipients=[])
    return plan


def _filename(document, extension: str) -> str:
    """ "05-KH-THCSHS.docx" once issued; "du-thao-KH-12.docx" (the document's id) before."""
    abbreviation = DOC_TYPE_ABBREVIATIONS.get(document.doc_type, "VB")
    if document.number is not None:
        stem = document.number_line.replace("/", "-")
    else:
        stem = f"du-thao-{abbreviation}-{document.pk}"
    return f"{stem}.{extension}"


@require_POST
def document_transition(request, pk: int, action: str):
    """Take one workflow step; a refused role is a 403, a stale button a message. A step that
    cannot be undone is taken only from its confirmation page."""
    scope, document = _visible_document(request, pk)
    if action in issuing.CONFIRMED_STEPS and request.POST.get("confirm") != "1":
        if not issuing.TRANSITIONS[action].predicate.test(scope, document):
            raise issuing.TransitionRefused
        return redirect("documents:document-confirm-step", pk=document.pk, action=action)
    try:
        document = issuing.transition(document, action, scope=scope)
    except issuing.WorkflowError as error:
        messages.error(request, str(error))
    else:
        step = issuing.TRANSITIONS[action]
        if action == "issue":
            messages.success(
                request,
                _("Đã ban hành văn bản số %(number)s.") % {"number": document.number_line},
            )
            handover = getattr(document, "handover", None)
            if handover is not None:
                for level, text in amendment.handover_messages(handover, document):
                    getattr(messages, level)(request, text)
        else:
            messages.success(request, str(step.reason))
    return redirect("documents:document-detail", pk=document.pk)


@require_GET
def document_confirm_step(request, pk: int, action: str):
    """Before issuing (or superseding): what will happen, the number the register will give, and
    the check's blocking findings, which keep the button away until they are fixed."""
    scope, document = _visible_document(request, pk)
    step = issuing.TRANSITIONS.get(action)
    if step is None or action not in issuing.CONFIRMED_STEPS:
        raise Http404
    if step not in issuing.allowed_transitions(document, scope):
        raise PermissionDenied
    context = {"document": document, "step": step}
    if action == "supersede":
        context["amend"] = amendment.offer(scope, document)
    if action == "issue":
        context.update(
            blockers=issuing.issue_blockers(document),
            number_line=issuing.upcoming_number_line(document),
            today=issuing.local_today(),
        )
    return render(request, "documents/issuing_confirm.html", context)


@require_GET
def document_docx(request, pk: int):
    scope, document = _visible_document(request, pk)
    data = render_docx(
        _visible_plan(scope, document),
        issuer_superior=issuer_superior(document.unit) or None,
        draft=document.is_draft,
    )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=_filename(document, "docx"),
        content_type=DOCX_TYPE,
    )


@require_GET
def document_pdf(request, pk: int):
    """The PDF, or a page saying what the server lacks (503: the server, not the user, must act)."""
    scope, document = _visible_document(request, pk)
    try:
        data = render_pdf(
            _visible_plan(scope, document),
            issuer_superior=issuer_superior(document.unit) or None,
            draft=document.is_draft,
        )
    except RenderError as error:
        return render(
            request,
            "documents/issuing_render_error.html",
            {"document": document, "reason": str(error)},
            status=503,
        )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=_filename(document, "pdf"),
        content_type="application/pdf",
    )


@require_GET
def document_lint(request, pk: int):
    """Kiểm tra văn bản: the findings of the core lint on the stored document.

    Only for those who see the whole document: a check of a partner's slice would be misleading.
    """
    scope, document = _visible_document(request, pk)
    if not scope.sees_all_items_of(document):
        return render(request, "404.html", status=404)
    school_year = document.school_year.label if document.school_year else None
    findings = lint(document_to_plan(document), school_year=school_year)
    return render(
        request, "documents/issuing_lint.html", {"document": document, "findings": findings}
    )


@require_POST
def document_acknowledge(request, pk: int):
    """ "Đã nhận": the recipient confirms receipt; pressing it twice keeps the first time."""
    _scope, document = _visible_document(request, pk)
    acknowledgement = get_object_or_404(Acknowledgement, document=document, user=request.user)
    if acknowledgement.acknowledged_at is None:
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save(update_fields=["acknowledged_at"])
        messages.success(request, _("Đã xác nhận bạn đã nhận văn bản."))
    return redirect("documents:document-detail", pk=document.pk)


@require_GET
def acknowledgement_list(request):
    """Văn bản đến: the issued documents sent to this user, those not yet confirmed first."""
    scope = scope_for(request)
    acknowledgements = (
        Acknowledgement.objects.filter(user=request.user, document__in=scope.documents())
        .select_related("document", "document__unit")
        .order_by("-notified_at", "-pk")
    )
    pending = [a for a in acknowledgements if a.acknowledged_at is None]
    done = [a for a in acknowledgements if a.acknowledged_at is not None]
    return render(request, "documents/issuing_received.html", {"pending": pending, "done": done})
