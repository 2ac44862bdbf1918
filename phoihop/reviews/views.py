"""Pages of the reviews app: an office's roll-up and cascade, a plan's sơ kết / tổng kết.

Thin views: the scope decides what the user may see; office pages are for the leaders and clerks
of the office (``scope.can_manage``), review pages for those of the plan's unit. Anyone else gets
404, as if the page did not exist.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.core.render.docx import render_docx
from phoihop.documents.plan_dict import document_to_plan, issuer_superior, with_number_line
from phoihop.params import id_list, id_param
from phoihop.reviews import cascade, drafting
from phoihop.reviews import rollup as rollups
from phoihop.reviews.models import Review
from phoihop.schedule.models import SchoolYear
from phoihop.units.models import Unit
from phoihop.units.scoping import scope_for

ROLLUP_PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _managed_office(request, pk: int) -> Unit:
    scope = scope_for(request)
    office = get_object_or_404(scope.units(), pk=pk)
    if not (office.is_office and scope.can_manage(office)):
        raise Http404
    return office


def _rollup_from_request(request, office: Unit) -> rollups.Rollup:
    today = timezone.localdate()
    year = None
    year_pk = id_param(request.GET, "year")
    if year_pk is not None:
        # Only the national frames are offered; another unit's own frame is not ours to read.
        year = SchoolYear.objects.filter(pk=year_pk, unit__isnull=True).first()
    if year is None:
        year = rollups.default_year(office, today)
    level = request.GET.get("level", "")
    return rollups.rollup(
        office,
        today,
        year=year,
        level=level if level in rollups.SCHOOL_LEVELS else "",
        name=request.GET.get("q", "")[:100],
        sort=request.GET.get("sort", "name"),
    )


@require_GET
def rollup_page(request, office_pk: int):
    office = _managed_office(request, office_pk)
    data = _rollup_from_request(request, office)
    # Sorted and totalled over every school, shown a page at a time; the .xlsx has them all.
    page = Paginator(data.rows, ROLLUP_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("page", None)
    paging = request.GET.copy()
    paging.pop("page", None)
    context = {
        "office": office,
        "data": data,
        "page": page,
        "paging": paging.urlencode(),
        "columns": rollups.columns(),
        "levels": [(v, label) for v, label in Unit.Level.choices if v in rollups.SCHOOL_LEVELS],
        "years": SchoolYear.objects.filter(unit__isnull=True).order_by("-starts_on")[:10],
        "filters": query.urlencode(),
        "level": request.GET.get("level", ""),
        "q": request.GET.get("q", ""),
    }
    return render(request, "reviews/rollup.html", context)


@require_GET
def rollup_export(request, office_pk: int):
    office = _managed_office(request, office_pk)
    data = _rollup_from_request(request, office)
    response = HttpResponse(rollups.to_xlsx(data), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="tong-hop-{office.pk}-{data.today:%Y%m%d}.xlsx"'
    )
    return response


# -- reviews (sơ kết, tổng kết) ------------------------------------------------------------------


def _managed_document(request, pk: int):
    """A document of a unit the user manages (leaders and clerks of it or of an office above)."""
    scope = scope_for(request)
    document = get_object_or_404(scope.documents().select_related("unit"), pk=pk)
    if not (scope.sees_all_items_of(document) and scope.can_manage(document.unit)):
        raise Http404
    return document


def _managed_review(request, pk: int) -> Review:
    review = get_object_or_404(Review.objects.select_related("document"), pk=pk)
    _managed_document(request, review.document_id)
    return review


def plan_reviews(request, document_pk: int):
    """A plan's reviews: draft the sơ kết or the tổng kết (POST ``kind``), or open one."""
    document = _managed_document(request, document_pk)
    if request.method == "POST":
        try:
            review = drafting.draft_review(document, request.POST.get("kind", ""), request.user)
        except drafting.DraftingError as error:
            messages.error(request, str(error))
            return redirect("reviews:plan-reviews", document_pk=document.pk)
        messages.success(
            request,
            _("Đã lập dự thảo %(kind)s từ số liệu ghi nhận; hãy bổ sung phần nhận xét.")
            % {"kind": review.get_kind_display().lower()},
        )
        return redirect("reviews:review-edit", pk=review.pk)
    context = {
        "document": document,
        "reviews": document.reviews.order_by("period_end"),
        "kinds": Review.Kind.choices,
    }
    return render(request, "reviews/plan_reviews.html", context)


