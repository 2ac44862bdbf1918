"""The "Xếp lịch" action on a document, and scheduling a real plan (seed 000)."""

import json
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from phoihop.documents.services import create_document_from_plan
from phoihop.schedule.models import Activity
from phoihop.schedule.services import ensure_school_year, schedule_document
from phoihop.tracking.models import SchoolClass
from tests import factories as f
from tests.seeds import SEEDS_DIR

pytestmark = pytest.mark.django_db


def schedule_url(document):
    return reverse("schedule:document-schedule", args=[document.pk])


@pytest.fixture
def scheduled_world(world):
    world.a.document.school_year = ensure_school_year("2025-2026")
    world.a.document.save()
    return world


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_leader_schedules_a_document_and_sees_the_counts(scheduled_world, login):
    a = scheduled_world.a
    response = login(a.leader).post(schedule_url(a.document))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document-detail", args=[a.document.pk])
    # The union item: one activity (đầu năm học); the police item, a standing duty: two check-ins.
    # The fixture's two hand-made activities have no records and no slot: they go.
    keys = set(Activity.objects.filter(item__document=a.document).values_list("key", flat=True))
    assert keys == {"dau_nam_hoc", "tu_danh_gia/hk1", "tu_danh_gia/hk2"}
    (message,) = messages_of(response)
    assert "Đã xếp lịch năm học 2025-2026: 3 hoạt động mới, 0 cập nhật, 2 bỏ đi" in message


def test_clerk_may_schedule_too(scheduled_world, login):
    a = scheduled_world.a
    assert login(a.clerk).post(schedule_url(a.document)).status_code == 302
    assert Activity.objects.filter(item__document=a.document, key="dau_nam_hoc").exists()


@pytest.mark.parametrize("role", ["homeroom", "police_contact"])
def test_who_sees_but_does_not_manage_the_document_gets_403(
    scheduled_world, login, role, published
):
    a = scheduled_world.a
    before = Activity.objects.count()
    assert login(getattr(a, role)).post(schedule_url(a.document)).status_code == 403
    assert Activity.objects.count() == before


@pytest.mark.parametrize("role", ["leader", "police_contact"])
def test_other_schools_users_get_404(scheduled_world, login, role):
    before = Activity.objects.count()
    response = login(getattr(scheduled_world.b, role)).post(
        schedule_url(scheduled_world.a.document)
    )
    assert response.status_code == 404
    assert Activity.objects.count() == before


def test_scheduling_needs_post(scheduled_world, login):
    response = login(scheduled_world.a.leader).get(schedule_url(scheduled_world.a.document))
    assert response.status_code == 405


def test_unschedulable_cadence_says_why_and_creates_nothing(scheduled_world, login):
    a = scheduled_world.a
    f.ItemFactory(
        document=a.document,
        position=5,
        text="Tổ chức giao lưu năm lần trong kỳ nghỉ Tết.",
        cadence={"count": 5, "per": "once", "window": {"start": "2026-02-14", "end": "2026-02-22"}},
    )
    before = set(Activity.objects.values_list("pk", flat=True))
    response = login(a.leader).post(schedule_url(a.document))
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "Tổ chức giao lưu năm lần trong kỳ nghỉ Tết." in message
    assert "Chưa có hoạt động nào được tạo" in message
    # The items before it were not scheduled either: all or nothing.
    assert set(Activity.objects.values_list("pk", flat=True)) == before


def test_document_without_school_year_says_to_choose_one(world, login):
    response = login(world.a.leader).post(schedule_url(world.a.document))
    (message,) = messages_of(response)
    assert "chưa gắn với năm học" in message


def test_schedule_button_snippet_posts_to_the_action(scheduled_world, rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "schedule/calendar_schedule_button.html", {"document": scheduled_world.a.document}
    )
    assert schedule_url(scheduled_world.a.document) in html
    assert "Xếp lịch" in html


# -- seed 000 on 2025-2026, two classes of 40 students ------------------------------------------------


def seeds_dir() -> Path:
    return SEEDS_DIR


def seed_plan(number: str) -> dict:
    paths = sorted(seeds_dir().glob(f"{number}_*.gold.json"))
    if not paths:
        pytest.skip(f"seed {number} not found in {seeds_dir()}")
    return json.loads(paths[0].read_text(encoding="utf-8"))


def item_activities(document, needle: str):
    (item,) = [i for i in document.items.all() if needle in i.text]
    return list(Activity.objects.filter(item=item).order_by("due_on", "school_class__name"))


def test_seed_000_schedules_home_visits_meetings_and_congress():
    unit = f.UnitFactory(name="Trường THCS thử nghiệm")
    year = ensure_school_year("2025-2026")
    document = create_document_from_plan(unit, seed_plan("000"))
    document.school_year = year
    document.save()
    for name in ("6A", "6B"):
        school_class = SchoolClass.objects.create(unit=unit, school_year=year, name=name, grade=6)
        for _n in range(40):
            f.StudentFactory(school_class=school_class)

    result = schedule_document(document)
    assert result.created == Activity.objects.filter(item__document=document).count()

    visits = item_activities(document, "thăm hỏi động viên gia đình học sinh")
    assert len(visits) == 9 * 2
    assert sum(a.obligations for a in visits) == 9 * 80 == 720
    assert {a.obligations for a in visits} == {40}
    assert sorted({(a.due_on.year, a.due_on.month) for a in visits}) == [
        (2025, 9), (2025, 10), (2025, 11), (2025, 12),
        (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5),
    ]  # fmt: skip

    meetings = item_activities(document, "họp phụ huynh theo định kỳ 3 lần/năm")
    assert [a.key for a in meetings] == ["dau_nam_hoc", "cuoi_hk1", "cuoi_nam_hoc"]
    for activity in meetings:
        assert activity.window_starts_on <= activity.due_on <= activity.window_ends_on

    congress = item_activities(document, "tổ chức Đại hội mỗi năm 01 lần")
    assert len(congress) == 1

    # Re-scheduling the same plan changes nothing.
    again = schedule_document(document)
    assert (again.created, again.removed) == (0, 0)
    assert again.updated == 0  # nothing changed, so nothing is written again
