"""PostgreSQL full-text search behind the same interface (for scaled-out deployments)."""

from __future__ import annotations

import difflib
import re
import time
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.contrib.postgres.search import SearchQuery as PgQuery
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, Value, When
from django.utils.html import escape

from community.models import SearchEntry
from community.search import SearchDocument, SearchHit, SearchQuery, SearchResults
from community.search.hybrid import HINT_CANDIDATES, semantic
from community.search.hybrid import relevance as fused_relevance
from community.search.text import (
    COMMON_POSTINGS,
    HEADING_COMMON,
    TOO_COMMON,
    has_syntax,
    rank_key,
    start_results,
)
from community.search.whoosh_engine import CANDIDATES, SNIPPET_CHARS

CONFIG = "english"
# Markers that cannot occur in cleaned text; swapped for <mark> after escaping.
START, STOP = "\x02", "\x03"
MARKERS: dict[str, Any] = {"start_sel": START, "stop_sel": STOP}
_VOCABULARY_TTL = 600.0
FIELDS = ("key", "kind", "question_id", "title", "tags", "solved", "score", "answer_score", "created_at")
HEADING_CAP = 4000  # title/tag matches ranked for a query of common words only
LIFT = 1.5  # rank multiplier for a title or tag match of the query's common words


def _marked(text: str) -> str:
    return str(escape(text)).replace(START, "<mark>").replace(STOP, "</mark>")


