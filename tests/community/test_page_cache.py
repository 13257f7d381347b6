"""The page cache (community/pagecache.py): a stored page is served to visitors without a
session without touching the database, and to each signed-in member from their own copy
(with their CSRF token and a fresh nonce put in on every serve); every kind of write makes
the next view of every page that shows it current again, anonymous or signed in.

These tests commit (transaction=True): the cache is invalidated after a write commits,
which a test inside a rolled-back transaction never does."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from accounts.ranks import rank_for
from community.actions.answers import accept_answer, edit_answer, post_answer
from community.actions.closing import close_question
from community.actions.comments import add_comment
from community.actions.engagement import toggle_me_too
from community.actions.questions import edit_question
from community.actions.reputation import adjust_reputation
from community.actions.soft_delete import withdraw
from community.actions.votes import cast_vote
from community.models import Answer, Question

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings: Any) -> None:
    settings.COMMUNITY_PAGE_CACHE_SECONDS = 120
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache-tests"},
    }
    from django.core.cache import caches

    caches["pages"].clear()


def anonymous_get(url: str, **headers: Any) -> Any:
    response = Client().get(url, headers=headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return response


def served_from_cache(url: str) -> bool:
    return anonymous_get(url).get("X-Page-Cache") == "hit"


@pytest.fixture
def thread(question_factory: Callable[..., Question], member: Any, other_member: Any) -> dict[str, Any]:
    question = question_factory(author=member, title="Why does the invoice export stall at 99 percent?")
    answer = post_answer(question, author=other_member, body="Clear the export queue, then retry it.")
    return {"question": question, "answer": answer, "asker": member, "answerer": other_member}


def pages_of(question: Question) -> list[str]:
    return [question.get_absolute_url(), "/questions/?sort=active", "/tags/billing/", "/"]


def test_a_second_anonymous_view_is_served_from_the_cache_without_a_query(thread: dict[str, Any]) -> None:
    for url in pages_of(thread["question"]):
        first = anonymous_get(url)
        assert first["X-Page-Cache"] == "miss", url
        with CaptureQueriesContext(connection) as queries:
            again = anonymous_get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert len(queries) == 0, (url, [q["sql"] for q in queries])
        assert again.content == first.content


def test_an_anonymous_page_sets_no_cookie_and_does_not_vary_on_cookies(thread: dict[str, Any]) -> None:
    url = thread["question"].get_absolute_url()
    for response in (anonymous_get(url), anonymous_get(url)):
        assert not response.cookies, response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert "no-cache" in response["Cache-Control"]
        assert response["ETag"]
        assert response["Content-Security-Policy"]


def test_a_matching_etag_gets_a_304(thread: dict[str, Any]) -> None:
    url = thread["question"].get_absolute_url()
    etag = anonymous_get(url)["ETag"]
    again = anonymous_get(url, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    cast_vote(thread["answer"], by=thread["asker"], value=1)
    assert anonymous_get(url, if_none_match=etag).status_code == 200


def test_a_member_never_gets_the_visitors_copy_nor_visitors_the_members(thread: dict[str, Any]) -> None:
    url = thread["question"].get_absolute_url()
    member = Client()
    member.force_login(thread["answerer"])  # a write (last_login): before the page is stored
    anonymous_get(url)
    signed_in = member.get(url)
    assert signed_in["X-Page-Cache"] == "miss"  # their own copy, made now
    assert b"Sign out" in signed_in.content or b"Log out" in signed_in.content
    anonymous = anonymous_get(url)
    assert anonymous["X-Page-Cache"] == "hit"
    assert b'href="/accounts/login/">Log in' in anonymous.content
    assert b"Sign out" not in anonymous.content and b"Log out" not in anonymous.content


def test_a_page_with_a_form_for_the_visitor_is_not_stored(thread: dict[str, Any], advocate: Any) -> None:
    """The article page has the "Was this helpful?" form, with the visitor's CSRF token."""
    from community.actions.articles import ArticleDraft, capture_article, default_review_date

    accept_answer(thread["answer"], by=thread["asker"])
    draft = ArticleDraft(
        title="Exporting invoices", summary="How.", body="Clear the queue.", tags=["billing"],
        review_by=default_review_date(),
    )  # fmt: skip
    url = capture_article(
        Question.objects.get(pk=thread["question"].pk), by=advocate, draft=draft
    ).get_absolute_url()
    first = anonymous_get(url)
    assert b"csrfmiddlewaretoken" in first.content
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in anonymous_get(url)


def test_the_csp_nonce_is_new_on_every_serve(member: Any) -> None:
    adjust_reputation(member, points=40, source_key="chart")  # the profile's chart has a <style nonce>
    url = f"/users/{member.username}/"
    first, second = anonymous_get(url), anonymous_get(url)
    assert second["X-Page-Cache"] == "hit"
    nonces = []
    for response in (first, second):
        header = response["Content-Security-Policy"]
        nonce = header.split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"'.encode() in response.content
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


