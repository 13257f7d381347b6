"""Question lists count at most COMMUNITY_LIST_COUNT_CAP rows, so their SQL does not grow
with the list; past the cap every question is still one "Next" away."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Question
from community.paging import BoundedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(settings):
    settings.COMMUNITY_QUESTIONS_PER_PAGE = 2
    settings.COMMUNITY_LIST_COUNT_CAP = 3


def _titles(html: str) -> list[str]:
    return re.findall(r"invoice number (\d+) as PDF", html)


def test_a_short_list_counts_exactly_and_numbers_its_pages(client, question_factory, small_pages):
    for _ in range(3):
        question_factory(tags=["billing"])
    html = client.get("/tags/billing/").content.decode()
    assert "3 questions" in html
    assert "Page 1 of 2" in html
    assert "More than" not in html


def test_a_long_list_says_more_than_the_cap_and_every_question_is_reachable(
    client, question_factory, small_pages
):
    made = [question_factory(tags=["billing"]) for _ in range(7)]
    question_factory(tags=["export"])  # not on the tag's pages
    seen: list[str] = []
    url = "/tags/billing/"
    for number in range(1, 10):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        html = response.content.decode()
        assert "More than 3 questions" in html
        assert f"Page {number}</span>" in html  # no "of N": the list is not counted to its end
        seen += _titles(html)
        if 'rel="next"' not in html:
            break
        assert f"page={number + 1}" in html
    assert number == 4  # 7 questions, 2 a page
    wanted = [re.search(r"number (\d+)", q.title).group(1) for q in reversed(made)]
    assert seen == wanted


def test_a_page_past_the_end_of_a_long_list_is_empty_not_an_error(client, question_factory, small_pages):
    for _ in range(5):
        question_factory(tags=["billing"])
    response = client.get("/tags/billing/", {"page": 40})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No questions match." in html
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_the_count_reads_at_most_the_cap_plus_one_rows(question_factory, small_pages):
    for _ in range(6):
        question_factory()
    paginator = BoundedPaginator(Question.objects.order_by("-created_at", "-id"), 2, cap=3)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    assert "LIMIT 4" in queries[0]["sql"]
    assert paginator.beyond_cap
    second = paginator.page(2)
    assert len(second) == 2 and second.has_next() and second.next_page_number() == 3
    last = paginator.page(3)
    assert len(last) == 2 and not last.has_next() and last.previous_page_number() == 2
    assert last.start_index() == 5 and last.end_index() == 6
    assert len(paginator.page(4)) == 0


def test_the_list_query_count_is_the_same_below_and_above_the_cap(client, question_factory, small_pages):
    question_factory(tags=["billing"])
    with CaptureQueriesContext(connection) as below:
        client.get("/tags/billing/")
    for _ in range(6):
        question_factory(tags=["billing"])
    with CaptureQueriesContext(connection) as above:
        client.get("/tags/billing/", {"page": 2})
    assert len(above) == len(below)


def test_a_tag_page_lists_only_live_questions_of_that_tag(client, question_factory, member):
    from community.actions.questions import delete_question

    shown = question_factory(tags=["billing"])
    gone = question_factory(tags=["billing"])
    question_factory(tags=["export"])
    delete_question(gone, by=gone.author)
    html = client.get("/tags/billing/").content.decode()
    assert _titles(html) == [re.search(r"number (\d+)", shown.title).group(1)]
    assert "1 question" in html
    empty = client.get("/tags/no-such-tag/")
    assert empty.status_code == 200 and "0 questions" in empty.content.decode()
