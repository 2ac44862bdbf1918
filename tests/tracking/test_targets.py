"""Targets against measurements: retention computed from the student list, others entered with
evidence; each shown as met or not met against its comparator and value."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from phoihop.documents.models import TargetMeasurement
from phoihop.tracking import targets as metrics
from tests import factories as f

TODAY = dt.date(2025, 12, 1)


@pytest.fixture
def retention_target(world):
    """School A: 10 students at the start of 2025-2026, one leaves in November, one joins later."""
    year = f.SchoolYearFactory(unit=world.a.unit)
    document = world.a.document
    document.school_year = year
    document.save()
    for _n in range(8):
        f.StudentFactory(school_class=world.a.school_class, enrolled_on=dt.date(2025, 9, 5))
    leaver = f.StudentFactory(school_class=world.a.school_class)
    leaver.left_on = dt.date(2025, 11, 3)
    leaver.save()
    world.a.other_student.delete()
    f.StudentFactory(school_class=world.a.other_class, enrolled_on=dt.date(2025, 10, 20))
    # A student of school B must not count for school A.
    f.StudentFactory(school_class=world.b.school_class, left_on=dt.date(2025, 10, 1))
    return f.TargetFactory(
        document=document, text="Duy trì sĩ số đạt 100%", comparator="=", value=100, unit_label="%"
    )


@pytest.fixture
def entered_target(world):
    return f.TargetFactory(
        document=world.a.document,
        text="90% giáo viên đạt chuẩn trở lên",
        comparator=">=",
        value=90,
        unit_label="%",
        position=1,
    )


def test_retention_is_computed_from_enrolment_dates(retention_target):
    row = metrics.target_rows(type(retention_target).objects.filter(pk=retention_target.pk), TODAY)[
        0
    ]
    assert row.computed
    assert row.value == Decimal("90.00")  # 9 of the 10 enrolled at the start are still here
    assert row.met is False
    assert "9 / 10" in row.detail


def test_retention_history_is_a_month_by_month_series(retention_target):
    row = metrics.target_detail(retention_target, TODAY)
    series = [(day, value) for day, value, _note in row.history]
    assert series == [
        (dt.date(2025, 9, 30), Decimal("100.00")),
        (dt.date(2025, 10, 31), Decimal("100.00")),
        (dt.date(2025, 11, 30), Decimal("90.00")),
        (dt.date(2025, 12, 1), Decimal("90.00")),
    ]


def test_targets_compare_with_their_comparator():
    assert metrics.is_met(Decimal(100), "=", Decimal(100)) is True
    assert metrics.is_met(Decimal(95), ">", Decimal(90)) is True
    assert metrics.is_met(Decimal(90), ">", Decimal(90)) is False
    assert metrics.is_met(Decimal(3), "<=", Decimal(2)) is False
    assert metrics.is_met(None, ">=", Decimal(90)) is None


def test_entered_value_with_evidence_is_shown_against_the_target(world, login, entered_target):
    client = login(world.a.leader)
    url = reverse("tracking:target-detail", args=[entered_target.pk])
    response = client.post(
        url,
        {
            "action": "measure",
            "value": "92.5",
            "measured_on": "2025-11-20",
            "note": "Theo báo cáo tổ chuyên môn",
            "evidence_url": "https://example.edu.vn/bc.pdf",
        },
    )
    assert response.status_code == 302
    measurement = TargetMeasurement.objects.get(target=entered_target)
    assert measurement.value == Decimal("92.5")
    assert "https://example.edu.vn/bc.pdf" in measurement.note
    assert measurement.recorded_by == world.a.leader
    page = client.get(reverse("tracking:target-list", args=[world.a.unit.pk])).content.decode()
    assert "92,5" in page and "Đạt" in page  # Vietnamese decimal comma
    detail = client.get(url).content.decode()
    assert 'href="https://example.edu.vn/bc.pdf"' in detail


def test_computed_value_can_be_kept_in_the_history(world, login, retention_target):
    client = login(world.a.clerk)
    url = reverse("tracking:target-detail", args=[retention_target.pk])
    assert client.post(url, {"action": "snapshot"}).status_code == 302
    assert TargetMeasurement.objects.filter(target=retention_target).count() == 1


def test_bad_measurement_is_refused_with_the_form_errors(world, login, entered_target):
    client = login(world.a.leader)
    url = reverse("tracking:target-detail", args=[entered_target.pk])
    response = client.post(url, {"action": "measure", "value": "abc", "measured_on": ""})
    assert response.status_code == 400
    assert not TargetMeasurement.objects.exists()


def test_another_units_user_gets_404(world, login, entered_target):
    client = login(world.b.leader)
    assert (
        client.get(reverse("tracking:target-detail", args=[entered_target.pk])).status_code == 404
    )
    assert client.get(reverse("tracking:target-list", args=[world.a.unit.pk])).status_code == 404


@pytest.mark.parametrize("who", ["homeroom", "police_contact"])
def test_homeroom_teachers_and_partners_cannot_enter_measurements(
    world, login, who, entered_target
):
    client = login(getattr(world.a, who))
    response = client.post(
        reverse("tracking:target-detail", args=[entered_target.pk]),
        {"action": "measure", "value": "99", "measured_on": "2025-11-20"},
    )
    assert response.status_code in (403, 404)
    assert client.get(reverse("tracking:target-list", args=[world.a.unit.pk])).status_code == 403
    assert not TargetMeasurement.objects.exists()