# --- Every kind of write: the next anonymous view of every page that shows it -----------


def _new_answer_through_the_site(t: dict[str, Any]) -> tuple[str, list[int]]:
    client = Client()
    client.force_login(t["asker"])  # the asker answers their own question with what worked
    body = "Restarting the browser tab fixed the stalled export."
    assert client.post(f"/questions/{t['question'].pk}/answer/", {"body": body}).status_code == 302
    return body, [0]  # and the lists show "2 answers" (checked below)


def _vote(t: dict[str, Any]) -> tuple[str, list[int]]:
    cast_vote(t["question"], by=t["answerer"], value=1)
    return "<strong>1</strong> votes", [1, 2, 3]


def _accept(t: dict[str, Any]) -> tuple[str, list[int]]:
    accept_answer(t["answer"], by=t["asker"])
    return "Solved", [0, 1, 2, 3]


def _edit_question(t: dict[str, Any]) -> tuple[str, list[int]]:
    question = Question.objects.get(pk=t["question"].pk)
    edit_question(
        question,
        by=t["asker"],
        title="Why does the invoice export stall at the very end?",
        body=question.body,
        category=question.category,
        tags=["billing", "export"],
    )
    return "stall at the very end", [0, 1, 2, 3]


def _edit_answer(t: dict[str, Any]) -> tuple[str, list[int]]:
    edit_answer(t["answer"], by=t["answerer"], body="Clear the export queue in Settings, then retry it.")
    return "export queue in Settings", [0]


def _delete_answer(t: dict[str, Any]) -> tuple[str, list[int]]:
    withdraw(Answer.objects.get(pk=t["answer"].pk), by=t["answerer"])
    return "<strong>0</strong> answers", [1, 2, 3]


def _comment(t: dict[str, Any]) -> tuple[str, list[int]]:
    add_comment(t["question"], author=t["answerer"], body="Which browser are you using for this?")
    return "Which browser are you using", [0]


def _close(t: dict[str, Any]) -> tuple[str, list[int]]:
    from accounts.models import User

    moderator = User.objects.create_superuser("closer", "closer@example.com", "x")
    close_question(Question.objects.get(pk=t["question"].pk), by=moderator, reason="off_topic")
    return "Closed", [0, 1, 2, 3]


def _retag(t: dict[str, Any]) -> tuple[str, list[int]]:
    Tag.objects.get_or_create(name="invoices", defaults={"slug": "invoices"})
    question = Question.objects.get(pk=t["question"].pk)
    edit_question(
        question, by=t["asker"], title=question.title, body=question.body, category=question.category,
        tags=["invoices", "export"],
    )  # fmt: skip
    return 'href="/tags/invoices/"', [0, 1, 3]


def _me_too(t: dict[str, Any]) -> tuple[str, list[int]]:
    toggle_me_too(Question.objects.get(pk=t["question"].pk), user=t["answerer"])
    return "1 have this too", [1, 2, 3]


def _rank_change(t: dict[str, Any]) -> tuple[str, list[int]]:
    answerer = t["answerer"]
    before = rank_for(answerer.reputation)
    adjust_reputation(answerer, points=5000, source_key="rank-change")
    answerer.refresh_from_db()
    after = rank_for(answerer.reputation)
    assert after != before
    return f"{after.name} · {answerer.reputation}", [0]


WRITES = {
    "new answer": _new_answer_through_the_site,
    "vote": _vote,
    "accept": _accept,
    "edit question": _edit_question,
    "edit answer": _edit_answer,
    "delete answer": _delete_answer,
    "comment": _comment,
    "close": _close,
    "tag change": _retag,
    "me too": _me_too,
    "rank change of an author": _rank_change,
}


@pytest.mark.parametrize("kind", list(WRITES))
def test_every_kind_of_write_shows_on_the_next_anonymous_view(thread: dict[str, Any], kind: str) -> None:
    urls = pages_of(thread["question"])
    for url in urls:
        anonymous_get(url)
        assert served_from_cache(url), url
    expected, shown_on = WRITES[kind](thread)
    for index in shown_on:
        response = Client().get(urls[index], follow=True)  # an edited title moves the page (301)
        assert response["X-Page-Cache"] == "miss", (kind, urls[index])
        assert expected.encode() in response.content, (kind, urls[index])
    if kind == "new answer":
        assert b"<strong>2</strong> answers" in anonymous_get(urls[1]).content


def test_a_new_question_shows_on_the_list_tag_page_and_search(
    thread: dict[str, Any], question_factory: Callable[..., Question]
) -> None:
    urls = ["/questions/", "/tags/billing/", "/", "/search/?q=reconciliation"]
    for url in urls:
        anonymous_get(url)
    question_factory(title="Bank reconciliation report is missing a day")
    for url in urls:
        assert b"report is missing a day" in anonymous_get(url).content, url  # search marks the match


