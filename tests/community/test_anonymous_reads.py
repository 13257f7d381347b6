"""Most visitors arrive anonymously from a search engine, read one page and leave: their
GETs write nothing (no session, no deflection row) and pages with no form for them set no
cookie."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.actions.answers import accept_answer
from community.actions.articles import ArticleDraft, capture_article, default_review_date
from community.models import DeflectionEvent

pytestmark = pytest.mark.django_db
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def pages(question_factory, answer_factory, member, support_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # indexed, for the similar-question hints
        question = question_factory(title="Invoice export gives blank pages", tags=["billing"], author=member)
        answer = answer_factory(question=question, body="Clear the export cache, then export again.")
        accept_answer(answer, by=member)
    draft = ArticleDraft(title="Blank invoice exports", summary="Clear the export cache.",
                         body=answer.body, tags=["billing"], review_by=default_review_date())  # fmt: skip
    article = capture_article(question, by=support_agent, draft=draft)
    return [
        "/",
        "/questions/",
        "/questions/?sort=newest&tag=billing",
        question.get_absolute_url(),
        "/tags/",
        "/tags/billing/",
        "/search/?q=invoice+export",
        "/questions/similar/?title=invoice+export+blank",
        "/articles/",
        article.get_absolute_url(),
        f"/users/{member.username}/",
        "/leaderboard/",
        "/badges/",
        "/feedback/roadmap/",
    ]


def test_anonymous_gets_write_nothing_to_the_database(client, pages):
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        if "similar" in url:
            assert b"/from-hint/" in response.content  # hints were shown
        writes = [q["sql"][:120] for q in queries if WRITES.match(q["sql"])]
        assert not writes, (url, writes)
    assert not DeflectionEvent.objects.exists()


def test_pages_without_a_form_for_the_visitor_set_no_cookie(client, pages):
    for url in pages:
        response = client.get(url)
        has_form = 'method="post"' in response.content.decode()
        assert has_form or "csrftoken" not in response.cookies, url
        assert "sessionid" not in response.cookies, url


def test_an_anonymous_visitor_with_a_session_is_counted_without_a_new_one(client, pages):
    from django.contrib.sessions.models import Session

    client.session.save()  # a visitor who already sent a form (an article rating, a login)
    sessions = Session.objects.count()
    assert b"/from-hint/" in client.get("/questions/similar/?title=invoice+export+blank").content
    assert DeflectionEvent.objects.filter(session_key=client.session.session_key).exists()
    assert Session.objects.count() == sessions
