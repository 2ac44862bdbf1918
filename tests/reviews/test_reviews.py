"""Sơ kết / tổng kết drafted from the records, written up as a Decree 30 BC, carried into next year."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document as Docx
from docx.oxml.ns import qn
from docx.shared import Mm

from phoihop.documents.models import Document
from phoihop.reviews import drafting
from phoihop.reviews.models import Review
from phoihop.schedule.models import Activity
from phoihop.tracking.services import record_activity
from phoihop.tracking.targets import record_measurement
from tests import factories as f

AFTER_THE_YEAR = dt.date(2026, 6, 10)


@pytest.fixture
def plan(world):
    """School A's plan for 2025-2026 with a year of records: one item done, one never done, one
    home-visit item half covered, one standing duty, one target measured."""
    a = world.a
    year = f.SchoolYearFactory()
    document = a.document
    document.title = "KẾ HOẠCH Phối hợp năm học 2025-2026"
    document.school_year, document.start_year, document.end_year = year, 2025, 2026
    document.period_text = "2025-2026"
    document.save()
    record_activity(
        a.activity, a.leader, done_on=dt.date(2025, 10, 14), participants="BCH Công đoàn, BGH"
    )
    f.ActivityFactory(item=a.police_item, key="hk2", due_on=dt.date(2026, 3, 10))
    visit_item = f.ItemFactory(
        document=document,
        section=a.union_item.section,
        position=2,
        text="GVCN thăm gia đình học sinh mỗi tháng.",
    )
    visit = f.ActivityFactory(
        item=visit_item, school_class=a.school_class, obligations=2, due_on=dt.date(2025, 11, 30)
    )
    record_activity(visit, a.homeroom, done_on=dt.date(2025, 11, 20), student=a.student)
    f.ItemFactory(document=document, position=3, text="Giữ gìn vệ sinh trường lớp thường xuyên.")
    target = f.TargetFactory(document=document, text="Học sinh lên lớp", comparator=">=", value=95)
    record_measurement(target, value=Decimal("97"), measured_on=dt.date(2026, 5, 20))
    return document


def _items(review):
    return {i["text"]: i for s in review.body["sections"] for i in s["items"]}


def test_tong_ket_names_every_item_with_status_and_counts_matching_the_records(world, plan):
    review = drafting.draft_review(plan, Review.Kind.TONG_KET, world.a.leader, today=AFTER_THE_YEAR)
    assert (review.period_start, review.period_end) == (dt.date(2025, 9, 5), dt.date(2026, 5, 31))
    items = _items(review)
    assert set(items) == set(plan.items.values_list("text", flat=True))
    union = items[world.a.union_item.text]
    assert (union["total"], union["done"], union["missed"], union["status"]) == (1, 1, 0, "done")
    assert union["dates"] == ["2025-10-14"]
    assert "BCH Công đoàn, BGH" in union["who"]
    assert world.a.leader.get_full_name() in union["who"]
    police = items[world.a.police_item.text]
    assert (police["total"], police["done"], police["missed"], police["status"]) == (
        2,
        0,
        2,
        "missed",
    )
    assert police["status_label"] == "Chưa thực hiện" and police["dates"] == []
    visit = items["GVCN thăm gia đình học sinh mỗi tháng."]
    assert (visit["total"], visit["partly"], visit["status"]) == (1, 1, "partly")
    assert visit["visits"] == {"due": 2, "visited": 1, "rate": 50.0}
    standing = items["Giữ gìn vệ sinh trường lớp thường xuyên."]
    assert (standing["total"], standing["status"]) == (0, "standing")
    # The counts are those of the records: one activity per record-bearing occurrence.
    with_records = Activity.objects.filter(item__document=plan, records__isnull=False).distinct()
    assert review.body["totals"]["done"] + review.body["totals"]["partly"] == with_records.count()
    target = review.body["targets"][0]
    assert (target["value"], target["met"], target["verdict"]) == (97, True, "Đạt")
    assert review.body["coverage"] == {"due": 2, "visited": 1, "rate": 50.0}


def test_so_ket_covers_semester_one_only(world, plan):
    review = drafting.draft_review(plan, Review.Kind.SO_KET, today=AFTER_THE_YEAR)
    assert review.period_end == dt.date(2026, 1, 17)
    police = _items(review)[world.a.police_item.text]
    assert (police["total"], police["missed"]) == (1, 1)
    assert review.body["targets"][0]["met"] is None  # measured in May: outside the semester


def test_drafting_again_keeps_the_texts_and_recomputes(world, plan):
    review = drafting.draft_review(plan, Review.Kind.TONG_KET, today=AFTER_THE_YEAR)
    review.achievements = "Công đoàn tích cực."
    review.save()
    record_activity(world.a.police_activity, world.a.leader, done_on=dt.date(2025, 10, 20))
    again = drafting.draft_review(plan, Review.Kind.TONG_KET, today=AFTER_THE_YEAR)
    assert again.pk == review.pk and again.achievements == "Công đoàn tích cực."
    assert _items(again)[world.a.police_item.text]["done"] == 1
    assert Review.objects.filter(document=plan).count() == 1


def test_report_renders_to_a_decree_30_docx(world, plan, login):
    client = login(world.a.leader)
    client.post(reverse("reviews:plan-reviews", args=[plan.pk]), {"kind": "tong_ket"})
    review = Review.objects.get(document=plan, kind="tong_ket")
    page = client.get(reverse("reviews:review-edit", args=[review.pk])).content.decode()
    assert world.a.police_item.text in page and "Chưa thực hiện" in page
    client.post(
        reverse("reviews:review-edit", args=[review.pk]),
        {
            "achievements": "Phối hợp tốt với Công đoàn.",
            "shortcomings": "Công an chưa tuyên truyền.",
            "proposals": "Mời Công an tuyên truyền đầu năm.",
        },
    )
    response = client.post(reverse("reviews:review-report", args=[review.pk]))
    review.refresh_from_db()
    report = review.report_document
    assert response.status_code == 302
    assert (report.doc_type, report.parent_id, report.status) == ("bao_cao", plan.pk, "draft")
    assert report.title.startswith("BÁO CÁO Tổng kết năm học 2025-2026")
    download = client.get(reverse("reviews:review-docx", args=[review.pk]))
    assert download.status_code == 200
    docx = Docx(io.BytesIO(b"".join(download.streaming_content)))
    section = docx.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) - Mm(0.1) <= section.top_margin <= Mm(25)
    assert Mm(30) - Mm(0.1) <= section.left_margin <= Mm(35)
    assert Mm(15) - Mm(0.1) <= section.right_margin <= Mm(20)
    normal = docx.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    number_line = docx.tables[0].cell(1, 0).paragraphs[0].text
    # The unit's code, not "Số: /BC" (the blank before the slash is for the number).
    assert " ".join(number_line.split()) == f"Số: /BC-{world.a.unit.code}"
    national = docx.tables[0].cell(0, 1).paragraphs[0]
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert all(run.font.bold for run in national.runs if run.text)
    text = "\n".join(p.text for p in docx.paragraphs)
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "II. ƯU ĐIỂM",
        "III. TỒN TẠI, HẠN CHẾ",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in text
    assert f"{world.a.union_item.text.rstrip('.')}: đã thực hiện 1/1 lần" in text
    assert "ngày 14/10/2025" in text
    assert "Mời Công an tuyên truyền đầu năm." in text


def test_carry_into_next_year_makes_a_draft_with_the_proposals(world, plan, login):
    windowed = f.ItemFactory(
        document=plan,
        position=99,
        text="Ban đại diện cha mẹ học sinh hỗ trợ học sinh khó khăn trong tháng 1/2026.",
        cadence={"text": "trong tháng 1/2026", "count": 1, "at_least": False, "per": "once",
                 "per_subject": None, "anchors": [], "window": {"start": "2026-01", "end": "2026-01"}},
    )  # fmt: skip
    review = drafting.draft_review(plan, Review.Kind.TONG_KET, today=AFTER_THE_YEAR)
    review.proposals = "Tăng cường thăm gia đình học sinh.\n- Mời Công an tuyên truyền sớm."
    review.save()
    client = login(world.a.leader)
    response = client.post(reverse("reviews:review-carry-over", args=[review.pk]))
    following = Document.objects.get(previous=plan)
    assert response.status_code == 302
    assert following.status == "draft" and following.unit == plan.unit
    assert following.title == "KẾ HOẠCH Phối hợp năm học 2026-2027"
    assert (following.start_year, following.end_year) == (2026, 2027)
    section = following.sections.get(heading="Đề xuất từ tổng kết năm trước")
    assert list(section.items.order_by("position").values_list("text", flat=True)) == [
        "Tăng cường thăm gia đình học sinh.",
        "Mời Công an tuyên truyền sớm.",
    ]
    assert following.items.count() == plan.items.count() + 2
    assert following.targets.count() == plan.targets.count()
    moved = following.items.get(text__endswith="trong tháng 1/2027.")  # words and window move on
    assert moved.cadence["window"] == {"start": "2027-01", "end": "2027-01"}
    assert windowed.cadence["window"]["start"] == "2026-01"
    client.post(reverse("reviews:review-carry-over", args=[review.pk]))
    assert Document.objects.filter(previous=plan).count() == 1


def test_plan_without_school_year_says_what_to_do(world):
    with pytest.raises(drafting.DraftingError, match="chưa gắn với năm học"):
        drafting.draft_review(world.b.document, Review.Kind.SO_KET)


def test_office_staff_may_review_a_school_plan(world, plan, login):
    client = login(world.officer)
    assert client.get(reverse("reviews:plan-reviews", args=[plan.pk])).status_code == 200


@pytest.mark.parametrize("who", ["other_school", "sibling_office", "homeroom", "partner"])
def test_others_get_404_on_every_review_view(world, plan, sibling_officer, login, who):
    review = drafting.draft_review(plan, Review.Kind.TONG_KET, today=AFTER_THE_YEAR)
    drafting.write_report(review)
    user = {
        "other_school": world.b.leader,
        "sibling_office": sibling_officer,
        "homeroom": world.a.homeroom,
        "partner": world.a.police_contact,
    }[who]
    client = login(user)
    gets = [
        reverse("reviews:plan-reviews", args=[plan.pk]),
        reverse("reviews:review-edit", args=[review.pk]),
        reverse("reviews:review-docx", args=[review.pk]),
    ]
    posts = gets[:2] + [
        reverse("reviews:review-report", args=[review.pk]),
        reverse("reviews:review-carry-over", args=[review.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"kind": "so_ket", "proposals": "x"}).status_code == 404, url
    assert not Document.objects.filter(previous=plan).exists()


def test_drafting_query_count_does_not_grow_with_records(world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            drafting.draft_review(plan, Review.Kind.TONG_KET, today=AFTER_THE_YEAR)
        return len(queries)

    before = count()
    for n in range(5):
        activity = f.ActivityFactory(item=world.a.union_item, key=f"extra{n}")
        record_activity(
            activity, world.a.clerk, done_on=dt.date(2025, 10, 1 + n), participants=f"Tổ {n}"
        )
    assert count() == before


def test_report_title_cites_an_upper_case_plan_title_in_lower_case(world, plan):
    from phoihop.reviews.drafting import report_title

    plan.title = "KẾ HOẠCH Phối hợp giữa nhà trường và gia đình năm học 2025-2026"
    plan.save(update_fields=["title"])
    review = Review(document=plan, kind=Review.Kind.TONG_KET)
    assert report_title(review) == (
        "BÁO CÁO Tổng kết năm học 2025-2026 thực hiện kế hoạch phối hợp giữa nhà trường và gia "
        "đình năm học 2025-2026"
    )


def test_a_review_drafted_in_vietnamese_reads_in_english(world, plan, login):
    """The review's labels follow the reader's language (issue 18)."""
    review = drafting.draft_review(plan, Review.Kind.TONG_KET, today=AFTER_THE_YEAR)
    assert any(i["status_label"] for s in review.body["sections"] for i in s["items"])
    client = login(world.a.leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reviews:review-edit", args=[review.pk])).content.decode()
    for vietnamese in ("Chưa thực hiện</td>", "Hoàn thành</td>", "Chưa đến hạn</td>"):
        assert vietnamese not in page
    assert "Not done" in page or "Completed" in page or "Not yet due" in page


def test_report_figures_use_the_pages_number_rule():
    """One rule for numbers: 90 and 92,5 in the report as on the pages, never 90.0 (issue 18)."""
    from django.utils import translation

    with translation.override("vi"):
        assert drafting.number_text(90.0) == "90"
        assert drafting.number_text(92.5) == "92,5"
        sentence = drafting.target_sentence(
            {"text": "Tỉ lệ chuyên cần", "goal": "≥ 90 %", "value": 92.5, "verdict": "Đạt"}
        )
    assert "92,5" in sentence and "92.5" not in sentence
