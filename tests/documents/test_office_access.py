"""An office (Sở, Phòng) reads its schools' documents but does not write, submit or issue them:
a school's draft is the school's, its number comes from the school's register (issue 13)."""

import pytest
from django.urls import reverse

from phoihop.documents.models import Document, Item
from phoihop.units.models import Membership
from tests import factories as f
from tests.documents.test_editor import _editor_urls

pytestmark = pytest.mark.django_db


def office_staff(world, role):
    return f.MembershipFactory(unit=world.office, role=role).user


def step(client, document, name):
    url = reverse("documents:document-transition", args=[document.pk, name])
    return client.post(url, {"confirm": "1"})  # as pressed on a step's confirmation page


@pytest.mark.parametrize(
    "role", [Membership.Role.MEMBER, Membership.Role.CLERK, Membership.Role.LEADER]
)
def test_office_staff_cannot_edit_a_schools_draft(world, login, role):
    client = login(office_staff(world, role))
    document = world.a.document
    response = client.post(
        reverse("documents:document-edit", args=[document.pk]), {"title": "Sở sửa"}
    )
    assert response.status_code == 403
    for method, url, data in _editor_urls(world):
        assert getattr(client, method)(url, data).status_code == 403, url
    document.refresh_from_db()
    assert document.title != "Sở sửa"
    assert Item.objects.filter(pk=world.a.union_item.pk).exists()


@pytest.mark.parametrize(
    "role", [Membership.Role.MEMBER, Membership.Role.CLERK, Membership.Role.LEADER]
)
def test_office_staff_cannot_submit_a_schools_draft(world, login, role):
    response = step(login(office_staff(world, role)), world.a.document, "submit")
    assert response.status_code == 403
    world.a.document.refresh_from_db()
    assert world.a.document.status == Document.Status.DRAFT


def test_office_clerk_cannot_issue_a_schools_document_from_its_register(world, login):
    school = login(world.a.leader)
    for name in ("submit", "approve"):
        assert step(school, world.a.document, name).status_code == 302
    for role in (Membership.Role.CLERK, Membership.Role.LEADER):
        assert step(login(office_staff(world, role)), world.a.document, "issue").status_code == 403
    world.a.document.refresh_from_db()
    assert world.a.document.status == Document.Status.APPROVED
    assert world.a.document.number is None
    assert step(login(world.a.clerk), world.a.document, "issue").status_code == 302
    world.a.document.refresh_from_db()
    assert world.a.document.number == 1


def test_office_reads_a_schools_draft_without_edit_or_step_buttons(world, login):
    client = login(office_staff(world, Membership.Role.MEMBER))
    response = client.get(reverse("documents:document-detail", args=[world.a.document.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.a.union_item.text in body
    assert reverse("documents:document-edit", args=[world.a.document.pk]) not in body
    assert "Trình duyệt" not in body


def test_office_leader_cannot_create_or_import_into_a_schools_register(world, login):
    client = login(world.officer)
    unit = world.a.unit
    before = Document.objects.count()
    assert client.get(reverse("documents:document-new", args=[unit.pk])).status_code == 403
    assert client.get(reverse("documents:import-upload", args=[unit.pk])).status_code == 403
    rollover = reverse("documents:document-rollover", args=[world.a.document.pk])
    assert client.post(rollover).status_code == 403
    assert Document.objects.count() == before
    # In its own register the office still writes.
    assert client.get(reverse("documents:document-new", args=[world.office.pk])).status_code == 200


@pytest.mark.parametrize("role", [Membership.Role.CLERK, Membership.Role.LEADER])
def test_office_does_not_schedule_a_schools_plan_or_record_its_work(world, login, role):
    """An office reads a school's plan, targets and activities; the school schedules and records
    them (issue 13)."""
    from phoihop.documents.models import TargetMeasurement
    from phoihop.schedule.models import Activity
    from phoihop.tracking.models import Record

    client = login(office_staff(world, role))
    before = Activity.objects.count()
    schedule = reverse("schedule:document-schedule", args=[world.a.document.pk])
    assert client.post(schedule).status_code == 403
    assert Activity.objects.count() == before
    target = f.TargetFactory(document=world.a.document)
    detail = reverse("tracking:target-detail", args=[target.pk])
    page = client.get(detail)
    assert page.status_code == 200 and "Ghi kết quả" not in page.content.decode()
    measure = {"action": "measure", "measured_on": "2025-10-01", "value": "95", "note": "x"}
    assert client.post(detail, measure).status_code == 403
    assert not TargetMeasurement.objects.exists()
    record = reverse("tracking:record-create", args=[world.a.activity.pk])
    assert client.post(record, {"done_on": "2025-10-01", "outcome": "done"}).status_code == 403
    assert not Record.objects.exists()
