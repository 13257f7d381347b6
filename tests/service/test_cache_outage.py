"""A real Redis cache of the test's own (another port, never the machine's), stopped and
started by the test: logins, pages and posts keep working while it is down, /health/
says so, and the cache is used again once it is back."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from django.core.cache import caches

from tests.conftest import PASSWORD
from tests.service.together import free_port, redis_cache, start_redis

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_a_redis_cache_outage_keeps_logins_pages_and_posts_working(
    client, member, category, settings, tmp_path
):
    port = free_port()
    settings.CACHES = redis_cache(port)
    server = start_redis(port, tmp_path)
    try:
        assert json.loads(client.get("/health/").content)["checks"]["cache"]["ok"]
        server.terminate()
        server.wait(timeout=10)
        started = time.monotonic()
        response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
        assert response.status_code == 302 and time.monotonic() - started < 10
        data = {"title": "Bank feed stopped during the outage", "body": "No transactions since Monday.",
                "category": category.pk, "tags": ""}  # fmt: skip
        assert client.post("/questions/ask/", data).status_code == 302
        assert client.get("/questions/").status_code == 200
        report = client.get("/health/")
        assert report.status_code == 503 and not json.loads(report.content)["checks"]["cache"]["ok"]
        server = start_redis(port, tmp_path)  # back again
        caches["default"].set("askwell:probe", "back", 30)
        assert caches["default"].get("askwell:probe") == "back"
        assert json.loads(client.get("/health/").content)["checks"]["cache"]["ok"]
    finally:
        server.terminate()
        server.wait(timeout=10)
