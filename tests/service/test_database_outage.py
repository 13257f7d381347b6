"""PostgreSQL going away under a real gunicorn (a proxy in front of it is cut, then
restored): every page answers a clear 503 at once, a refused post shows the text that was
sent, /health/ says the database is down, and the site works again once it is back."""

from __future__ import annotations

import json

import pytest

from community.models import Question
from tests.conftest import PASSWORD
from tests.service.serving import Browser, site_on_a_cuttable_database, with_real_password

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_a_database_outage_is_a_clear_503_and_the_site_comes_back(member, category, tmp_path):
    with site_on_a_cuttable_database(tmp_path) as (outage, base):
        browser = Browser(base)
        with_real_password(member, PASSWORD)
        login = browser.log_in(member.username, PASSWORD)
        assert login.status == 302, login.body[login.body.find("<main") :][:3000]
        assert browser.get("/questions/").status == 200
        outage.cut()
        page = browser.get("/questions/")
        assert page.status == 503 and "database is not answering" in page.body
        assert page.headers["Retry-After"] == "30"
        data = {"title": "Bank feed stopped on Monday", "body": "No new transactions since Monday morning.",
                "category": str(category.pk), "tags": ""}  # fmt: skip
        refused = browser.post("/questions/ask/", data)
        assert refused.status == 503 and data["body"] in refused.body, (
            refused.headers,
            (tmp_path / "web.log").read_text()[-3000:],
        )
        health = Browser(base).get("/health/")  # as the orchestrator asks: no session
        assert health.status == 503 and not json.loads(health.body)["checks"]["database"]["ok"]
        outage.restore()
        assert browser.get("/questions/").status == 200
        assert browser.post("/questions/ask/", data).status == 302
    assert Question.objects.filter(title=data["title"]).count() == 1