class PostgresEngine:
    def __init__(self, location: str = "") -> None:
        self._vocabulary: tuple[float, list[str]] = (0.0, [])
        self._common: dict[str, tuple[float, set[str]]] = {}

    def index(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        # Replace the rows in bulk (one delete, one insert), then compute their vectors in
        # one UPDATE: per-row upserts made indexing the slow part of a rebuild.
        latest = {doc.key: doc for doc in documents}
        with transaction.atomic():
            SearchEntry.objects.filter(key__in=list(latest)).delete()
            SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        key=doc.key,
                        kind=doc.kind,
                        question_id=doc.question_id,
                        title=doc.title,
                        body=doc.body,
                        tags=" ".join(doc.tags),
                        category=doc.category,
                        solved=doc.solved,
                        score=doc.score,
                        answer_score=doc.answer_score,
                        created_at=doc.created_at,
                        version=doc.version,
                    )
                    for doc in latest.values()
                ],
                batch_size=500,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE community_searchentry SET document ="
                    " setweight(to_tsvector(%s::regconfig, title), 'A')"
                    " || setweight(to_tsvector(%s::regconfig, replace(tags, '-', ' ')), 'B')"
                    " || setweight(to_tsvector(%s::regconfig, body), 'C'),"
                    " heading = setweight(to_tsvector(%s::regconfig, title), 'A')"
                    " || setweight(to_tsvector(%s::regconfig, replace(tags, '-', ' ')), 'B')"
                    " WHERE key = ANY(%s)",
                    [CONFIG, CONFIG, CONFIG, CONFIG, CONFIG, [doc.key for doc in documents]],
                )

    def remove(self, keys: list[str]) -> None:
        SearchEntry.objects.filter(key__in=keys).delete()

    def versions(self) -> dict[str, str]:
        return dict(SearchEntry.objects.values_list("key", "version"))

    def compact(self, parts: int = 1) -> bool:
        """Nothing to merge: PostgreSQL keeps one table and its indexes (autovacuum tidies)."""
        return False

    def clear(self) -> None:
        SearchEntry.objects.all().delete()

    def search(self, q: SearchQuery) -> SearchResults:
        text, results = start_results(q)
        if not text:
            return results
        # websearch syntax: plain words (ANDed), "phrases", OR, -word. Words are ORed
        # for recall when all of them together match nothing.
        entries = self._filtered(q)
        rare, common, lexemes = self._split_common(text)
        candidates: list[dict[str, Any]] = []
        near: dict[str, float] | None = None
        strict = self._websearch(text)
        if not rare and not common:  # stop words only: an empty tsquery would scan every row
            if q.vector is None:
                results.notices.append(TOO_COMMON)
                return results
        elif common and not rare:
            # Only very common words: match titles and tags, ranking a capped set of matches.
            for words in (" ".join(common), " OR ".join(common)):
                strict = self._websearch(words)
                candidates = self._heading_candidates(entries, words)
                if candidates:
                    break
        else:
            words = " ".join(rare) if common else text
            lift = self._websearch(" OR ".join(common)) if common else None
            any_word = self._websearch(" OR ".join(words.replace('"', " ").split()))
            # Every word first; any word when that finds nothing, or at once for hints.
            strict = any_word if q.any_word else self._websearch(words)
            if q.any_word and q.vector is not None:
                # A hint: the nearest threads by meaning and the best title and tag
                # matches, each ranked by the whole any-word query (ranking every body
                # that has one of the words was most of a hint's time at 50,000).
                picking = self._rare_in_headings(words.replace('"', " ").split(), lexemes)
                headings = []
                if picking:
                    headings = self._heading_candidates(entries, " OR ".join(picking), limit=HINT_CANDIDATES)
                near = semantic(q, [row["key"] for row in headings], count=HINT_CANDIDATES)
                keys = near.keys() | {row["key"] for row in headings}
                candidates = self._candidates(
                    entries.filter(key__in=keys), strict, lift=lift, limit=len(keys)
                )
            else:
                candidates = self._candidates(entries, strict, lift=lift)
                if not candidates and not q.any_word:
                    strict = any_word
                    candidates = self._candidates(entries, strict, lift=lift)
        lexical = {row["key"]: row["rank"] for row in candidates}
        if near is None:
            near = semantic(q, lexical)
        if missing := [key for key in near if key not in lexical]:
            # Threads found by meaning alone, filtered as the query asks.
            candidates += [{**row, "rank": 0.0} for row in entries.filter(key__in=missing).values(*FIELDS)]
        relevance = fused_relevance(
            q,
            lexical,
            near,
            ((r["key"], r["kind"], r["solved"], r["score"], r["answer_score"]) for r in candidates),
        )
        for row in candidates:
            row["relevance"] = relevance[row["key"]]
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
                    similarity=near.get(row["key"]),
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

    @staticmethod
    def _websearch(text: str) -> PgQuery:
        return PgQuery(text, search_type="websearch", config=CONFIG)

    def _candidates(
        self,
        entries: Any,
        query: PgQuery,
        *,
        lift: PgQuery | None = None,
        limit: int = CANDIDATES,
    ) -> list[dict[str, Any]]:
        """The best CANDIDATES by text rank; ``lift`` raises rows whose title or tags match it."""
        matches = entries.filter(document=query)
        rank: Any = SearchRank(F("document"), query)
        if lift is not None:
            rank = rank * Case(
                When(heading=lift, then=Value(LIFT)), default=Value(1.0), output_field=FloatField()
            )
        return list(
            matches.annotate(rank=rank)
            .order_by("-rank", "-created_at", "key")
            .values(*FIELDS, "rank")[:limit]
        )

    def _heading_candidates(self, entries: Any, words: str, limit: int = CANDIDATES) -> list[dict[str, Any]]:
        """Title/tag matches (for a query of common words only, and a hint's candidates by
        words): the first HEADING_CAP matches found, ranked (ranking every match of such
        words would be the whole cost)."""
        query = self._websearch(words)
        inner = entries.filter(heading=query).values(*FIELDS, "heading")[:HEADING_CAP]
        sql, params = inner.query.sql_with_params()
        columns = ", ".join(FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns}, ts_rank(heading, websearch_to_tsquery(%s::regconfig, %s)) AS rank"  # noqa: S608 (column names are constants)
                f" FROM ({sql}) AS matches ORDER BY rank DESC, created_at DESC, key LIMIT %s",
                [CONFIG, words, *params, limit],
            )
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _common_lexemes(self, column: str = "document", threshold: int | None = None) -> set[str]:
        """Lexemes in more than ``threshold`` (COMMON_POSTINGS) entries' ``column``, from
        the planner's statistics (ANALYZE keeps the most common elements of a tsvector
        column with their share); cached, as they move slowly."""
        threshold = COMMON_POSTINGS if threshold is None else threshold
        built, lexemes = self._common.get(column, (-_VOCABULARY_TTL, set()))
        if time.monotonic() - built < _VOCABULARY_TTL:
            return lexemes
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples"
                " FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename"
                " WHERE s.tablename = 'community_searchentry' AND s.attname = %s",
                [column],
            )
            row = cursor.fetchone()
        lexemes = set()
        if row and row[0] and row[2] and row[2] > threshold:
            lexemes = {
                lexeme for lexeme, share in zip(row[0], row[1], strict=False) if share * row[2] > threshold
            }
        self._common[column] = (time.monotonic(), lexemes)
        return lexemes

    def _rare_in_headings(self, words: list[str], lexemes: dict[str, list[str]]) -> list[str]:
        """The words found in at most HEADING_COMMON titles and tags (all of them in a
        small community): those that pick a hint's title matches. ``lexemes``: each
        word's, from ``_split_common``."""
        common = self._common_lexemes("heading", HEADING_COMMON)
        if not common:
            return words
        return [w for w in words if not all(lexeme in common for lexeme in lexemes.get(w) or [""])]

    def _split_common(self, text: str) -> tuple[list[str], list[str], dict[str, list[str]]]:
        """The query's words, split into rare and common ones (all rare when the query has
        syntax, or when nothing in the index is common), and each word's lexemes."""
        words = text.split()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, tsvector_to_array(to_tsvector(%s::regconfig, w)) FROM unnest(%s::text[]) AS w",
                [CONFIG, words],
            )
            lexemes = dict(cursor.fetchall())
        if not any(lexemes.values()):
            return [], [], lexemes
        common_lexemes = self._common_lexemes()
        if not common_lexemes or has_syntax(text):
            return words, [], lexemes
        rare: list[str] = []
        common: list[str] = []
        for word in words:
            found = lexemes.get(word) or []
            if not found:
                continue  # a stop word
            (common if all(lexeme in common_lexemes for lexeme in found) else rare).append(word)
        return rare, common, lexemes

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
