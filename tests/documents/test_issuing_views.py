"""The issuing pages: steps as POST buttons, DOCX/PDF downloads, the check, and receipts."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from phoihop.core.lint import lint
from phoihop.core.render import RenderError
from phoihop.core.render.pdf import find_font_files
from phoihop.documents import issuing_views
from phoihop.documents.models import Acknowledgement, Document, Recipient, Signer
from phoihop.documents.plan_dict import document_to_plan
from tests import factories as f

pytestmark = pytest.mark.django_db


def urls(document):
    return {
        "submit": ("post", reverse("documents:document-transition", args=[document.pk, "submit"])),
        "docx": ("get", reverse("documents:document-docx", args=[document.pk])),
        "pdf": ("get", reverse("documents:document-pdf", args=[document.pk])),
        "lint": ("get", reverse("documents:document-lint", args=[document.pk])),
        "acknowledge": ("post", reverse("documents:document-acknowledge", args=[document.pk])),
    }


def step(client, document, name):
    """The step's button; issuing and superseding are pressed on their confirmation page."""
    url = reverse("documents:document-transition", args=[document.pk, name])
    return client.post(url, {"confirm": "1"})


def issue(world, client_for):
    """Submit, approve and issue school A's document through the pages."""
    leader = client_for(world.a.leader)
    for name in ("submit", "approve", "issue"):
        assert step(leader, world.a.document, name).status_code == 302
    world.a.document.refresh_from_db()
    return world.a.document


@pytest.fixture
def client_for(client):
    def _client(user):
        client.force_login(user)
        return client

    return _client


@pytest.mark.parametrize("page", ["submit", "docx", "pdf", "lint", "acknowledge"])
def test_another_units_user_gets_404(world, login, page):
    method, url = urls(world.a.document)[page]
    client = login(world.b.leader)
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("page", ["docx", "pdf", "lint"])
def test_partner_not_named_in_the_document_gets_404(world, login, page):
    method, url = urls(world.a.document)[page]
    assert getattr(login(world.a.health_contact), method)(url).status_code == 404


def test_steps_are_post_buttons_for_the_roles_that_may_take_them(world, login):
    detail = reverse("documents:document-detail", args=[world.a.document.pk])
    body = login(world.a.leader).get(detail).content.decode()
    assert "Trình duyệt" in body and "Tải DOCX" in body and "Kiểm tra văn bản" in body
    # A partner reads the plan (and downloads it) once it is issued; a draft is a 404 for them.
    assert login(world.a.police_contact).get(detail).status_code == 404
    Document.objects.filter(pk=world.a.document.pk).update(status=Document.Status.ISSUED)
    body = login(world.a.police_contact).get(detail).content.decode()
    assert "Trình duyệt" not in body and "Kiểm tra văn bản" not in body
    assert "Tải DOCX" in body


def test_workflow_through_the_pages(world, login):
    client = login(world.a.leader)
    submit = reverse("documents:document-transition", args=[world.a.document.pk, "submit"])
    assert client.get(submit).status_code == 405
    response = client.post(submit, follow=True)
    assert "Đã trình duyệt văn bản." in response.content.decode()
    document = issue_rest(world, client)
    assert document.status == Document.Status.ISSUED and document.number == 1


def issue_rest(world, client):
    for name in ("approve", "issue"):
        assert step(client, world.a.document, name).status_code == 302
    world.a.document.refresh_from_db()
    return world.a.document


def test_a_step_without_the_role_is_403(world, login):
    step(login(world.a.homeroom), world.a.document, "submit")
    assert step(login(world.a.homeroom), world.a.document, "approve").status_code == 403
    world.a.document.refresh_from_db()
    assert world.a.document.status == Document.Status.SUBMITTED


def test_a_stale_step_says_why(world, login):
    response = step(login(world.a.leader), world.a.document, "issue")
    assert response.status_code == 302
    body = login(world.a.leader).get(response["Location"]).content.decode()
    assert "Không thể" in body


