"""Uploaded student lists waiting between the import steps are private and do not outlive the hour."""

import os
import stat
import time

import pytest
from django.urls import reverse

from phoihop.tracking import pending_imports
from phoihop.tracking.tasks import purge_pending_imports_task
from tests.tracking.test_students_import import upload, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def waiting(var_dir):
    return sorted(p.name for p in (var_dir / "pending_imports").glob("*.xlsx"))


def aged(path, seconds):
    old = time.time() - seconds
    os.utime(path, (old, old))


def small_list():
    return workbook(["Mã HS", "Họ và tên", "Lớp"], [["P1", "Trần Hưng Đạo", "6A"]])


def test_an_uploaded_list_is_readable_by_the_server_account_only(world, login, var_dir):
    assert upload(login(world.a.leader), world.a.unit, small_list()).status_code == 302
    [name] = waiting(var_dir)
    mode = stat.S_IMODE((var_dir / "pending_imports" / name).stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE((var_dir / "pending_imports").stat().st_mode) == 0o700


def test_a_new_upload_deletes_lists_abandoned_more_than_an_hour_ago(world, login, var_dir):
    abandoned = pending_imports.path_of(pending_imports.save(b"old"))
    recent = pending_imports.path_of(pending_imports.save(b"recent"))
    aged(abandoned, 3601)
    aged(recent, 3000)
    upload(login(world.b.leader), world.b.unit, small_list())
    names = waiting(var_dir)
    assert abandoned.name not in names
    assert recent.name in names
    assert len(names) == 2  # the recent one and the new upload


def test_the_hourly_task_deletes_abandoned_lists_only(var_dir):
    abandoned = pending_imports.path_of(pending_imports.save(b"old"))
    recent = pending_imports.path_of(pending_imports.save(b"recent"))
    aged(abandoned, 2 * 3600)
    assert purge_pending_imports_task.call_local() == 1
    assert waiting(var_dir) == [recent.name]


def test_an_abandoned_list_cannot_be_resumed_after_it_was_purged(world, login, var_dir):
    client = login(world.a.leader)
    upload(client, world.a.unit, small_list())
    [name] = waiting(var_dir)
    aged(var_dir / "pending_imports" / name, 3601)
    purge_pending_imports_task.call_local()
    response = client.get(reverse("tracking:students-import-mapping", args=[world.a.unit.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking:students-import", args=[world.a.unit.pk])
