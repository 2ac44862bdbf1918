"""“Nhập cán bộ từ Excel”: upload, the row-by-row report, save all or nothing, then the sheet of
invitations to print and hand out."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phoihop.core.collation import natural_key
from phoihop.people import invitations
from phoihop.people.services import PeopleError
from phoihop.people.staff_import import (
    StaffReport,
    check,
    import_staff,
    staff_fields,
    write_template,
)
from phoihop.people.views import SESSION_KEY, base_url, invite, managed_unit, qr_svg
from phoihop.tracking.students_import import StudentImportError, read_sheet, uploaded_workbook
from phoihop.units.models import Membership
from phoihop.units.scoping import scope_for

REPORT_KEY = "people_staff_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
def staff_import(request, unit_pk: int):
    unit = managed_unit(request, unit_pk)
    error = None
    if request.method == "POST":
        try:
            data = uploaded_workbook(request.FILES.get("file"))
            report = check(scope_for(request), unit, read_sheet(data, staff_fields()))
        except (StudentImportError, PeopleError) as exc:
            error = str(exc)
        else:
            request.session[REPORT_KEY] = {"unit": unit.pk, "rows": report.as_data()}
            return redirect("people:staff-import-report", unit_pk=unit.pk)
    return render(
        request,
        "people/staff_import.html",
        {"unit": unit, "error": error},
        status=400 if error else 200,
    )


def staff_import_template(request, unit_pk: int):
    managed_unit(request, unit_pk)
    response = HttpResponse(write_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-can-bo-mau.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def staff_import_report(request, unit_pk: int):
    unit = managed_unit(request, unit_pk)
    entry = request.session.get(REPORT_KEY)
    if not entry or entry.get("unit") != unit.pk:
        messages.info(request, _("Hãy tải tệp danh sách lên trước."))
        return redirect("people:staff-import", unit_pk=unit.pk)
    report = StaffReport.from_data(entry["rows"])
    if request.method == "POST":
        try:
            users = import_staff(scope_for(request), unit, report)
        except PeopleError as exc:
            messages.error(request, str(exc))
        else:
            del request.session[REPORT_KEY]
            for user in users:
                invite(request, user, unit)
            messages.success(
                request,
                _("Đã thêm %(n)s người; mỗi người có một lời mời bên dưới.") % {"n": len(users)},
            )
            return redirect("people:invitation-sheet", unit_pk=unit.pk)
    return render(request, "people/staff_report.html", {"unit": unit, "report": report})


def invitation_sheet(request, unit_pk: int):
    """Every invitation this leader made for the unit's people and that is still open: one card
    per person, to print and cut."""
    unit = managed_unit(request, unit_pk)
    base = base_url(request)
    members = set(Membership.objects.current().filter(unit=unit).values_list("user_id", flat=True))
    kept = request.session.get(SESSION_KEY, {})
    found = invitations.find_invitations(kept.values())
    cards = []
    for user_pk, token in kept.items():
        invitation = found.get(token)
        if invitation is None or int(user_pk) not in members or invitation.user_id != int(user_pk):
            continue
        url = invitations.invitation_url(token, base)
        cards.append(
            {"person": invitation.user, "url": url, "qr": qr_svg(url), "invitation": invitation}
        )
    cards.sort(
        key=lambda c: (natural_key(c["person"].last_name), natural_key(c["person"].first_name))
    )
    return render(request, "people/invitation_sheet.html", {"unit": unit, "cards": cards})
