"""/health/: 200 and a JSON report when every dependency answers, 503 naming the one that
does not (the cache, the broker, the search index, beat), and no secrets in it."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from community.actions.health import alert_if_outbox_stuck, beat_ran
from community.actions.search import rebuild
from community.models import OutboxItem

pytestmark = pytest.mark.django_db
DOWN_REDIS = "redis://:s3cret-password@127.0.0.1:1/0"  # a closed port, and a password that must not show


@pytest.fixture
def healthy(settings):
    rebuild()  # the index exists
    beat_ran()


def test_all_well_is_200_with_every_check(client, healthy):
    response = client.get("/health/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    report = json.loads(response.content)
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache", "broker", "search", "beat", "outbox"}


def test_a_cache_that_is_down_is_a_503_naming_it_without_secrets(client, healthy, settings):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DOWN_REDIS}
    settings.CACHES = {**settings.CACHES, "default": redis}
    response = client.get("/health/")
    report = json.loads(response.content)
    assert response.status_code == 503 and not report["checks"]["cache"]["ok"]
    assert report["checks"]["database"]["ok"]
    assert "s3cret" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_a_broker_that_is_down_is_a_503(client, healthy):
    from config.celery import app

    before = app.conf.broker_write_url, app.conf.broker_url
    app.conf.broker_write_url = app.conf.broker_url = DOWN_REDIS
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_write_url, app.conf.broker_url = before
    report = json.loads(response.content)
    assert response.status_code == 503 and not report["checks"]["broker"]["ok"]
    assert "s3cret" not in response.content.decode()


def test_a_missing_index_and_a_silent_beat_are_503(client, settings):
    response = client.get("/health/")
    report = json.loads(response.content)
    assert response.status_code == 503
    assert not report["checks"]["search"]["ok"] and not report["checks"]["beat"]["ok"]
    assert "has not run" in report["checks"]["beat"]["detail"]


def test_stuck_outbox_rows_are_reported_logged_and_mailed_once_an_hour(client, healthy, settings, caplog):
    from django.core import mail

    settings.ADMINS = [("Ops", "ops@example.com")]
    old = timezone.now() - timezone.timedelta(hours=1)
    OutboxItem.objects.create(topic="search.index", payload={}, created_at=old, available_at=old)
    assert alert_if_outbox_stuck() == 1 and alert_if_outbox_stuck() == 1
    assert "still pending" in caplog.text
    assert [m.to for m in mail.outbox] == [["ops@example.com"]]  # once, not every minute
    report = json.loads(client.get("/health/").content)
    assert not report["checks"]["outbox"]["ok"]


def test_with_the_cache_down_logins_and_posts_still_work(client, member, newcomer, category, settings):
    """With broker and cache on one Redis, an outage answered every log-in with a 500."""
    from tests.conftest import PASSWORD

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "config.cache.ResilientRedisCache",
                       "LOCATION": DOWN_REDIS, "OPTIONS": {"socket_connect_timeout": 1}}}  # fmt: skip
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.force_login(newcomer)
    data = {"title": "Bank feed stopped after the update", "body": "No transactions since Monday.",
            "category": category.pk, "tags": ""}  # fmt: skip
    assert client.post("/questions/ask/", data).status_code == 302
    assert client.get("/").status_code == 200
    assert json.loads(client.get("/health/").content)["checks"]["cache"]["ok"] is False
