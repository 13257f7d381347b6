"""Rate limits by rank (429 with the text kept) and login throttling (django-axes)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_a_new_member_asking_too_fast_gets_429_and_keeps_the_text(client, newcomer, category):
    client.force_login(newcomer)
    for n in range(3):
        data = {"title": f"How do I export invoices number {n}?", "body": "Details of my question here.",
                "category": category.pk, "tags": ""}  # fmt: skip
        assert client.post("/questions/ask/", data).status_code == 302
    data = {"title": "A fourth question in an hour", "body": "Every word of this must come back.",
            "category": category.pk, "tags": ""}  # fmt: skip
    response = client.post("/questions/ask/", data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "faster than your rank allows (3 an hour)" in page
    assert "Every word of this must come back." in page and "A fourth question in an hour" in page


def test_answers_and_flags_are_limited_too_and_established_members_are_not(
    client, newcomer, member, question_factory
):
    question = question_factory()
    client.force_login(newcomer)
    for n in range(10):
        assert (
            client.post(
                f"/questions/{question.pk}/answer/", {"body": f"Answer {n} with enough text."}
            ).status_code
            == 302
        )
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "The eleventh answer, kept."})
    assert response.status_code == 429 and "The eleventh answer, kept." in response.content.decode()
    client.force_login(member)  # a Contributor: no limit
    for n in range(12):
        assert (
            client.post(f"/questions/{question.pk}/answer/", {"body": f"Member answer {n} here."}).status_code
            == 302
        )
    targets = [question_factory() for _ in range(11)]
    client.force_login(newcomer)
    codes = [client.post(f"/questions/{t.pk}/flag/", {"reason": "off_topic"}).status_code for t in targets]
    assert codes[:10] == [302] * 10 and codes[10] == 429


@pytest.mark.parametrize("who", ["support staff", "product manager", "admin", "appointed advocate", "mvp"])
def test_staff_appointed_advocates_and_mvps_are_not_limited_as_new_members(
    client, user_factory, category, who
):
    """An admin posting announcements got a 429 after three questions in an hour."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import ADVOCATE, PRODUCT_MANAGER, SUPPORT_STAFF

    roles = {"support staff": (SUPPORT_STAFF,), "product manager": (PRODUCT_MANAGER,),
             "appointed advocate": (ADVOCATE,)}.get(who, ())  # fmt: skip
    person = user_factory(roles=roles, is_superuser=who == "admin")  # reputation 1: a new member's rank
    if who == "mvp":
        User.objects.filter(pk=person.pk).update(mvp_until=timezone.now() + timedelta(days=30))
    client.force_login(person)
    for n in range(5):
        data = {"title": f"Announcement number {n}: the May release", "body": "What changes in May.",
                "category": category.pk, "tags": ""}  # fmt: skip
        assert client.post("/questions/ask/", data).status_code == 302, n


def test_a_cache_outage_lets_posts_through_and_logs_it(client, newcomer, category, settings, caplog):
    """Rate limits fail open: a cache that is down must not stop the community posting.
    (A real Redis cache backend on a closed port; the service tier stops a real Redis.)"""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    client.force_login(newcomer)
    for n in range(4):
        data = {"title": f"How do I export invoices number {n}?", "body": "Details of my question here.",
                "category": category.pk, "tags": ""}  # fmt: skip
        assert client.post("/questions/ask/", data).status_code == 302
    assert "Rate-limit cache unavailable" in caplog.text


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, member, settings):
    from tests.conftest import PASSWORD

    settings.AXES_ENABLED = True
    cache.clear()
    codes = [
        client.post("/accounts/login/", {"login": member.username, "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last failure locks
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    # Even the right password waits (allauth's own failed-login limit answers first here).
    assert response.status_code == 429 or b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def _lock_out(client, member, settings, **headers):
    settings.AXES_ENABLED = True
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limit aside: axes alone must hold
    cache.clear()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": member.username, "password": "wrong"}, **headers)


def test_the_lockout_holds_even_for_the_right_password(client, member, settings):
    """axes recorded failures under an empty username: after 5 wrong passwords, the right
    one logged in again at once."""
    from axes.models import AccessAttempt

    from tests.conftest import PASSWORD

    _lock_out(client, member, settings)
    assert AccessAttempt.objects.get().username == member.username
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(client, member, settings):
    from tests.conftest import PASSWORD

    settings.ASKWELL_TRUSTED_PROXY_COUNT = 1
    _lock_out(client, member, settings, HTTP_X_FORWARDED_FOR="203.0.113.5")
    locked = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="203.0.113.5")  # fmt: skip
    assert locked.status_code == 429
    # Another customer behind the same proxy is not locked out with the first one.
    other = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD},
                        HTTP_X_FORWARDED_FOR="198.51.100.7")  # fmt: skip
    assert other.status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, member, settings):
    from tests.conftest import PASSWORD

    settings.ASKWELL_TRUSTED_PROXY_COUNT = 0
    _lock_out(client, member, settings, HTTP_X_FORWARDED_FOR="203.0.113.5")
    spoofed = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD},
                          HTTP_X_FORWARDED_FOR="198.51.100.7")  # fmt: skip
    assert spoofed.status_code == 429  # a made-up header does not escape the lockout
