"""A new school year's classes in one step: classes move up, the last grade leaves, homeroom
teachers follow where kept; only the school's leadership does it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phoihop.core.calendar import school_year_label_for
from phoihop.schedule.services import ensure_school_year
from phoihop.tracking.models import SchoolClass, Student
from phoihop.tracking.promotion import PromotionError, promote_classes
from phoihop.units.scoping import Scope
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(world):
    """School A's classes belong to last school year: 6A (Minh) and a 9A about to leave."""
    this_label = school_year_label_for(timezone.localdate())
    first = int(this_label[:4])
    old = ensure_school_year(f"{first - 1}-{first}")
    unit = world.a.unit
    SchoolClass.objects.filter(unit=unit).update(school_year=old)
    SchoolClass.objects.filter(pk=world.a.school_class.pk).update(grade=6)
    leaving = f.SchoolClassFactory(unit=unit, name="9A", grade=9, school_year=old)
    f.StudentFactory(school_class=leaving, unit=unit, full_name="Đỗ Văn Khoa")
    gone = f.StudentFactory(school_class=world.a.school_class, unit=unit, full_name="Mai Lan")
    Student.objects.filter(pk=gone.pk).update(left_on=old.starts_on + dt.timedelta(days=30))
    return old, ensure_school_year(this_label), leaving


def test_classes_move_up_and_the_last_grade_leaves(world, last_year):
    old, new, leaving = last_year
    result = promote_classes(
        world.a.unit, old, new, keep_teachers={world.a.school_class.pk}, user=world.a.leader
    )
    seventh = SchoolClass.objects.get(unit=world.a.unit, school_year=new, name="7A")
    assert seventh.grade == 7
    world.a.student.refresh_from_db()
    assert world.a.student.school_class == seventh
    khoa = Student.objects.get(full_name="Đỗ Văn Khoa")
    assert khoa.left_on is not None and khoa.school_class == leaving
    assert Student.objects.get(full_name="Mai Lan").school_class == world.a.school_class
    assert (result.moved, result.left, result.teachers_kept) == (2, 1, 1)
    # The kept teacher follows 6A into 7A; 7A's teacher (not kept) still has last year's class.
    assert Scope.for_user(world.a.homeroom).homeroom_class_ids == {seventh.pk}
    assert world.a.other_class.pk in Scope.for_user(world.a.other_homeroom).homeroom_class_ids
    assert world.a.student.history.first().history_user == world.a.leader
    # Done once: a second run finds nobody left to move.
    with pytest.raises(PromotionError, match="đã lên lớp"):
        promote_classes(world.a.unit, old, new, keep_teachers=set(), user=world.a.leader)


def test_the_page_shows_what_each_class_becomes_and_promotes_on_confirmation(
    world, last_year, login
):
    client = login(world.a.leader)
    url = reverse("tracking:classes-promote", args=[world.a.unit.pk])
    page = client.get(url).content.decode()
    assert "7A" in page and "8A" in page and "ra trường" in page
    refused = client.post(url, {"keep": [world.a.school_class.pk]})
    assert refused.status_code == 400
    assert not SchoolClass.objects.filter(name="8A").exists()
    response = client.post(url, {"keep": [world.a.school_class.pk], "confirm": "1"})
    assert response.status_code == 302
    assert SchoolClass.objects.filter(unit=world.a.unit, name="8A").exists()


@pytest.mark.parametrize("who", ["clerk", "homeroom", "police_contact"])
def test_only_the_leadership_promotes(world, last_year, login, who):
    url = reverse("tracking:classes-promote", args=[world.a.unit.pk])
    response = login(getattr(world.a, who)).post(url, {"confirm": "1"})
    assert response.status_code == 403
    assert not SchoolClass.objects.filter(name="7A", school_year=last_year[1]).exists()


def test_another_schools_leader_gets_404(world, last_year, login):
    url = reverse("tracking:classes-promote", args=[world.a.unit.pk])
    assert login(world.b.leader).post(url, {"confirm": "1"}).status_code == 404
    assert not SchoolClass.objects.filter(name="7A", school_year=last_year[1]).exists()


def test_after_promotion_the_new_years_plan_schedules_its_per_class_items(world, last_year):
    from phoihop.schedule.services import SchedulingError, schedule_document
    from tests.tracking.conftest import HOME_VISIT_CADENCE

    old, new, _leaving = last_year
    document = f.DocumentFactory(unit=world.a.unit, school_year=new, status="in_force")
    item = f.ItemFactory(
        document=document, text="GVCN thăm gia đình mỗi học sinh.", cadence=HOME_VISIT_CADENCE
    )
    f.link_parties(item, f.PartyFactory(unit=world.a.unit, kind="gvcn", name="GVCN"))
    with pytest.raises(SchedulingError):
        schedule_document(document)  # no class in the new year yet
    promote_classes(world.a.unit, old, new, keep_teachers=set(), user=world.a.leader)
    schedule_document(document)
    assert set(document.items.get().activities.values_list("school_class__name", flat=True)) == {
        "7A",
        "8A",
    }


def test_after_promotion_school_coverage_shows_this_years_classes_and_last_years_on_request(
    world, last_year, login
):
    old, new, _leaving = last_year
    promote_classes(world.a.unit, old, new, keep_teachers=set(), user=world.a.leader)
    client = login(world.a.leader)
    url = reverse("tracking:school-coverage")
    page = client.get(url, {"unit": world.a.unit.pk}).content.decode()
    rows = page.split('id="school-coverage"', 1)[-1]
    assert ">7A<" in rows and ">8A<" in rows and ">6A<" not in rows
    assert f'<option value="{old.label}">' in page
    earlier = client.get(url, {"unit": world.a.unit.pk, "year": old.label}).content.decode()
    earlier_rows = earlier.split('id="school-coverage"', 1)[-1]
    assert ">6A<" in earlier_rows and ">9A<" in earlier_rows and ">8A<" not in earlier_rows