def test_docx_download_opens_with_python_docx(world, client_for):
    from docx import Document as Docx

    world.a.unit.code = "THCSA"
    world.a.unit.save()
    document = issue(world, client_for)
    response = client_for(world.a.leader).get(
        reverse("documents:document-docx", args=[document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="01-KH-THCSA.docx"' in response["Content-Disposition"]
    docx = Docx(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in docx.paragraphs)
    text += "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "Số: 01/KH-THCSA" in text
    assert world.a.union_item.text in text
    assert world.office.name.upper() in text  # the issuer's superior, from the parent unit


def test_partner_download_holds_only_its_items(world, login, published):
    from docx import Document as Docx

    response = login(world.a.police_contact).get(
        reverse("documents:document-docx", args=[world.a.document.pk])
    )
    assert response.status_code == 200
    docx = Docx(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert world.a.police_item.text in text
    assert world.a.union_item.text not in text


def test_pdf_without_its_dependencies_is_a_clear_503(world, login, monkeypatch):
    def missing(plan, **kwargs):
        raise RenderError("Không tạo được PDF: máy chủ chưa cài thư viện WeasyPrint.")

    monkeypatch.setattr(issuing_views, "render_pdf", missing)
    response = login(world.a.leader).get(
        reverse("documents:document-pdf", args=[world.a.document.pk])
    )
    assert response.status_code == 503
    body = response.content.decode()
    assert "Chưa tạo được PDF" in body and "WeasyPrint" in body and "Traceback" not in body


PDF_READY = importlib.util.find_spec("weasyprint") is not None and find_font_files() is not None


@pytest.mark.skipif(not PDF_READY, reason="WeasyPrint or a Times-compatible font is not installed")
@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
def test_pdf_download_has_the_decree_30_header_layout(world, client_for, tmp_path):
    Signer.objects.create(document=world.a.document, title="HIỆU TRƯỞNG", name="Bùi Thanh Hà")
    document = issue(world, client_for)
    response = client_for(world.a.leader).get(reverse("documents:document-pdf", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    words = _words(pdf)
    page_width = 595.3  # A4 in points
    left, right = 30 / 25.4 * 72, page_width - 15 / 25.4 * 72  # the decree's side margins
    middle = (left + right) / 2

    nation = words["CỘNG"][0]
    issuer = words["TRƯỜNG"][0]
    superior = words["SỞ"][0]
    number = words["Số:"][0]
    date = words["ngày"][0]
    doc_type = words["KẾ"][0]
    # Two columns: the issuing body on the left, the national title on the right, same top line.
    assert superior["x1"] < middle < nation["x0"] + 40
    assert abs(superior["y0"] - nation["y0"]) < 2
    assert issuer["y0"] > superior["y0"]
    assert words["Độc"][0]["y0"] > nation["y0"] and words["Độc"][0]["x0"] > middle - 40
    # Number line under the issuer on the left; place and date on the same line, on the right.
    assert number["x1"] < middle and number["y0"] > issuer["y0"]
    assert date["x0"] > middle - 20 and abs(date["y0"] - number["y0"]) < 3
    # Then the document type, centred on the text block, below the header.
    assert doc_type["y0"] > number["y0"]
    assert abs((doc_type["x0"] + words["HOẠCH"][0]["x1"]) / 2 - middle) < 10


def _words(pdf) -> dict[str, list[dict]]:
    """Words of the first page with their boxes (points, y downwards), from ``pdftotext -bbox``."""
    import re

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words: dict[str, list[dict]] = {}
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    for x0, y0, x1, y1, text in re.findall(pattern, html):
        box = {"x0": float(x0), "y0": float(y0), "x1": float(x1), "y1": float(y1)}
        words.setdefault(text, []).append(box)
    return words


def test_lint_page_lists_the_findings(world, login):
    document = world.a.document
    Recipient.objects.create(document=document, name="Phòng GD&ĐT", purpose="bao_cao")
    document.title = "Kế hoạch phối hợp năm học 2020-2021"
    document.period_text, document.start_year, document.end_year = "2025-2026", 2025, 2026
    document.save()
    response = login(world.a.leader).get(reverse("documents:document-lint", args=[document.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    findings = lint(document_to_plan(document))
    assert any(f.rule == "school_year" for f in findings)
    for finding in findings:
        for text in (finding.rule, finding.place, finding.text, finding.suggestion):
            assert _escaped(text) in body


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def test_recipient_acknowledges_and_the_manager_sees_it(world, login):
    Recipient.objects.create(document=world.a.document, name=world.office.name, purpose="bao_cao")
    client = login(world.a.leader)
    issue_all = [step(client, world.a.document, n) for n in ("submit", "approve", "issue")]
    assert all(r.status_code == 302 for r in issue_all)
    detail = reverse("documents:document-detail", args=[world.a.document.pk])

    partner = login(world.a.police_contact)
    inbox = partner.get(reverse("documents:acknowledgement-list")).content.decode()
    assert world.a.document.title in inbox and "Đã nhận" in inbox
    assert "Đã nhận" in partner.get(detail).content.decode()
    acknowledge = reverse("documents:document-acknowledge", args=[world.a.document.pk])
    assert partner.post(acknowledge).status_code == 302
    ack = Acknowledgement.objects.get(document=world.a.document, user=world.a.police_contact)
    assert ack.acknowledged_at is not None

    body = login(world.a.leader).get(detail).content.decode()
    assert "Xác nhận đã nhận" in body
    assert world.a.police_contact.get_full_name() in body
    assert "Chưa xác nhận" in body  # the office's leader has not confirmed yet


def test_user_without_a_notification_cannot_acknowledge(world, login):
    acknowledge = reverse("documents:document-acknowledge", args=[world.a.document.pk])
    assert login(world.a.homeroom).post(acknowledge).status_code == 404


def confirm_url(document, name="issue"):
    return reverse("documents:document-confirm-step", args=[document.pk, name])


def test_issuing_asks_for_confirmation_with_the_number_it_will_take(world, login):
    client = login(world.a.leader)
    for name in ("submit", "approve"):
        step(client, world.a.document, name)
    url = reverse("documents:document-transition", args=[world.a.document.pk, "issue"])
    response = client.post(url)  # the toolbar's button, without the confirmation
    assert response["Location"] == confirm_url(world.a.document)
    world.a.document.refresh_from_db()
    assert world.a.document.number is None and world.a.document.status == "approved"
    page = client.get(confirm_url(world.a.document)).content.decode()
    assert "01/KH" in page and "Ban hành và lấy số" in page
    assert step(client, world.a.document, "issue").status_code == 302
    world.a.document.refresh_from_db()
    assert world.a.document.number_line.startswith("01/KH")


def test_an_empty_or_unsigned_template_document_is_not_issued(world, login):
    document = f.DocumentFactory(unit=world.a.unit, status=Document.Status.APPROVED)
    client = login(world.a.leader)
    page = client.get(confirm_url(document)).content.decode()
    assert "chưa có nội dung phối hợp nào" in page and "Ban hành và lấy số" not in page
    response = step(client, document, "issue")
    assert "Chưa ban hành được" in client.get(response["Location"]).content.decode()
    f.ItemFactory(document=document, text="Công an phường tuyên truyền an toàn giao thông.")
    Signer.objects.create(document=document, title="HIỆU TRƯỞNG", name="(họ và tên)")
    page = client.get(confirm_url(document)).content.decode()
    assert "chỗ trống của mẫu" in page and "Ban hành và lấy số" not in page
    step(client, document, "issue")
    document.refresh_from_db()
    assert document.number is None and document.status == Document.Status.APPROVED


def test_superseding_asks_for_confirmation(world, login):
    Document.objects.filter(pk=world.a.document.pk).update(status=Document.Status.IN_FORCE)
    client = login(world.a.leader)
    url = reverse("documents:document-transition", args=[world.a.document.pk, "supersede"])
    assert client.post(url)["Location"] == confirm_url(world.a.document, "supersede")
    world.a.document.refresh_from_db()
    assert world.a.document.status == Document.Status.IN_FORCE
    assert (
        "không quay lại được"
        in client.get(confirm_url(world.a.document, "supersede")).content.decode()
    )


def test_confirmation_page_is_refused_to_others(world, login):
    Document.objects.filter(pk=world.a.document.pk).update(status=Document.Status.APPROVED)
    assert login(world.b.leader).get(confirm_url(world.a.document)).status_code == 404
    assert login(world.a.homeroom).get(confirm_url(world.a.document)).status_code == 403
    assert login(world.officer).get(confirm_url(world.a.document)).status_code == 403
    bare = reverse("documents:document-transition", args=[world.a.document.pk, "issue"])
    assert login(world.a.homeroom).post(bare).status_code == 403


def test_downloads_of_a_draft_say_du_thao_and_of_an_issued_document_do_not(world, login):
    from docx import Document as Docx

    client = login(world.a.leader)

    def first_line():
        response = client.get(reverse("documents:document-docx", args=[world.a.document.pk]))
        return Docx(io.BytesIO(b"".join(response.streaming_content))).paragraphs[0].text

    assert first_line() == "DỰ THẢO"
    for name in ("submit", "approve", "issue"):
        step(client, world.a.document, name)
    assert first_line() != "DỰ THẢO"
