"""An empty installation starts at the first run (page or ``phoihop setup``) and nowhere else;
password reset goes out through a real SMTP server."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from phoihop.core.parties import default_parties
from phoihop.schedule.models import SchoolYear
from phoihop.units.models import Membership, Party, Unit
from tests import factories as f

pytestmark = pytest.mark.django_db

UNIT = {
    "level": "thcs",
    "unit_name": "Trường THCS Hoa Sen",
    "code": "THCSHS",
    "superior_name": "UBND PHƯỜNG THANH BÌNH",
    "locality": "phường Thanh Bình, tỉnh Sông Lam",
    "school_year": "2026-2027",
    "leader_name": "Nguyễn Thị Mai",
    "title": "Hiệu trưởng",
    "email": "",
    "username": "hieutruong",
    "password1": "Sen-hong-2026!",
    "password2": "Sen-hong-2026!",
}


def party_rows(rows):
    data = {
        "parties-TOTAL_FORMS": str(len(rows)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "60",
    }
    for index, (keep, kind, name) in enumerate(rows):
        if keep:
            data[f"parties-{index}-keep"] = "on"
        data[f"parties-{index}-kind"] = kind
        data[f"parties-{index}-name"] = name
    return data


def test_empty_installation_sends_visitors_to_the_first_run(client):
    assert client.get("/")["Location"] == reverse("first-run")
    assert client.get(reverse("login"))["Location"] == reverse("first-run")
    assert client.get(reverse("first-run")).status_code == 200


def test_first_run_page_creates_the_school_its_leader_year_and_edited_partners(client):
    offered = client.post(reverse("first-run"), UNIT)
    body = offered.content.decode()
    assert "Công an phường Thanh Bình" in body  # the level's partners, named for the locality
    assert not Unit.objects.exists()
    rows = [(True, kind, name) for kind, name in default_parties("thcs", UNIT["locality"])]
    rows[0] = (True, "cong_doan", "Công đoàn Trường THCS Hoa Sen")  # renamed by the principal
    rows[1] = (False, rows[1][1], rows[1][2])  # one dropped
    rows.append((True, "doanh_nghiep", "Công ty May Sông Lam"))  # one added
    response = client.post(reverse("first-run"), {**UNIT, "step": "parties", **party_rows(rows)})
    unit = Unit.objects.get()
    assert response["Location"] == reverse("people:people-list", args=[unit.pk])
    assert (unit.level, unit.code, unit.superior_name) == (
        "thcs",
        "THCSHS",
        "UBND PHƯỜNG THANH BÌNH",
    )
    leader = get_user_model().objects.get()
    assert leader.check_password("Sen-hong-2026!") and leader.get_full_name() == "Nguyễn Thị Mai"
    assert Membership.objects.get().role == Membership.Role.LEADER
    names = set(Party.objects.values_list("name", flat=True))
    assert "Công đoàn Trường THCS Hoa Sen" in names and "Công ty May Sông Lam" in names
    assert rows[1][2] not in names
    assert len(names) == len(rows) - 1
    assert SchoolYear.objects.filter(unit=None, label="2026-2027").exists()
    # Signed in, and the first run is gone for good.
    assert client.get(reverse("people:people-list", args=[unit.pk])).status_code == 200
    assert client.get(reverse("first-run")).status_code == 404


def test_first_run_with_a_weak_password_changes_nothing(client):
    weak = {**UNIT, "password1": "123", "password2": "123", "step": "parties"}
    response = client.post(reverse("first-run"), {**weak, **party_rows([])})
    assert response.status_code == 200
    assert "Mật khẩu" in response.content.decode() or "mật khẩu" in response.content.decode()
    assert not Unit.objects.exists() and not get_user_model().objects.exists()


def test_first_run_is_closed_once_anything_exists(client):
    f.UserFactory()
    assert client.get(reverse("first-run")).status_code == 404
    response = client.post(reverse("first-run"), {**UNIT, "step": "parties", **party_rows([])})
    assert response.status_code == 404
    assert not Unit.objects.exists()


def test_password_reset_mail_goes_through_smtp_and_sets_a_new_password(world, client, smtp):
    leader = world.a.leader
    leader.email = "hieutruong@truong.test"
    leader.save()
    response = client.post(reverse("password_reset"), {"email": "hieutruong@truong.test"})
    assert response["Location"] == reverse("password_reset_done")
    [(recipients, message)] = smtp.messages()
    assert recipients == ["hieutruong@truong.test"]
    assert message["Subject"] == "Đặt lại mật khẩu Phối hợp"
    text = message.get_content()
    assert leader.username in text
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", text).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    confirm = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Moi-hoan-toan-26", "new_password2": "Moi-hoan-toan-26"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    leader.refresh_from_db()
    assert leader.check_password("Moi-hoan-toan-26")


def test_password_reset_for_an_unknown_address_sends_nothing(world, client, smtp):
    response = client.post(reverse("password_reset"), {"email": "nobody@truong.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert smtp.messages() == []


def _setup_command(tmp_path, *args, password="Sen-hong-2026!"):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PHOIHOP_VAR_DIR": str(tmp_path / "var"),
        "PHOIHOP_SETUP_PASSWORD": password,
    }
    return subprocess.run(
        [sys.executable, "-m", "phoihop", "setup", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


@pytest.mark.slow
def test_setup_command_creates_then_refuses_a_second_time(tmp_path):
    flags = [
        "--level", "thpt", "--name", "Trường THPT Lê Lợi", "--leader", "Trần Văn Nam",
        "--username", "hieutruong", "--locality", "xã Đông Sơn, tỉnh Sông Lam",
        "--party", "doanh_nghiep=Công ty Điện lực",
    ]  # fmt: skip
    first = _setup_command(tmp_path, *flags)
    assert first.returncode == 0, first.stderr
    assert "Đã tạo Trường THPT Lê Lợi" in first.stdout
    assert "Công an xã Đông Sơn" in first.stdout and "Đoàn trường" in first.stdout
    assert "Liên đội" not in first.stdout  # an upper-secondary school has no Pioneers
    second = _setup_command(tmp_path, *flags)
    assert second.returncode == 2
    assert "đã được cài đặt" in second.stderr and "Traceback" not in second.stderr


@pytest.mark.slow
def test_setup_command_without_a_terminal_names_the_missing_flags(tmp_path):
    result = _setup_command(tmp_path, "--level", "thcs")
    assert result.returncode == 2
    assert "--name" in result.stderr and "--username" in result.stderr
    assert "Traceback" not in result.stderr


def test_default_partners_follow_the_level():
    kinds = {level: {k for k, _n in default_parties(level)} for level in ("tieu_hoc", "thpt")}
    assert "doi_thieu_nien" in kinds["tieu_hoc"] and "doi_thieu_nien" not in kinds["thpt"]
    assert {"cong_doan", "cmhs", "cong_an", "y_te", "ubnd", "gvcn"} <= kinds["thpt"]
    assert dict(default_parties("mam_non"))["cmhs"] == "Ban đại diện cha mẹ trẻ"
    assert dict(default_parties("thcs", "Phường Ba Đình, Hà Nội"))["cong_an"] == (
        "Công an phường Ba Đình"
    )
