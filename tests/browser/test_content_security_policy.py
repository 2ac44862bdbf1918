"""Under the Content-Security-Policy the pages still work: the language menu, htmx's filters, and
not one violation reported by the browser."""

import os
from pathlib import Path

import pytest
from django.db import connections

from phoihop.units.models import Membership
from tests import factories as f
from tests.browser.conftest import CHROMIUM
from tests.browser.test_home_visit_flow import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_policy_without_a_violation(live_server, browser):
    unit = f.UnitFactory(name="Trường THCS Hoa Sen")
    leader = f.MembershipFactory(unit=unit, role=Membership.Role.LEADER).user
    f.ActivityFactory(item=f.ItemFactory(document=f.DocumentFactory(unit=unit)))
    context = browser.new_context()
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        sign_in(page, live_server.url, leader)
        page.goto(f"{live_server.url}/activities/")
        assert page.evaluate("typeof htmx") == "object"
        with page.expect_response(
            lambda r: "/activities/" in r.url and r.request.is_navigation_request() is False
        ):
            page.locator("form.filters select").first.select_option(index=1)
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")
        # The form posts, then set_language redirects back: wait for the page it lands on.
        page.wait_for_selector("html[lang=en]", state="attached")
        assert page.locator("html").get_attribute("lang") == "en"
        leader.is_staff = leader.is_superuser = True
        leader.save()
        page.goto(f"{live_server.url}/admin/units/unit/")
        page.goto(f"{live_server.url}/admin/units/unit/add/")
        assert page.locator("input[name=name]").count() == 1
        assert violations == []
    finally:
        context.close()
        connections.close_all()
