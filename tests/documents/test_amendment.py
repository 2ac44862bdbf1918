"""Sửa đổi, bổ sung: a new version of a plan in force, which replaces it when issued."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phoihop.documents import amendment, issuing
from phoihop.documents.models import Document
from phoihop.reviews import tally
from phoihop.schedule.models import Activity
from phoihop.schedule.services import SchedulingError, ensure_school_year, schedule_document
from phoihop.tracking.my_work import my_work
from phoihop.units.models import Membership
from phoihop.units.scoping import Scope
from tests import factories as f

pytestmark = pytest.mark.django_db

FIRST_ISSUE = dt.date(2025, 9, 10)
CUTOVER = dt.date(2025, 12, 4)  # the amendment's issue date
MONTHLY = {
    "text": "hằng tháng",
    "count": 1,
    "at_least": False,
    "per": "month",
    "per_subject": None,
    "anchors": [],
    "window": None,
}


def take(document, step, user, **kwargs):
    return issuing.transition(document, step, scope=Scope.for_user(user), **kwargs)


def issue(document, leader, on):
    take(document, "submit", leader)
    take(document, "approve", leader)
    return take(document, "issue", leader, issued_on=on)


def amend_url(document):
    return reverse("documents:document-amend", args=[document.pk])


@pytest.fixture
def in_force(world):
    """School A's plan, with a monthly item of the police and the union, issued on 10/09/2025,
    in force and scheduled for 2025-2026."""
    a = world.a
    a.document.school_year = ensure_school_year("2025-2026")
    a.document.save()
    monthly = f.ItemFactory(
        document=a.document,
        position=2,
        text="Công an phường và Công đoàn kiểm tra an ninh trường học hằng tháng.",
        cadence=MONTHLY,
    )
    f.link_parties(monthly, a.police, a.union)
    a.document.legal_basis.create(text="Căn cứ Kế hoạch năm học 2025-2026 của Phòng GD&ĐT")
    a.document.recipients.create(name="Công an phường", purpose="phoi_hop")
    a.document.signers.create(authority="", title="HIỆU TRƯỞNG", name="Nguyễn Văn An")
    issue(a.document, a.leader, FIRST_ISSUE)
    document = take(a.document, "put_in_force", a.leader)
    schedule_document(document)
    return document


def monthly_activities(document):
    return Activity.objects.filter(
        item__document=document, item__text__startswith="Công an phường và Công đoàn kiểm tra"
    ).order_by("due_on")


# -- opening the new version -------------------------------------------------------------------


def test_leader_opens_an_amendment_that_holds_the_same_plan(world, in_force, login):
    a = world.a
    response = login(a.leader).post(amend_url(in_force))
    draft = Document.objects.get(amends=in_force)
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document-edit", args=[draft.pk])
    assert draft.status == Document.Status.DRAFT
    assert draft.title == in_force.title
    assert draft.school_year == in_force.school_year
    assert draft.number is None and draft.issued_on is None
    assert draft.symbol == in_force.symbol
    # Items in order, each with its exact parties (lead first), and the sections they sit in.
    old_items = list(in_force.items.order_by("position"))
    new_items = list(draft.items.order_by("position"))
    assert [i.text for i in new_items] == [i.text for i in old_items]
    assert [i.cadence for i in new_items] == [i.cadence for i in old_items]
    for old, new in zip(old_items, new_items, strict=True):
        assert [(p.party_id, p.is_lead) for p in new.item_parties.order_by("position")] == [
            (p.party_id, p.is_lead) for p in old.item_parties.order_by("position")
        ]
        assert (new.section.heading if new.section else None) == (
            old.section.heading if old.section else None
        )
    assert [r.name for r in draft.recipients.all()] == ["Công an phường"]
    assert [s.name for s in draft.signers.all()] == ["Nguyễn Văn An"]
    # The old basis is kept and the last line cites the amended plan by number and date.
    basis = list(draft.legal_basis.order_by("position"))
    assert basis[0].text == "Căn cứ Kế hoạch năm học 2025-2026 của Phòng GD&ĐT"
    assert basis[-1].ref_document == in_force
    assert f"số {in_force.number_line} ngày 10/09/2025" in basis[-1].text
    assert basis[-1].text.startswith("Sửa đổi, bổ sung Kế hoạch số")
    # The plan in force is untouched until the new version is issued.
    in_force.refresh_from_db()
    assert in_force.status == Document.Status.IN_FORCE


def test_a_second_request_opens_the_same_draft(world, in_force, login):
    client = login(world.a.clerk)
    client.post(amend_url(in_force))
    response = client.post(amend_url(in_force))
    draft = Document.objects.get(amends=in_force)
    assert response["Location"] == reverse("documents:document-edit", args=[draft.pk])
    assert Document.objects.filter(amends=in_force).count() == 1
    # Still one once the draft is submitted: the request then shows the submitted draft.
    take(draft, "submit", world.a.clerk)
    response = client.post(amend_url(in_force))
    assert response["Location"] == reverse("documents:document-detail", args=[draft.pk])
    assert Document.objects.filter(amends=in_force).count() == 1


def test_a_draft_cannot_be_amended(world, login):
    response = login(world.a.leader).post(amend_url(world.a.document), follow=True)
    assert "Chỉ sửa đổi, bổ sung được văn bản đã ban hành" in response.content.decode()
    assert not Document.objects.filter(amends=world.a.document).exists()


@pytest.mark.parametrize("role", ["police_contact", "health_contact"])
def test_partners_get_404(world, in_force, login, role):
    # The police contact reads the plan (its items are in it), the health contact does not.
    assert login(getattr(world.a, role)).post(amend_url(in_force)).status_code == 404
    assert not Document.objects.filter(amends=in_force).exists()


@pytest.mark.parametrize("role", ["leader", "clerk", "homeroom", "police_contact"])
def test_another_schools_users_get_404(world, in_force, login, role):
    assert login(getattr(world.b, role)).post(amend_url(in_force)).status_code == 404
    assert not Document.objects.filter(amends=in_force).exists()


def test_homeroom_teacher_of_the_school_gets_403(world, in_force, login):
    assert login(world.a.homeroom).post(amend_url(in_force)).status_code == 403
    assert not Document.objects.filter(amends=in_force).exists()


def test_an_office_above_the_school_does_not_amend_its_plan(world, in_force, login):
    clerk = f.MembershipFactory(unit=world.office, role=Membership.Role.CLERK).user
    for user in (world.officer, clerk):
        assert login(user).post(amend_url(in_force)).status_code == 403
    assert not Document.objects.filter(amends=in_force).exists()


def test_amending_needs_post(world, in_force, login):
    assert login(world.a.leader).get(amend_url(in_force)).status_code == 405


# -- the pages ---------------------------------------------------------------------------------


def test_document_page_offers_amendment_and_keeps_supersede_secondary(world, in_force, login):
    body = (
        login(world.a.leader)
        .get(reverse("documents:document-detail", args=[in_force.pk]))
        .content.decode()
    )
    toolbar = body[
        body.index('class="doc-toolbar"') : body.index("</nav>", body.index("doc-toolbar"))
    ]
    assert f'action="{amend_url(in_force)}"' in toolbar
    assert '<button class="primary" type="submit">Sửa đổi, bổ sung</button>' in toolbar
    confirm = reverse("documents:document-confirm-step", args=[in_force.pk, "supersede"])
    assert f'<a class="muted" href="{confirm}">Đánh dấu đã thay thế</a>' in toolbar
    assert toolbar.index("Sửa đổi, bổ sung") < toolbar.index("Đánh dấu đã thay thế")


def test_homeroom_teacher_is_not_offered_the_amendment(world, in_force, login):
    body = (
        login(world.a.homeroom)
        .get(reverse("documents:document-detail", args=[in_force.pk]))
        .content.decode()
    )
    assert amend_url(in_force) not in body


def test_editor_of_a_plan_in_force_points_to_amendment_not_to_return(world, in_force, login):
    client = login(world.a.leader)
    body = client.get(reverse("documents:document-edit", args=[in_force.pk])).content.decode()
    assert "Trả lại để sửa" not in body
    assert "“Sửa đổi, bổ sung”" in body
    assert f'action="{amend_url(in_force)}"' in body
    client.post(amend_url(in_force))
    draft = Document.objects.get(amends=in_force)
    body = client.get(reverse("documents:document-edit", args=[in_force.pk])).content.decode()
    assert reverse("documents:document-edit", args=[draft.pk]) in body
    assert "Mở dự thảo sửa đổi, bổ sung" in body


# -- issuing it --------------------------------------------------------------------------------


def test_issuing_the_amendment_supersedes_the_old_version_and_says_so(world, in_force, login):
    a = world.a
    draft, created = amendment.amend_document(in_force, a.leader)
    assert created
    take(draft, "submit", a.leader)
    take(draft, "approve", a.leader)
    client = login(a.clerk)
    response = client.post(
        reverse("documents:document-transition", args=[draft.pk, "issue"]),
        {"confirm": "1"},
        follow=True,
    )
    body = response.content.decode()
    draft.refresh_from_db()
    in_force.refresh_from_db()
    assert draft.status == Document.Status.ISSUED and draft.number is not None
    assert (draft.number_year, draft.number) != (in_force.number_year, in_force.number)
    assert in_force.status == Document.Status.SUPERSEDED
    assert "đã chuyển sang “Đã thay thế”" in body
    # Both histories say what happened.
    old_reasons = list(in_force.history.values_list("history_change_reason", flat=True))
    assert old_reasons[0] == (
        f"Đã được thay thế bởi bản sửa đổi, bổ sung Kế hoạch số {draft.number_line} ngày "
        f"{draft.issued_on:%d/%m/%Y}."
    )
    assert "Mở dự thảo sửa đổi, bổ sung (bản mới)" in old_reasons
    new_reasons = list(draft.history.values_list("history_change_reason", flat=True))
    assert new_reasons[0].endswith(f"Thay thế văn bản số {in_force.number_line}.")
    assert (
        f"Dự thảo sửa đổi, bổ sung Kế hoạch số {in_force.number_line} ngày 10/09/2025"
        in new_reasons
    )
    # Each page links to the other.
    page = client.get(reverse("documents:document-detail", args=[in_force.pk])).content.decode()
    assert reverse("documents:document-detail", args=[draft.pk]) in page
    assert "Được thay thế bởi" in page
    assert amend_url(in_force) not in page


def test_schedule_moves_to_the_new_version_from_its_issue_date(world, in_force, login):
    a = world.a
    old = list(monthly_activities(in_force))
    assert len(old) >= 9  # September to May
    october = next(x for x in old if x.window_starts_on.month == 10)
    january = next(x for x in old if x.window_starts_on == dt.date(2026, 1, 1))
    february = next(x for x in old if x.window_starts_on == dt.date(2026, 2, 1))
    f.RecordFactory(activity=october, done_on=dt.date(2025, 10, 20))
    # Recorded early (a check in late December for January): kept with its record.
    f.RecordFactory(activity=january, done_on=dt.date(2025, 12, 30))
    february.assignee_user = a.police_contact
    february.save()
    draft, _created = amendment.amend_document(in_force, a.leader)
    take(draft, "submit", a.leader)
    take(draft, "approve", a.leader)
    new = take(draft, "issue", a.clerk, issued_on=CUTOVER)

    assert new.handover.superseded.pk == in_force.pk
    assert new.handover.scheduled is not None and not new.handover.schedule_error
    # The old version keeps what began before the cut-over, and what holds records.
    kept = set(monthly_activities(in_force).values_list("pk", flat=True))
    begun = {x.pk for x in old if x.window_starts_on < CUTOVER}
    assert kept == begun | {january.pk}
    # February moved to the new version's copy of the item, assignee and all.
    february.refresh_from_db()
    assert february.item.document == new and february.item.copied_from == january.item
    assert february.assignee_user == a.police_contact
    assert october.records.count() == 1 and january.records.count() == 1
    # The new version holds the occurrences from the cut-over on, the same slots as before.
    moved = list(monthly_activities(new))
    assert moved and all(x.window_starts_on >= CUTOVER for x in moved)
    assert {x.key for x in moved} == {
        x.key for x in old if x.window_starts_on >= CUTOVER and x != january
    }
    assert all(x.assignee_party_id == a.police.pk for x in moved)
    # No occurrence of the monthly item is in the calendar twice.
    for month_start in {x.window_starts_on for x in old}:
        live = Activity.objects.filter(
            item__text__startswith="Công an phường và Công đoàn kiểm tra",
            window_starts_on=month_start,
            item__document__in=[in_force, new],
        )
        assert live.count() == 1, month_start
    assert not tally.check()


def test_calendar_and_my_work_no_longer_show_the_old_versions_future_work(world, in_force, login):
    a = world.a
    old_february = monthly_activities(in_force).get(window_starts_on=dt.date(2026, 2, 1))
    draft, _created = amendment.amend_document(in_force, a.leader)
    take(draft, "submit", a.leader)
    take(draft, "approve", a.leader)
    new = take(draft, "issue", a.leader, issued_on=CUTOVER)
    new_february = monthly_activities(new).get(window_starts_on=dt.date(2026, 2, 1))

    calendar = login(a.police_contact).get(reverse("schedule:calendar-list"), {"month": "2026-02"})
    body = calendar.content.decode()
    assert reverse("schedule:activity-detail", args=[new_february.pk]) in body
    assert body.count("Tháng 2/2026 · Công an phường và Công đoàn kiểm tra") == 1

    work = my_work(Scope.for_user(a.police_contact), dt.date(2026, 2, 2))
    shown = [
        x.pk for bucket in (work.overdue, work.this_week, work.coming) for x in bucket.activities
    ]
    assert new_february.pk in shown
    titles = [
        x.title for bucket in (work.overdue, work.this_week, work.coming) for x in bucket.activities
    ]
    assert titles.count(new_february.title) == 1
    # The row itself moved (its link keeps working), and it now belongs to the new version.
    assert new_february.pk == old_february.pk


def test_a_draft_amendment_is_not_scheduled_and_a_replaced_version_no_longer(world, in_force):
    a = world.a
    draft, _created = amendment.amend_document(in_force, a.leader)
    with pytest.raises(SchedulingError, match="bản sửa đổi, bổ sung"):
        schedule_document(draft)
    assert not Activity.objects.filter(item__document=draft).exists()
    take(draft, "submit", a.leader)
    take(draft, "approve", a.leader)
    take(draft, "issue", a.leader, issued_on=CUTOVER)
    in_force.refresh_from_db()
    before = Activity.objects.filter(item__document=in_force).count()
    with pytest.raises(SchedulingError, match="đã được thay thế"):
        schedule_document(in_force)
    assert Activity.objects.filter(item__document=in_force).count() == before
    # Rescheduling the new version changes nothing: the cut-over stays its issue date.
    draft.refresh_from_db()
    again = schedule_document(draft)
    assert (again.created, again.updated, again.removed, again.released) == (0, 0, 0, 0)


def test_an_unscheduled_plan_is_superseded_without_a_schedule(world):
    a = world.a
    old = issue(a.document, a.leader, FIRST_ISSUE)
    Activity.objects.filter(item__document=old).delete()
    draft, _created = amendment.amend_document(old, a.clerk)
    take(draft, "submit", a.clerk)
    take(draft, "approve", a.leader)
    new = take(draft, "issue", a.clerk, issued_on=CUTOVER)
    old.refresh_from_db()
    assert old.status == Document.Status.SUPERSEDED
    assert new.handover.scheduled is None
    assert not Activity.objects.filter(item__document=new).exists()


def test_amending_an_amendment_cites_only_the_version_it_amends(world, in_force):
    a = world.a
    second, _created = amendment.amend_document(in_force, a.leader)
    take(second, "submit", a.leader)
    take(second, "approve", a.leader)
    second = take(second, "issue", a.leader, issued_on=CUTOVER)
    third, _created = amendment.amend_document(second, a.leader)
    cited = [b.ref_document_id for b in third.legal_basis.order_by("position")]
    assert cited == [None, second.pk]
    assert third.previous_id == in_force.previous_id


def test_an_unschedulable_amendment_is_issued_and_the_old_schedule_stays(world, in_force, login):
    a = world.a
    before = set(Activity.objects.filter(item__document=in_force).values_list("pk", flat=True))
    draft, _created = amendment.amend_document(in_force, a.leader)
    f.ItemFactory(
        document=draft,
        position=9,
        text="Tổ chức giao lưu năm lần trong kỳ nghỉ Tết.",
        cadence={"count": 5, "per": "once", "window": {"start": "2026-02-14", "end": "2026-02-22"}},
    )
    take(draft, "submit", a.leader)
    take(draft, "approve", a.leader)
    response = login(a.clerk).post(
        reverse("documents:document-transition", args=[draft.pk, "issue"]),
        {"confirm": "1"},
        follow=True,
    )
    body = response.content.decode()
    draft.refresh_from_db()
    in_force.refresh_from_db()
    assert draft.status == Document.Status.ISSUED
    assert in_force.status == Document.Status.SUPERSEDED
    assert "Chưa xếp được lịch cho văn bản này" in body
    assert "Tổ chức giao lưu năm lần trong kỳ nghỉ Tết." in body
    assert set(Activity.objects.filter(item__document=in_force).values_list("pk", flat=True)) == (
        before
    )
    assert not Activity.objects.filter(item__document=draft).exists()
    assert not tally.check()


def test_an_amendment_is_compared_with_the_version_it_amends(world, in_force, login):
    draft, _created = amendment.amend_document(in_force, world.a.leader)
    response = login(world.a.leader).get(reverse("documents:document-compare", args=[draft.pk]))
    assert response.status_code == 200
    assert response.context["other"] == in_force