def test_a_search_that_fails_is_not_stored(thread: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    settings.COMMUNITY_SEARCH_INDEX_DIR = tmp_path / "no-index-here"
    response = anonymous_get("/search/?q=export")
    assert b"Search is unavailable" in response.content
    assert "X-Page-Cache" not in response


def test_an_anonymous_visitor_with_a_session_is_served_the_live_page(thread: dict[str, Any]) -> None:
    url = thread["question"].get_absolute_url()
    anonymous_get(url)
    client = Client()
    client.cookies["sessionid"] = "not-a-session"
    assert "X-Page-Cache" not in client.get(url)


# --- Signed-in members' own copies --------------------------------------------------

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def signed_in(user: Any, **options: Any) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def test_a_members_second_view_is_their_stored_copy(thread: dict[str, Any]) -> None:
    client = signed_in(thread["answerer"])
    for url in pages_of(thread["question"]):
        first = client.get(url)
        assert first["X-Page-Cache"] == "miss", url
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        # The session and the member are read (to know whose copy); the page is not made.
        assert len(queries) <= 2, (url, [q["sql"] for q in queries])
        assert thread["answerer"].username.encode() in again.content
        assert "private" in again["Cache-Control"] and "no-cache" in again["Cache-Control"]
        strip = [TOKEN.sub(b"", r.content) for r in (first, again)]
        assert strip[0] == strip[1], url


def test_one_members_copy_is_never_served_to_another(thread: dict[str, Any]) -> None:
    url = thread["question"].get_absolute_url()
    asker, answerer = signed_in(thread["asker"]), signed_in(thread["answerer"])
    assert answerer.get(url)["X-Page-Cache"] == "miss"
    assert answerer.get(url)["X-Page-Cache"] == "hit"
    theirs = asker.get(url)
    assert theirs["X-Page-Cache"] == "miss"
    assert thread["asker"].username.encode() in theirs.content
    # A new session of the same member is a new copy too.
    assert signed_in(thread["answerer"]).get(url)["X-Page-Cache"] == "miss"


def test_the_token_in_a_stored_copy_is_the_readers_own_and_works(thread: dict[str, Any]) -> None:
    client = signed_in(thread["asker"], enforce_csrf_checks=True)
    url = thread["question"].get_absolute_url()
    client.get(url)
    served = client.get(url)
    assert served["X-Page-Cache"] == "hit"
    assert b"\x00" not in served.content
    token = TOKEN.search(served.content).group(1).decode()
    answer = thread["answer"]
    response = client.post(
        f"/answers/{answer.pk}/vote/", {"direction": "up", "csrfmiddlewaretoken": token}, HTTP_REFERER=url
    )
    assert response.status_code in (200, 302), response.status_code
    assert Answer.objects.get(pk=answer.pk).score == 1
    # The vote is a write: the next view is made anew and shows it.
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("kind", list(WRITES))
def test_every_kind_of_write_shows_on_a_members_next_view(thread: dict[str, Any], kind: str) -> None:
    reader = signed_in(thread["answerer"])
    urls = pages_of(thread["question"])
    for url in urls:
        reader.get(url)
        assert reader.get(url)["X-Page-Cache"] == "hit", url
    expected, shown_on = WRITES[kind](thread)
    for index in shown_on:
        response = reader.get(urls[index], follow=True)
        assert response["X-Page-Cache"] == "miss", (kind, urls[index])
        assert expected.encode() in response.content, (kind, urls[index])


def test_a_flash_message_is_shown_once_never_from_a_copy(thread: dict[str, Any]) -> None:
    client = signed_in(thread["answerer"])
    url = thread["question"].get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    # A message waiting in its cookie, as a view leaves it before a redirect.
    storage = CookieStorage(HttpRequest())
    waiting = [Message(constants.SUCCESS, "Saved just now.")]
    client.cookies[CookieStorage.cookie_name] = storage._encode(waiting)
    shown = client.get(url)
    assert b"Saved just now." in shown.content
    assert "X-Page-Cache" not in shown
    later = client.get(url)
    assert b"Saved just now." not in later.content
    assert later["X-Page-Cache"] == "hit"


def test_htmx_requests_and_pages_not_marked_stored_are_made_each_time(thread: dict[str, Any]) -> None:
    client = signed_in(thread["answerer"])
    url = thread["question"].get_absolute_url()
    client.get(url)
    assert "X-Page-Cache" not in client.get(url, headers={"HX-Request": "true"})
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/notifications/")


def test_a_matching_etag_gets_a_304_for_a_member(thread: dict[str, Any]) -> None:
    client = signed_in(thread["answerer"])
    url = thread["question"].get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
