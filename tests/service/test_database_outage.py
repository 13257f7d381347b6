"""PostgreSQL going away under a real gunicorn (a proxy in front of it is cut, then
restored): every page answers a clear 503 at once, a refused post shows the text that was
sent, /health/ says the database is down, and the site works again once it is back."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings

from community.models import Question
from tests.conftest import PASSWORD
from tests.service.proxy import Outage
from tests.service.serving import Browser, database_url, web_process, with_real_password

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_a_database_outage_is_a_clear_503_and_the_site_comes_back(member, category, tmp_path):
    with (
        Outage(int(django_settings.DATABASES["default"]["PORT"] or 5432)) as outage,
        web_process(tmp_path, DATABASE_URL=database_url(outage.port)) as base,
    ):
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
