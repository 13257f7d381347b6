"""Searching while the index is written: every web thread must keep working while the
search worker commits (each commit used to close the one searcher all threads shared,
and searches in flight failed with ReaderClosed)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from community.search import SearchDocument, SearchQuery
from community.search.whoosh_engine import WhooshEngine

SEARCHERS = 4
COMMITS = 15


def _doc(n: int) -> SearchDocument:
    return SearchDocument(
        key=f"question:{n}", kind="question", question_id=n,
        title=f"Invoice export number {n} shows blank pages",
        body="The invoice export to PDF gives blank pages since the update. " * 5,
        tags=("invoices", "export"), category="billing", solved=n % 2 == 0, score=n % 7,
        created_at=datetime(2026, 1, 1, tzinfo=UTC), version=str(n),
    )  # fmt: skip


def test_searches_in_several_threads_survive_commits_of_the_index(tmp_path):
    writer = WhooshEngine(str(tmp_path))  # the search worker's engine (its own process in production)
    writer.index([_doc(n) for n in range(30)])
    web = WhooshEngine(str(tmp_path))  # one web process: its threads share this engine
    errors: list[BaseException] = []
    searches = [0]
    done = threading.Event()

    def search_until_done() -> None:
        while not done.is_set():
            try:
                results = web.search(SearchQuery(text="invoice export blank", per_page=5))
                assert results.hits, "an indexed thread went missing"
                searches[0] += 1
            except BaseException as error:  # collected: the assertion below names it
                errors.append(error)
                return

    threads = [threading.Thread(target=search_until_done) for _ in range(SEARCHERS)]
    for thread in threads:
        thread.start()
    try:
        for n in range(30, 30 + COMMITS):
            writer.index([_doc(n)])
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, f"{len(errors)} failed searches, first: {errors[0]!r}"
    assert searches[0] > SEARCHERS
