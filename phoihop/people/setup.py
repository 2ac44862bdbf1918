"""First run: an empty installation becomes a unit with its first leader, its school year and its
partners, in one transaction (the ``phoihop setup`` command and the first-run page call this)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.calendar import CalendarError, parse_school_year_label
from phoihop.core.parties import PARTY_CODES
from phoihop.people.services import PeopleError, clean_email, clean_name, split_name
from phoihop.schedule.services import ensure_school_year
from phoihop.units.models import Membership, Party, Unit

MAX_PARTIES = 60


def installation_is_empty() -> bool:
    """Nothing set up yet: no unit and no account (the demo and a set-up school both have)."""
    return not Unit.objects.exists() and not get_user_model().objects.exists()


@dataclass
class FirstRun:
    """What the principal (or the office's head) types on the first-run page."""

    level: str
    unit_name: str
    leader_name: str
    username: str
    password: str
    school_year: str
    code: str = ""
    locality: str = ""
    superior_name: str = ""
    email: str = ""
    title: str = ""
    parties: list[tuple[str, str]] = field(default_factory=list)


def _check(run: FirstRun) -> list[str]:
    errors = []
    if run.level not in Unit.Level.values:
        errors.append(_("Cấp đơn vị không hợp lệ."))
    if not run.unit_name.strip():
        errors.append(_("Hãy nhập tên đơn vị."))
    elif len(run.unit_name.strip()) > 200:
        errors.append(_("Tên đơn vị dài quá 200 ký tự."))
    for text, limit in ((run.code, 32), (run.locality, 200), (run.superior_name, 200)):
        if len(text.strip()) > limit:
            errors.append(_("Một ô dài quá %(max)s ký tự.") % {"max": limit})
    try:
        clean_name(run.leader_name)
        clean_email(run.email)
    except PeopleError as exc:
        errors.append(str(exc))
    username = run.username.strip()
    if not username:
        errors.append(_("Hãy chọn tên đăng nhập."))
    else:
        try:
            get_user_model().username_validator(username)
        except ValidationError:
            errors.append(
                _(
                    "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . @ + - _ (không có dấu cách)."
                )
            )
    try:
        parse_school_year_label(run.school_year)
    except CalendarError as exc:
        errors.append(str(exc))
    if len(run.parties) > MAX_PARTIES:
        errors.append(_("Tối đa %(max)s tổ chức phối hợp.") % {"max": MAX_PARTIES})
    names = [name.strip().lower() for _kind, name in run.parties]
    if len(set(names)) != len(names):
        errors.append(_("Có hai tổ chức phối hợp trùng tên."))
    for kind, name in run.parties:
        if kind not in PARTY_CODES:
            errors.append(_("Loại tổ chức “%(kind)s” không hợp lệ.") % {"kind": kind})
        if not name.strip() or len(name.strip()) > 200:
            errors.append(_("Tên tổ chức phối hợp phải có từ 1 đến 200 ký tự."))
    return errors


@transaction.atomic
def first_run(run: FirstRun):
    """Create the top unit, its leader (who signs in with ``run.password``), the school year and
    the partners. Refused, changing nothing, on an installation that already holds data."""
    if not installation_is_empty():
        raise PeopleError(_("Phối hợp đã được cài đặt: hãy đăng nhập."))
    errors = _check(run)
    User = get_user_model()
    first, last = split_name(clean_name(run.leader_name)) if not errors else ("", "")
    candidate = User(username=run.username.strip(), first_name=first, last_name=last)
    try:
        password_validation.validate_password(run.password, candidate)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise PeopleError(" ".join(errors))
    # Taken again inside the transaction: two first-run forms sent at once create one unit.
    Unit.objects.select_for_update().exists()
    if Unit.objects.exists():
        raise PeopleError(_("Phối hợp đã được cài đặt: hãy đăng nhập."))
    unit = Unit.objects.create(
        level=run.level,
        name=run.unit_name.strip(),
        code=run.code.strip(),
        locality=run.locality.strip(),
        superior_name=run.superior_name.strip(),
    )
    leader = User.objects.create_user(
        candidate.username,
        email=clean_email(run.email),
        password=run.password,
        first_name=first,
        last_name=last,
    )
    Membership.objects.create(
        user=leader, unit=unit, role=Membership.Role.LEADER, title=run.title.strip()[:120]
    )
    first_year, second_year = parse_school_year_label(run.school_year)
    ensure_school_year(f"{first_year}-{second_year}")
    Party.objects.bulk_create(
        Party(unit=unit, kind=kind, name=name.strip()) for kind, name in run.parties
    )
    return unit, leader
