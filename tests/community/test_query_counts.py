"""A page's query count does not grow with its items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.actions.comments import add_comment
from community.actions.votes import cast_vote

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _thread_with_answers(question, n: int, user_factory, answer_factory, viewer):
    for i in range(n):
        answer = answer_factory(
            question=question, author=user_factory(), body=f"Answer number {i} with details."
        )
        cast_vote(answer, by=viewer, value=1 if i % 2 else -1)
        cast_vote(answer, by=user_factory(reputation=200), value=1)
        add_comment(answer, author=user_factory(reputation=50), body=f"Comment {i}")
    add_comment(question, author=user_factory(reputation=50), body="A comment on the question")


@pytest.mark.parametrize("n", [1, 30])
def test_the_question_page_query_count_does_not_grow_with_answers(
    client, question_factory, user_factory, answer_factory, n
):
    viewer = user_factory(reputation=200)
    question = question_factory()
    cast_vote(question, by=viewer, value=1)
    _thread_with_answers(question, n, user_factory, answer_factory, viewer)
    client.force_login(viewer)
    count = _count(client, question.get_absolute_url())
    # Both sizes are held to one fixed budget (the queries listed at the bottom).
    assert count == QUESTION_PAGE_QUERIES, count


def test_one_and_thirty_answers_cost_the_same_queries(client, question_factory, user_factory, answer_factory):
    viewer = user_factory(reputation=200)
    small, large = question_factory(), question_factory()
    _thread_with_answers(small, 1, user_factory, answer_factory, viewer)
    _thread_with_answers(large, 30, user_factory, answer_factory, viewer)
    client.force_login(viewer)
    assert _count(client, small.get_absolute_url()) == _count(client, large.get_absolute_url())


def test_a_moderator_sees_the_same_queries_for_one_and_thirty_answers(
    client, question_factory, user_factory, answer_factory, advocate
):
    """Moderators see more on a page (close/reopen and lock forms, redact links, deleted
    posts), still for a fixed number of queries."""
    small, large = question_factory(), question_factory()
    _thread_with_answers(small, 1, user_factory, answer_factory, user_factory(reputation=200))
    _thread_with_answers(large, 30, user_factory, answer_factory, user_factory(reputation=200))
    client.force_login(advocate)
    assert _count(client, small.get_absolute_url()) == _count(client, large.get_absolute_url())


def test_the_question_list_query_count_does_not_grow(client, question_factory, user_factory, settings):
    settings.COMMUNITY_QUESTIONS_PER_PAGE = 50
    viewer = user_factory(reputation=200)
    client.force_login(viewer)
    question_factory()
    one = _count(client, "/questions/")
    for _ in range(29):
        question_factory()
    assert _count(client, "/questions/") == one


def test_the_home_page_and_profile_query_counts_do_not_grow(client, question_factory, answer_factory, member):
    question_factory(author=member)
    answer_factory(author=member)
    home, profile = _count(client, "/"), _count(client, f"/users/{member.username}/")
    for _ in range(10):
        question_factory(author=member)
        answer_factory(author=member)
    assert _count(client, "/") == home
    assert _count(client, f"/users/{member.username}/") == profile


def test_the_notifications_page_query_count_does_not_grow(
    client, question, member, user_factory, django_capture_on_commit_callbacks
):
    from community.actions.answers import post_answer

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(question, author=user_factory(), body="First answer to notify.")
    one = _count(client, "/notifications/")
    for i in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            post_answer(question, author=user_factory(), body=f"Answer {i} to notify.")
    assert _count(client, "/notifications/") == one


# Session, user, user's groups (permission layer), question (with what support's panels
# need to know as annotations: the latest escalation's state, a pending request for help,
# whether there are feedback items — each a query of its own before), tags, question
# comments, answers, answer comments, every author's groups (one query for all of them),
# duplicate/linked questions, knowledge articles captured from the thread, viewer's votes,
# follow, "I have this too", unread count, and the feedback kinds ("me too" reads
# differently on ideas; outside a test's transaction the process keeps them until the
# next write, so it is 15 in production). Related questions: none kept here (one query
# when there are).
QUESTION_PAGE_QUERIES = 16


def _site(question_factory, answer_factory, comment_factory, user_factory, n: int) -> None:
    for i in range(n):
        question = question_factory(author=user_factory(reputation=10 + i), tags=["billing", "export"])
        answer = answer_factory(question=question, author=user_factory())
        comment_factory(answer)


# Every main page, for a visitor and for a member: the same number of queries for 2
# items as for 12 (and at most the budget, so that a new query per page shows up here).
MAIN_PAGES = {
    # url: (visitor, member). A member adds four: session, user, their groups, unread count.
    "/": (5, 9),
    "/questions/": (5, 9),  # count, page, tags, authors' groups, categories
    "/questions/?sort=active": (5, 9),
    "/tags/billing/": (6, 10),  # and the tag's description
    "/tags/": (2, 6),
    "/search/?q=export": (2, 6),
    "/articles/": (2, 6),
    "/leaderboard/": (3, 7),
}


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
@pytest.mark.parametrize("url", list(MAIN_PAGES))
def test_every_main_page_costs_the_same_queries_for_few_and_many_items(
    client, question_factory, answer_factory, comment_factory, user_factory, member, url, signed_in, settings
):
    if signed_in:
        client.force_login(member)
    _site(question_factory, answer_factory, comment_factory, user_factory, 2)
    _count(client, url)  # once first: the process caches content types on first use
    few = _count(client, url)
    _site(question_factory, answer_factory, comment_factory, user_factory, 10)
    many = _count(client, url)
    assert few == many, (url, few, many)
    assert many <= MAIN_PAGES[url][signed_in], (url, many)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_the_profile_costs_the_same_queries_for_few_and_many_posts(
    client, question_factory, answer_factory, member, other_member, signed_in
):
    if signed_in:
        client.force_login(other_member)
    question_factory(author=member)
    answer_factory(author=member)
    few = _count(client, f"/users/{member.username}/")
    for _ in range(10):
        question_factory(author=member)
        answer_factory(author=member)
    assert _count(client, f"/users/{member.username}/") == few
