"""“Nhập kế hoạch từ tệp”: upload a file, check and edit what was recognised, save it.

Three steps, each open only to the managers (leaders, clerks) of the unit: the upload form; the
preview, where every recognised field can be corrected; the save, which is one call to
``create_document_from_plan``. Uploads are hostile until proven otherwise: the size is refused
before the body is read, the bytes go to the plain-Python importer, and any ``ImportFailure`` is
shown to the user with nothing saved.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from phoihop.core.importing import ImportFailure, import_bytes
from phoihop.core.importing.safety import check_size
from phoihop.documents import import_forms as forms
from phoihop.documents.models import Document, Recipient, Target
from phoihop.documents.services import PlanError, create_document_from_plan
from phoihop.units.scoping import scope_for

# Multipart framing and the form's other fields, on top of the file itself.
_ENVELOPE_BYTES = 64 * 1024


class _CappedUploadHandler(FileUploadHandler):
    """Stops receiving an upload as soon as it passes the limit, so an oversized body that did not
    announce its length is never held in memory or on disk in full."""

    def __init__(self, request, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _managed_unit(request, unit_pk: int):
    """The unit, if the user keeps its register (its own leaders and clerks, not an office's):
    404 when they cannot see it, 403 when they only see it."""
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not scope.keeps_register_of(unit.pk):
        raise PermissionDenied
    return scope, unit


def _upload_page(request, unit, error: str | None = None, status: int = 200):
    context = {
        "unit": unit,
        "error": error,
        "accept": ",".join(forms.ALLOWED_EXTENSIONS),
        "max_mb": round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1),
    }
    return render(request, "documents/import_upload.html", context, status=status)


def _read_upload(request, max_bytes: int, capped: _CappedUploadHandler) -> tuple[bytes, str]:
    """The uploaded file's bytes and name, or ImportFailure with the reason in words."""
    upload = request.FILES.get("file")
    if capped.exceeded:
        check_size(capped.received, max_bytes)
    if upload is None:
        raise ImportFailure(_("Hãy chọn một tệp để nhập."))
    name = upload.name or ""
    if not name.lower().endswith(forms.ALLOWED_EXTENSIONS):
        raise ImportFailure(
            _(
                "Tệp %(name)s không được hỗ trợ. Hãy nhập tệp .docx, .doc, .pdf, .txt, .md, .html "
                "hoặc ảnh chụp trang văn bản (.jpg, .png)."
            )
            % {"name": name}
        )
    check_size(upload.size or 0, max_bytes)
    data = upload.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    return data, name


@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_upload(request, unit_pk: int):
    """Step 1: the upload form; a good file goes on to the preview.

    CSRF is checked by ``_import_upload`` after the capped upload handler is in place (Django's
    documented way: the middleware would otherwise read the body first).
    """
    _scope, unit = _managed_unit(request, unit_pk)
    max_bytes = settings.UPLOAD_MAX_BYTES
    capped = None
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes + _ENVELOPE_BYTES:
            # Refused from the announced length alone: the body is never read.
            try:
                check_size(length, max_bytes)
            except ImportFailure as exc:
                return _upload_page(request, unit, str(exc), status=400)
        capped = _CappedUploadHandler(request, max_bytes)
        request.upload_handlers.insert(0, capped)
    return _import_upload(request, unit, capped)


@csrf_protect
def _import_upload(request, unit, capped):
    if request.method != "POST":
        return _upload_page(request, unit)
    max_bytes = settings.UPLOAD_MAX_BYTES
    try:
        data, name = _read_upload(request, max_bytes, capped)
        plan = import_bytes(data, name, max_bytes=max_bytes)
        token = forms.store_pending(
            request.session, unit_id=unit.pk, user_id=request.user.pk, plan=plan, filename=name
        )
    except (ImportFailure, forms.PlanTooLarge) as exc:
        return _upload_page(request, unit, str(exc), status=400)
    return redirect("documents:import-preview", unit_pk=unit.pk, token=token)


def _preview_page(request, unit, scope, token, entry, *, errors=None, error=None, status=200):
    plan = entry["plan"]
    unit_parties = {}
    all_parties = list(scope.parties().filter(unit=unit).order_by("pk"))
    for party in all_parties:
        unit_parties.setdefault(party.kind, party)
    missing = forms.missing_party_codes(plan, unit_parties)
    missing_names = forms.missing_party_names(plan, [p.name for p in all_parties])
    tree, loose = forms.preview_tree(plan)
    context = {
        "unit": unit,
        "token": token,
        "revision": entry.get("revision", 1),
        "filename": entry.get("filename", ""),
        "plan": plan,
        "tree": tree,
        "loose_items": loose,
        "mode": forms.editor_mode(plan) or "compact",
        "errors": errors or {},
        "error_items": forms.error_positions(errors or {}, "commitments"),
        "error": error,
        "missing": [(code, forms.party_names([code])) for code in missing]
        + [("", name) for name in missing_names],
        "create_parties": (
            request.POST.get("create_parties") == "1" if request.method == "POST" else True
        ),
        "party_choices": forms.party_choices(unit_parties),
        "new_sections": range(forms.NEW_ROWS["sections"]),
        "new_items": range(forms.NEW_ROWS["commitments"]),
        "section_choices": [
            (s["path"], f"{s['path']} {s.get('heading') or ''}".strip())
            for s in plan.get("sections") or []
            if s.get("path")
        ],
        "item_max_chars": forms.ITEM_MAX_CHARS,
        "party_names": {code: party.name for code, party in unit_parties.items()},
        "doc_types": Document.Type.choices,
        "periods": forms.period_choices(),
        "subjects": forms.subject_choices(),
        "missing_codes": set(missing),
        "doubtful": forms.doubtful_parts(plan),
        "comparators": Target.Comparator.choices,
        "purposes": Recipient.Purpose.choices,
        "authorities": forms.SIGNER_AUTHORITIES[1:],
    }
    return render(request, "documents/import_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_preview(request, unit_pk: int, token: str):
    """Steps 2 and 3: the editable preview (GET) and the save (POST)."""
    scope, unit = _managed_unit(request, unit_pk)
    entry = forms.load_pending(request.session, token, unit_id=unit.pk, user_id=request.user.pk)
    if entry is None:
        if request.method == "POST":
            messages.warning(
                request,
                _(
                    "Bản xem trước này không còn (đã lưu, đã hết hạn hoặc không phải của bạn). "
                    "Hãy tải tệp lên lại."
                ),
            )
            return redirect("documents:import-upload", unit_pk=unit.pk)
        raise Http404
    if request.method == "GET":
        return _preview_page(request, unit, scope, token, entry)

    if str(request.POST.get("revision")) != str(entry.get("revision", 1)):
        return _preview_page(
            request,
            unit,
            scope,
            token,
            entry,
            error=_("Bản xem trước đã được sửa ở một cửa sổ khác. Hãy kiểm tra lại rồi lưu."),
            status=409,
        )
    plan, errors = forms.apply_edits(entry["plan"], request.POST)
    entry["revision"] = forms.replace_pending(request.session, token, plan)
    entry["plan"] = plan
    if errors:
        return _preview_page(
            request,
            unit,
            scope,
            token,
            entry,
            errors=errors,
            error=_("Một số trường chưa hợp lệ; hãy sửa các ô được đánh dấu rồi lưu lại."),
            status=400,
        )
    create = request.POST.get("create_parties") == "1"
    dropped, dropped_names = [], []
    if not create:
        have = list(scope.parties().filter(unit=unit).values_list("kind", "name"))
        dropped = forms.missing_party_codes(plan, dict.fromkeys(kind for kind, _name in have))
        dropped_names = forms.missing_party_names(plan, [name for _kind, name in have])
        plan = forms.without_parties(plan, set(dropped), set(dropped_names))
    try:
        document = create_document_from_plan(
            unit, plan, user=request.user, create_missing_parties=create
        )
    except PlanError as exc:
        return _preview_page(request, unit, scope, token, entry, error=str(exc), status=400)
    forms.drop_pending(request.session, token)
    messages.success(
        request,
        _("Đã lưu văn bản “%(title)s”: %(sections)s mục, %(items)s nội dung phối hợp.")
        % {
            "title": document.title,
            "sections": len(plan.get("sections") or []),
            "items": len(plan.get("commitments") or []),
        },
    )
    if dropped or dropped_names:
        messages.warning(
            request,
            _(
                "Không tạo các tổ chức: %(names)s. Các nội dung nêu tên chúng được lưu không kèm "
                "các tổ chức này."
            )  # fmt: skip
            % {"names": ", ".join(n for n in (forms.party_names(dropped), *dropped_names) if n)},
        )
    return redirect("documents:document-detail", pk=document.pk)


@require_http_methods(["POST"])
def import_cancel(request, unit_pk: int, token: str):
    """Throw a pending import away (it would otherwise expire on its own)."""
    _scope, unit = _managed_unit(request, unit_pk)
    if forms.load_pending(request.session, token, unit_id=unit.pk, user_id=request.user.pk):
        forms.drop_pending(request.session, token)
    messages.info(request, _("Đã hủy bản nhập."))
    return redirect("units:unit-detail", pk=unit.pk)
