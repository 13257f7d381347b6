"""PostgreSQL full-text search behind the same interface (for scaled-out deployments)."""

from __future__ import annotations

import difflib
import re
import time
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.contrib.postgres.search import SearchQuery as PgQuery
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.html import escape

from community.models import SearchEntry
from community.search import SearchDocument, SearchHit, SearchQuery, SearchResults
from community.search.text import TOO_COMMON, boost, rank_key, start_results
from community.search.whoosh_engine import CANDIDATES, SNIPPET_CHARS

CONFIG = "english"
# Markers that cannot occur in cleaned text; swapped for <mark> after escaping.
START, STOP = "\x02", "\x03"
MARKERS: dict[str, Any] = {"start_sel": START, "stop_sel": STOP}
_VOCABULARY_TTL = 600.0


def _marked(text: str) -> str:
    return str(escape(text)).replace(START, "<mark>").replace(STOP, "</mark>")


class PostgresEngine:
    def __init__(self, location: str = "") -> None:
        self._vocabulary: tuple[float, list[str]] = (0.0, [])

    def index(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        with transaction.atomic():
            for doc in documents:
                SearchEntry.objects.update_or_create(
                    key=doc.key,
                    defaults={
                        "kind": doc.kind,
                        "question_id": doc.question_id,
                        "title": doc.title,
                        "body": doc.body,
                        "tags": " ".join(doc.tags),
                        "category": doc.category,
                        "solved": doc.solved,
                        "score": doc.score,
                        "created_at": doc.created_at,
                        "version": doc.version,
                    },
                )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE community_searchentry SET document ="
                    " setweight(to_tsvector(%s::regconfig, title), 'A')"
                    " || setweight(to_tsvector(%s::regconfig, replace(tags, '-', ' ')), 'B')"
                    " || setweight(to_tsvector(%s::regconfig, body), 'C')"
                    " WHERE key = ANY(%s)",
                    [CONFIG, CONFIG, CONFIG, [doc.key for doc in documents]],
                )

    def remove(self, keys: list[str]) -> None:
        SearchEntry.objects.filter(key__in=keys).delete()

    def versions(self) -> dict[str, str]:
        return dict(SearchEntry.objects.values_list("key", "version"))

    def clear(self) -> None:
        SearchEntry.objects.all().delete()

    def search(self, q: SearchQuery) -> SearchResults:
        text, results = start_results(q)
        if not text:
            return results
        # websearch syntax: plain words (ANDed), "phrases", OR, -word. Words are ORed
        # for recall when all of them together match nothing.
        strict = PgQuery(text, search_type="websearch", config=CONFIG)
        entries = self._filtered(q)
        candidates = self._candidates(entries, strict)
        if not candidates:
            loose = " OR ".join(text.replace('"', " ").split())
            candidates = self._candidates(entries, PgQuery(loose, search_type="websearch", config=CONFIG))
            strict = PgQuery(loose, search_type="websearch", config=CONFIG)
        for row in candidates:
            row["relevance"] = row["rank"] * boost(row["kind"], row["solved"], row["score"])
        ranked = sorted(candidates, key=lambda row: rank_key(row["kind"], row["relevance"]))
        results.total = len(ranked)
        start = (q.page - 1) * q.per_page
        page = ranked[start : start + q.per_page]
        headlines = {
            row["key"]: row
            for row in SearchEntry.objects.filter(key__in=[r["key"] for r in page])
            .annotate(
                title_hl=SearchHeadline("title", strict, config=CONFIG, highlight_all=True, **MARKERS),
                body_hl=SearchHeadline(
                    "body",
                    strict,
                    config=CONFIG,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                    fragment_delimiter=" … ",
                    **MARKERS,
                ),
            )
            .values("key", "title_hl", "body_hl")
        }
        for row in page:
            marks: Any = headlines.get(row["key"], {})
            body = marks.get("body_hl") or row["title"]
            results.hits.append(
                SearchHit(
                    key=row["key"],
                    kind=row["kind"],
                    question_id=row["question_id"],
                    title=row["title"],
                    title_html=_marked(marks.get("title_hl") or row["title"]),
                    snippet_html=_marked(body[: SNIPPET_CHARS * 2]),
                    tags=tuple(row["tags"].split()),
                    solved=row["solved"],
                    score=row["score"],
                    created_at=row["created_at"],
                    relevance=row["relevance"],
                )
            )
        if results.total < 3:
            results.suggestion = self._suggest(text)
        if not results.total and not results.suggestion and not list(self._lexemes(text)):
            results.notices.append(TOO_COMMON)
        return results

    def _filtered(self, q: SearchQuery) -> Any:
        entries = SearchEntry.objects.all()
        if q.tag:
            entries = entries.filter(Q(tags__regex=rf"(^| ){re.escape(q.tag.lower())}( |$)"))
        if q.category:
            entries = entries.filter(category=q.category)
        if q.solved is not None:
            entries = entries.filter(solved=q.solved)
        if q.created_from:
            entries = entries.filter(created_at__gte=q.created_from)
        if q.created_to:
            entries = entries.filter(created_at__lte=q.created_to)
        if q.exclude_keys:
            entries = entries.exclude(key__in=q.exclude_keys)
        return entries

    def _candidates(self, entries: Any, query: PgQuery) -> list[dict[str, Any]]:
        return list(
            entries.filter(document=query)
            .annotate(rank=SearchRank(F("document"), query))
            .order_by("-rank", "key")
            .values("key", "kind", "question_id", "title", "tags", "solved", "score", "created_at", "rank")[
                :CANDIDATES
            ]
        )

    def _lexemes(self, text: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s)))", [CONFIG, text])
            return [row[0] for row in cursor.fetchall()]

    def _words(self) -> list[str]:
        """The words of every indexed title and tag (cached), for "did you mean"."""
        built, words = self._vocabulary
        if time.monotonic() - built < _VOCABULARY_TTL and words:
            return words
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM ts_stat($$SELECT to_tsvector('simple', title || ' ' || tags)"
                " FROM community_searchentry$$) ORDER BY ndoc DESC LIMIT 50000"
            )
            words = [row[0] for row in cursor.fetchall()]
        self._vocabulary = (time.monotonic(), words)
        return words

    def _suggest(self, text: str) -> str:
        words = self._words()
        known = set(words)
        changed = False
        out = text.split()
        for i, word in enumerate(out):
            plain = word.strip("\"'()").lower()
            if len(plain) < 4 or plain in known:
                continue
            close = difflib.get_close_matches(plain, words, n=1, cutoff=0.8)
            if close:
                out[i] = close[0]
                changed = True
        return " ".join(out) if changed else ""