def review_edit(request, pk: int):
    """The figures drafted from the records, and the free texts people write."""
    review = _managed_review(request, pk)
    if request.method == "POST":
        for name in ("achievements", "shortcomings", "proposals"):
            setattr(review, name, request.POST.get(name, "")[:20000].strip())
        review.save(update_fields=["achievements", "shortcomings", "proposals"])
        messages.success(request, _("Đã lưu phần nhận xét."))
        return redirect("reviews:review-edit", pk=review.pk)
    body = drafting.body_in_active_language(review.body)
    return render(request, "reviews/review_edit.html", {"review": review, "body": body})


@require_POST
def review_report(request, pk: int):
    """Write the review up as a BC document (a draft that the usual workflow numbers and issues)."""
    review = _managed_review(request, pk)
    try:
        report = drafting.write_report(review, request.user)
    except drafting.DraftingError as error:
        messages.error(request, str(error))
        return redirect("reviews:review-edit", pk=review.pk)
    messages.success(
        request,
        _("Đã lập văn bản báo cáo. Trình duyệt và ban hành để cấp số trên trang văn bản."),
    )
    return redirect("documents:document-detail", pk=report.pk)


@require_GET
def review_docx(request, pk: int):
    """The BC in the Decree 30 layout, through the same renderer as every document."""
    review = _managed_review(request, pk)
    if review.report_document is None:
        raise Http404
    report = review.report_document
    data = render_docx(
        with_number_line(report, document_to_plan(report)),
        issuer_superior=issuer_superior(report.unit) or None,
        draft=report.is_draft,
    )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"bao-cao-{review.kind}-{review.document_id}.docx",
        content_type=DOCX_TYPE,
    )


@require_POST
def review_carry_over(request, pk: int):
    """Start next year's plan from this one, with the proposals attached."""
    review = _managed_review(request, pk)
    document = drafting.carry_into_next_year(review, request.user)
    messages.success(
        request,
        _("Đã tạo dự thảo kế hoạch năm sau “%(title)s”; hãy rà soát trước khi trình duyệt.")
        % {"title": document.title},
    )
    return redirect("documents:document-detail", pk=document.pk)


# -- cascade -------------------------------------------------------------------------------------


def cascade_page(request, document_pk: int):
    """Send an office's document down (POST: a level, or picked units) and follow who has theirs."""
    document = _managed_document(request, document_pk)
    office = document.unit
    if not office.is_office:
        raise Http404
    if request.method == "POST":
        picked = id_list(request.POST, "units")
        level = request.POST.get("level", "")
        units = cascade.target_units(office, level=level, unit_ids=picked)
        if not units:
            messages.error(request, _("Hãy chọn một cấp học hoặc ít nhất một đơn vị để gửi."))
        else:
            result = cascade.cascade_document(document, units, request.user)
            messages.success(
                request,
                _("Đã gửi cho %(created)s đơn vị; %(existing)s đơn vị đã có dự thảo từ trước.")
                % {"created": len(result.created), "existing": len(result.existing)},
            )
        return redirect("reviews:cascade", document_pk=document.pk)
    level = request.GET.get("level", "")
    rows = cascade.cascade_status(document, level=level if level in rollups.SCHOOL_LEVELS else "")
    context = {
        "document": document,
        "office": office,
        "rows": rows,
        "levels": [(v, label) for v, label in Unit.Level.choices if v in rollups.SCHOOL_LEVELS],
        "counts": {
            state: sum(1 for r in rows if r.state == state) for state in ("issued", "draft", "none")
        },
    }
    return render(request, "reviews/cascade.html", context)
