"""The people page of a unit: its leaders and clerk add people, give and end roles, invite, let
people go and hand a homeroom class over. Offices reach their schools' pages the same way."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.people import invitations
from phoihop.people.forms import HandoverForm, PersonEditForm, PersonForm, RoleForm
from phoihop.people.services import (
    PeopleError,
    add_person,
    deactivate_person,
    end_membership,
    give_role,
    hand_over_class,
    people_of,
    rank_in,
    update_person,
)
from phoihop.tracking.models import SchoolClass
from phoihop.units.models import Membership, Unit
from phoihop.units.scoping import scope_for

# Invitation secrets are shown once: the issuing leader's session keeps them (user id → secret)
# until a newer invitation replaces them, so the page can be reloaded and printed.
SESSION_KEY = "people_invitations"


def managed_unit(request, unit_pk: int) -> Unit:
    scope = scope_for(request)
    unit = get_object_or_404(scope.units(), pk=unit_pk)
    if not rank_in(scope, unit):
        raise PermissionDenied
    return unit


def _person(unit: Unit, user_pk: int):
    people = get_user_model().objects.filter(memberships__unit=unit).distinct()
    return get_object_or_404(people, pk=user_pk)


def base_url(request) -> str:
    return settings.PHOIHOP_BASE_URL or request.build_absolute_uri("/")


def invite(request, user, unit) -> None:
    """Issue an invitation, keep its secret for the page, mail it when the person has an address."""
    _invitation, token = invitations.issue_invitation(user, by=request.user)
    kept = request.session.get(SESSION_KEY, {})
    kept[str(user.pk)] = token
    request.session[SESSION_KEY] = kept
    url = invitations.invitation_url(token, base_url(request))
    try:
        mailed = invitations.mail_invitation(user, url, unit, by=request.user)
    except OSError:
        messages.warning(
            request,
            _(
                "Chưa gửi được thư mời đến %(email)s: hãy gửi đường dẫn bên dưới bằng Zalo hoặc tin nhắn."
            )
            % {"email": user.email},
        )
    else:
        if mailed:
            messages.success(request, _("Đã gửi thư mời đến %(email)s.") % {"email": user.email})


def people_list(request, unit_pk: int):
    unit = managed_unit(request, unit_pk)
    teachers = {
        m.school_class_id: m.user
        for m in Membership.objects.current()
        .filter(unit=unit, role=Membership.Role.HOMEROOM)
        .select_related("user")
    }
    classes = SchoolClass.objects.filter(unit=unit).select_related("school_year")
    context = {
        "unit": unit,
        "units_below": _units_below(unit) if unit.is_office else [],
        "people": people_of(unit),
        "former": people_of(unit, current=False),
        "classes": [(c, teachers.get(c.pk)) for c in classes.order_by("grade", "name")],
    }
    return render(request, "people/people_list.html", context)


def _units_below(office: Unit) -> list[tuple[Unit, list]]:
    """The units directly under an office with their current leaders: an office adds them."""
    leaders: dict[int, list] = {}
    for m in (
        Membership.objects.current()
        .filter(unit__parent=office, role=Membership.Role.LEADER)
        .select_related("user")
        .order_by("user__last_name")
    ):
        leaders.setdefault(m.unit_id, []).append(m.user)
    return [(u, leaders.get(u.pk, [])) for u in office.children.order_by("name")]


def person_add(request, unit_pk: int):
    unit = managed_unit(request, unit_pk)
    scope = scope_for(request)
    initial = {"role": request.GET.get("role", "")}
    form = PersonForm(request.POST or None, scope=scope, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = add_person(
                    scope,
                    unit,
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    choice=form.role_choice(),
                )
        except PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            invite(request, user, unit)
            messages.success(
                request,
                _("Đã thêm %(name)s (tên đăng nhập %(username)s).")
                % {"name": user.get_full_name(), "username": user.username},
            )
            return redirect("people:invitation", unit_pk=unit.pk, user_pk=user.pk)
    return render(request, "people/person_add.html", {"unit": unit, "form": form})


def person_detail(request, unit_pk: int, user_pk: int):
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    scope = scope_for(request)
    memberships = (
        Membership.objects.filter(user=person, unit=unit)
        .select_related("party", "school_class")
        .order_by("ended_at", "role")
    )
    context = {
        "unit": unit,
        "person": person,
        "memberships": memberships,
        "edit_form": PersonEditForm(
            initial={"full_name": person.get_full_name(), "email": person.email}
        ),
        "role_form": RoleForm(scope=scope, unit=unit),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "people/person_detail.html", context)


def _refuse(request, exc: PeopleError, unit, person):
    messages.error(request, str(exc))
    return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)


@require_POST
def person_edit(request, unit_pk: int, user_pk: int):
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    form = PersonEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)
    try:
        update_person(scope_for(request), person, unit, **form.cleaned_data)
    except PeopleError as exc:
        return _refuse(request, exc, unit, person)
    messages.success(request, _("Đã lưu."))
    return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)


@require_POST
def role_add(request, unit_pk: int, user_pk: int):
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    scope = scope_for(request)
    form = RoleForm(request.POST, scope=scope, unit=unit)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)
    try:
        with transaction.atomic():
            give_role(scope, person, unit, form.role_choice())
    except PeopleError as exc:
        return _refuse(request, exc, unit, person)
    messages.success(request, _("Đã giao thêm vai trò."))
    return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)


@require_POST
def role_end(request, unit_pk: int, user_pk: int, membership_pk: int):
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    membership = get_object_or_404(
        Membership.objects.current().select_related("unit"),
        pk=membership_pk,
        unit=unit,
        user=person,
    )
    try:
        deactivated = end_membership(scope_for(request), membership)
    except PeopleError as exc:
        return _refuse(request, exc, unit, person)
    if deactivated:
        messages.success(
            request, _("Đã bỏ vai trò; tài khoản không còn vai trò nào nên đã bị khoá.")
        )
    else:
        messages.success(request, _("Đã bỏ vai trò."))
    return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)


@require_POST
def person_deactivate(request, unit_pk: int, user_pk: int):
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    try:
        closed = deactivate_person(scope_for(request), person, unit)
    except PeopleError as exc:
        return _refuse(request, exc, unit, person)
    if closed:
        messages.success(
            request,
            _("%(name)s đã nghỉ: tài khoản bị khoá, hồ sơ và lịch sử vẫn giữ tên người này.")
            % {"name": person.get_full_name() or person.username},
        )
    else:
        messages.success(
            request,
            _("%(name)s không còn vai trò ở đây; tài khoản vẫn dùng cho các đơn vị khác.")
            % {"name": person.get_full_name() or person.username},
        )
    return redirect("people:people-list", unit_pk=unit.pk)


@require_POST
def invitation_new(request, unit_pk: int, user_pk: int):
    """A new invitation for someone who never came in or lost access (it replaces the old one)."""
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    if not person.is_active:
        messages.error(request, _("Tài khoản đã bị khoá: hãy giao lại một vai trò trước."))
        return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)
    if not Membership.objects.current().filter(user=person, unit=unit).exists():
        raise PermissionDenied
    invite(request, person, unit)
    return redirect("people:invitation", unit_pk=unit.pk, user_pk=person.pk)


@require_POST
def invitation_revoke(request, unit_pk: int, user_pk: int):
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    invitations.revoke_invitations(person)
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(str(person.pk), None)
    request.session[SESSION_KEY] = kept
    messages.success(request, _("Đã thu hồi lời mời."))
    return redirect("people:person-detail", unit_pk=unit.pk, user_pk=person.pk)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (drawn here: no image service, works offline)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, border=2))


def invitation_page(request, unit_pk: int, user_pk: int):
    """The invitation to print or send by Zalo/SMS: its link and QR code, while it is open."""
    unit = managed_unit(request, unit_pk)
    person = _person(unit, user_pk)
    token = request.session.get(SESSION_KEY, {}).get(str(person.pk))
    invitation = invitations.find_invitation(token) if token else None
    context = {"unit": unit, "person": person, "invitation": invitation}
    if invitation is not None and invitation.user_id == person.pk:
        url = invitations.invitation_url(token, base_url(request))
        context.update(url=url, qr=qr_svg(url))
    else:
        context["invitation"] = None
    return render(request, "people/invitation.html", context)


def class_handover(request, unit_pk: int, class_pk: int):
    """Give a homeroom class to another teacher in one step."""
    unit = managed_unit(request, unit_pk)
    school_class = get_object_or_404(SchoolClass.objects.filter(unit=unit), pk=class_pk)
    current = [
        m.user
        for m in Membership.objects.current()
        .filter(unit=unit, role=Membership.Role.HOMEROOM, school_class=school_class)
        .select_related("user")
    ]
    form = HandoverForm(request.POST or None, unit=unit, exclude=[u.pk for u in current])
    if request.method == "POST" and form.is_valid():
        teacher = form.cleaned_data["teacher"]
        try:
            hand_over_class(scope_for(request), school_class, teacher)
        except PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(teacher)s là giáo viên chủ nhiệm lớp %(class)s.")
                % {"teacher": teacher.get_full_name() or teacher.username, "class": school_class},
            )
            return redirect("people:people-list", unit_pk=unit.pk)
    context = {"unit": unit, "school_class": school_class, "current": current, "form": form}
    return render(request, "people/class_handover.html", context)
