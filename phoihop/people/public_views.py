"""The pages reached before signing in: accepting an invitation and the first run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from phoihop.core.parties import default_parties
from phoihop.people import invitations
from phoihop.people.forms import FirstRunForm, PartyRowFormSet, chosen_parties
from phoihop.people.services import PeopleError
from phoihop.people.setup import FirstRun, first_run, installation_is_empty
from phoihop.units.models import Unit

BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_not_required
@never_cache
def invitation_accept(request, token: str):
    """The invited person chooses their password and is signed in. Every link that does not
    work (unknown, used, revoked, expired, account closed) gets the same answer."""
    invitation = invitations.find_invitation(token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", status=404)
    user = invitation.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted = invitations.accept_invitation(invitation, form.cleaned_data["new_password1"])
        if accepted is None:
            return render(request, "people/invitation_invalid.html", status=404)
        login(request, accepted, backend=BACKEND)
        messages.success(
            request,
            _("Chào mừng %(name)s! Từ nay bạn đăng nhập bằng tên %(username)s và mật khẩu vừa đặt.")
            % {
                "name": accepted.get_full_name() or accepted.username,
                "username": accepted.username,
            },
        )
        return redirect("web:home")
    units = Unit.objects.filter(
        memberships__user=user, memberships__ended_at__isnull=True
    ).distinct()
    context = {"form": form, "person": user, "units": units, "invitation": invitation}
    return render(request, "people/invitation_accept.html", context)


def _party_initial(level: str, locality: str) -> list[dict]:
    return [{"keep": True, "kind": k, "name": n} for k, n in default_parties(level, locality)]


@login_not_required
@never_cache
def first_run_page(request):
    """On an empty installation: create the unit, its leader, its year and its partners.

    Step one asks for the unit; step two (the same page, ``step=parties``) offers the partners
    of its level with names to edit, then creates everything at once."""
    if not installation_is_empty():
        raise Http404
    form = FirstRunForm(request.POST or None)
    step = request.POST.get("step", "")
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/first_run.html", {"form": form, "formset": None})
    level, locality = form.cleaned_data["level"], form.cleaned_data["locality"]
    if step != "parties":
        formset = PartyRowFormSet(initial=_party_initial(level, locality), prefix="parties")
        return render(request, "people/first_run.html", {"form": form, "formset": formset})
    formset = PartyRowFormSet(request.POST, prefix="parties")
    if not formset.is_valid():
        return render(request, "people/first_run.html", {"form": form, "formset": formset})
    data = form.cleaned_data
    run = FirstRun(
        level=level,
        unit_name=data["unit_name"],
        leader_name=data["leader_name"],
        username=data["username"],
        password=data["password1"],
        school_year=data["school_year"],
        code=data["code"],
        locality=locality,
        superior_name=data["superior_name"],
        email=data["email"],
        title=data["title"],
        parties=chosen_parties(formset),
    )
    try:
        with transaction.atomic():
            unit, leader = first_run(run)
    except PeopleError as exc:
        form.add_error(None, str(exc))
        return render(request, "people/first_run.html", {"form": form, "formset": formset})
    login(request, leader, backend=BACKEND)
    messages.success(
        request,
        _("Đã tạo %(unit)s. Bước tiếp theo: thêm cán bộ, giáo viên và đầu mối đối tác.")
        % {"unit": unit.name},
    )
    return redirect("people:people-list", unit_pk=unit.pk)
