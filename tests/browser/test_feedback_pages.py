"""The feedback pages in the browser: a product manager publishes a status, the public
roadmap shows it; axe finds no serious problems on any of them."""

from __future__ import annotations

import pytest
from taggit.models import Tag

from accounts.roles import PRODUCT_MANAGER
from support.models import FeedbackItem, ProductTeam
from tests.browser.test_accessibility import _serious
from tests.browser.test_journey import _log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_product_manager_publishes_a_status_and_the_roadmap_shows_it(
    live_server, new_page, dialogs, question_factory, user_factory
):
    for name in ("feature-request", "invoices"):
        Tag.objects.get_or_create(name=name, defaults={"slug": name})
    team = ProductTeam.objects.create(name="Invoicing", slug="invoicing", product_tags="invoices")
    pm = user_factory(username="priya", roles=(PRODUCT_MANAGER,))
    team.members.add(pm)
    question = question_factory(
        title="Schedule invoices on the last day of the month", tags=["feature-request", "invoices"]
    )
    item = FeedbackItem.objects.get(question=question)
    base = live_server.url
    page = new_page()
    _log_in(page, base, pm.username, PASSWORD)
    problems = {}
    for path in ("/feedback/", "/feedback/triage/", f"/feedback/items/{item.pk}/"):
        page.goto(f"{base}{path}")
        problems[path] = _serious(page)
    page.get_by_label("Status").select_option(label="Planned")
    page.get_by_label("Public response").fill("Coming in the spring release.")
    page.get_by_role("button", name="Publish status").click()
    page.get_by_text("Status published").wait_for()
    page.goto(f"{base}/feedback/roadmap/")
    page.get_by_role("link", name="Schedule invoices on the last day of the month").wait_for()
    problems["/feedback/roadmap/"] = _serious(page)
    page.goto(f"{base}{question.get_absolute_url()}")
    page.get_by_text("Coming in the spring release.").wait_for()
    problems["question with status"] = _serious(page)
    assert {path: found for path, found in problems.items() if found} == {}
    assert dialogs == []
