"""Knowledge gaps (community/actions/gaps.py, /support/knowledge-gaps/): searches that found
nothing, and searches right before a new question, counted per week with the text only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.actions.gaps import RECENT_KEY
from community.models import SearchGap

pytestmark = pytest.mark.django_db


@pytest.fixture
def searcher(
    client: Any, user_factory: Any, question_factory: Any, django_capture_on_commit_callbacks: Any
) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        question_factory(title="How do I export invoices as PDF?")
    client.force_login(user_factory())
    return client


def gaps() -> dict[str, tuple[int, int, int]]:
    return {g.text: (g.searches, g.no_results, g.then_asked) for g in SearchGap.objects.all()}


def test_searches_are_counted_by_text_with_those_that_found_nothing(searcher: Any) -> None:
    searcher.get("/search/", {"q": "Export  invoices"})
    searcher.get("/search/", {"q": "export invoices"})
    searcher.get("/search/", {"q": "xylophone firmware"})
    assert gaps() == {"export invoices": (2, 0, 0), "xylophone firmware": (1, 1, 0)}
    row = SearchGap.objects.get(text="export invoices")
    assert row.week == timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    # Only the text and the counts: nothing names the reader.
    assert {f.name for f in SearchGap._meta.get_fields()} == {
        "id",
        "week",
        "text",
        "searches",
        "no_results",
        "then_asked",
    }


def test_a_search_right_before_asking_counts_as_followed_by_a_question(searcher: Any, category: Any) -> None:
    searcher.get("/search/", {"q": "refund charged twice"})
    searcher.get("/search/", {"q": "export invoices"})
    response = searcher.post(
        "/questions/ask/",
        {
            "title": "I was charged twice for one plan",
            "body": "Two charges on the same day.",
            "category": category.pk,
            "tags": "billing",
        },
    )
    assert response.status_code == 302
    assert gaps() == {"refund charged twice": (1, 1, 1), "export invoices": (1, 0, 1)}
    assert RECENT_KEY not in searcher.session  # counted once


def test_an_old_search_is_not_tied_to_a_later_question(searcher: Any, category: Any) -> None:
    searcher.get("/search/", {"q": "refund charged twice"})
    session = searcher.session
    session[RECENT_KEY] = [
        [text, (timezone.now() - timedelta(hours=2)).isoformat()] for text, _ in session[RECENT_KEY]
    ]
    session.save()
    searcher.post(
        "/questions/ask/",
        {
            "title": "I was charged twice for one plan",
            "body": "Two charges on the same day.",
            "category": category.pk,
            "tags": "billing",
        },
    )
    assert gaps() == {"refund charged twice": (1, 1, 0)}


def test_a_visitor_without_a_session_writes_nothing(client: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": "xylophone firmware"}).status_code == 200
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert not SearchGap.objects.exists()


def test_staff_see_the_gaps_per_week_most_missed_first(client: Any, support_agent: Any, member: Any) -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    SearchGap.objects.create(week=monday, text="xylophone firmware", searches=4, no_results=4)
    SearchGap.objects.create(
        week=monday - timedelta(days=7), text="xylophone firmware", searches=2, no_results=1
    )
    SearchGap.objects.create(week=monday, text="sso with okta", searches=9, no_results=0, then_asked=2)
    SearchGap.objects.create(week=monday, text="export invoices", searches=30)  # always found: no gap
    SearchGap.objects.create(week=monday - timedelta(days=70), text="ancient", searches=5, no_results=5)
    client.force_login(member)
    assert client.get("/support/knowledge-gaps/").status_code == 403
    client.force_login(support_agent)
    html = client.get("/support/knowledge-gaps/").content.decode()
    rows = html.split("<tbody>")[1]
    assert rows.index("xylophone firmware") < rows.index("sso with okta")
    assert "export invoices" not in rows and "ancient" not in rows
    assert "<td>1 · 0</td><td>4 · 0</td>" in rows  # last week, this week
    assert "/search/?q=xylophone%20firmware&amp;status=solved" in rows
    assert client.get("/support/knowledge-gaps/", {"weeks": "13"}).status_code == 200
    assert "ancient" in client.get("/support/knowledge-gaps/", {"weeks": "13"}).content.decode()
    assert client.get("/support/knowledge-gaps/", {"weeks": "nine"}).status_code == 400


def test_the_gaps_page_query_count_does_not_grow(client: Any, support_agent: Any) -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    client.force_login(support_agent)
    counts = []
    for n in (1, 40):
        SearchGap.objects.all().delete()
        SearchGap.objects.bulk_create(
            SearchGap(week=monday, text=f"gap {i}", searches=1, no_results=1) for i in range(n)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/support/knowledge-gaps/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
