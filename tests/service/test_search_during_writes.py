"""Searching while the real search worker writes the index (PostgreSQL, Redis, a real
`celery worker`): web threads keep answering, none fails, none loses a thread."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from community.actions.answers import post_answer
from community.actions.questions import ask_question
from community.models import OutboxItem
from community.search import SearchQuery, get_engine
from community.search.selectors import safe_search
from tests.service.conftest import wait_for

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
SEARCHERS = 4
ANSWERS = 15


def test_web_threads_search_without_failing_while_the_worker_commits(
    member, other_member, category, celery_worker_process, settings
):
    settings.COMMUNITY_SEARCH_INDEX_DIR = celery_worker_process["env"]["ASKWELL_VAR_DIR"] + "/search-index"
    question = ask_question(
        author=member, title="Invoice export gives blank pages", body="Every PDF export is blank.",
        category=category, tags=[],
    )  # fmt: skip
    wait_for(lambda: safe_search(SearchQuery(text="invoice export")).hits, what="the worker's first index")
    errors: list[BaseException] = []
    searches = [0]
    done = threading.Event()

    def search_until_done() -> None:
        try:
            while not done.is_set():
                assert get_engine().search(SearchQuery(text="invoice export blank")).hits
                searches[0] += 1
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=search_until_done) for _ in range(SEARCHERS)]
    for thread in threads:
        thread.start()
    try:
        for n in range(ANSWERS):  # each answer makes the worker commit the thread again
            post_answer(question, author=other_member, body=f"Try the export again, attempt {n}.")
        wait_for(
            lambda: not OutboxItem.objects.filter(topic="search.index", processed_at__isnull=True).exists(),
            timeout=90, what="the worker's index writes",
        )  # fmt: skip
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, f"{len(errors)} failed searches, first: {errors[0]!r}"
    assert searches[0] >= SEARCHERS
    assert get_engine().search(SearchQuery(text="attempt 14")).hits  # the last write is found
