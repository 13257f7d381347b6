"""The error pages tell the truth: a 500 cannot know whether a write went through."""

from __future__ import annotations

from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_500_page_never_promises_that_nothing_was_lost():
    page = server_error(RequestFactory().post("/questions/1/answer/")).content.decode()
    assert "Nothing you wrote was lost" not in page
    assert "may not have been saved" in page and "go back in your browser" in page
