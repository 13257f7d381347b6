"""The error pages tell the truth: a 500 cannot know whether a write went through."""

from __future__ import annotations

from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_500_page_never_promises_that_nothing_was_lost():
    page = server_error(RequestFactory().post("/questions/1/answer/")).content.decode()
    assert "Nothing you wrote was lost" not in page
    assert "may not have been saved" in page and "go back in your browser" in page


def test_a_database_that_does_not_answer_is_a_503_showing_what_was_sent_to_copy():
    from django.db import OperationalError

    from config.errors import server_error as handler

    request = RequestFactory().post(
        "/questions/ask/", {"title": "<b>Bank feed</b>", "body": "No transactions.", "password": "hunter2"}
    )
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = handler(request)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "database is not answering" in page and "may not have been saved" in page
    assert "within 120 seconds still makes one post" in page  # COMMUNITY_RESUBMIT_SECONDS
    assert "&lt;b&gt;Bank feed&lt;/b&gt;" in page and "No transactions." in page
    assert "hunter2" not in page and "csrfmiddlewaretoken" not in page


def test_any_other_error_is_the_plain_500_page():
    from config.errors import server_error as handler

    try:
        raise ValueError("a bug")
    except ValueError:
        response = handler(RequestFactory().get("/"))
    assert response.status_code == 500 and "may not have been saved" in response.content.decode()
