"""Hybrid retrieval behind the one search interface: the lexical engine (Whoosh embedded,
PostgreSQL full text scaled) fused with sentence-embedding similarity.

``HybridEngine`` wraps the configured lexical engine. Writing, it keeps both in step: the
lexical index and the thread vectors (``vectors.store``, embedded by the search worker
that calls it). Searching, it embeds the query and hands the vector to the lexical engine
in ``SearchQuery.vector``; the engine takes its own lexical candidates and the nearest
threads by meaning (``semantic``), and ranks their union by ``text.fuse``. Without the
model (or for a query with quotes or operators, which is taken exactly as written) it is
the lexical engine alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from community.search import SearchDocument, SearchEngine, SearchQuery, SearchResults, vectors
from community.search.embeddings import embedder
from community.search.text import boost, clean_query, fuse, has_operators, has_words

logger = logging.getLogger("askwell.search")

# The nearest threads by meaning taken as candidates, beside the lexical ones, when at
# least this similar: on SemEval dev, a tenth of the relevant threads are below 0.32 and
# half of the irrelevant ones below 0.28 (a thread that shares words is always a candidate).
SEMANTIC_CANDIDATES = 100
SEMANTIC_FLOOR = 0.3
# A hint (five are shown) takes fewer: this many nearest by meaning and this many best
# title and tag matches, each then scored by the whole query (whoosh_engine,
# postgres_engine). On the dev duplicate pairs 20, 40 and 100 find the same (recall@5
# 50.0 %, MRR 0.335 / 0.334 / 0.339); 20 is the fastest.
HINT_CANDIDATES = 20


class HybridEngine:
    def __init__(self, lexical: SearchEngine) -> None:
        self.lexical = lexical

    def index(self, documents: list[SearchDocument]) -> None:
        self.lexical.index(documents)
        vectors.store((doc.key, vectors.text_of(doc.title, doc.body)) for doc in documents)

    def remove(self, keys: list[str]) -> None:
        self.lexical.remove(keys)
        vectors.remove(keys)

    def versions(self) -> dict[str, str]:
        return self.lexical.versions()

    def compact(self, parts: int = 1) -> bool:
        return self.lexical.compact(parts)

    def clear(self) -> None:
        self.lexical.clear()
        vectors.clear()

    def search(self, query: SearchQuery) -> SearchResults:
        if query.vector is None:
            query = with_vector(query)
        return self.lexical.search(query)


def with_vector(query: SearchQuery) -> SearchQuery:
    """The query with its embedding, when the model runs and the text is not literal (a
    title typed for hints never is: its quotes are just quotes)."""
    model = embedder()
    text, _ = clean_query(query.text)
    if model is None or not has_words(text) or (has_operators(text) and not query.any_word):
        return query
    return replace(query, vector=model.embed([text])[0])


def semantic(
    query: SearchQuery, also: Iterable[str] = (), count: int = SEMANTIC_CANDIDATES
) -> dict[str, float]:
    """Cosine similarity to the query of its nearest threads (above the floor), and of the keys in ``also``
    (the lexical candidates), by key; empty without a vector. A failure here (the vector
    table unreadable) leaves search lexical, never broken."""
    if query.vector is None:
        return {}
    try:
        index = vectors.index()
        nearest = index.nearest(query.vector, count, exclude=query.exclude_keys)
        found = {key: score for key, score in nearest if score >= SEMANTIC_FLOOR}
        found.update(index.similarity(query.vector, [key for key in also if key not in found]))
        return found
    except Exception:
        logger.exception("Semantic search failed; lexical results only")
        return {}


def relevance(
    query: SearchQuery,
    lexical: dict[str, float],
    near: dict[str, float],
    candidates: Iterable[tuple[str, str, bool, int, int]],
) -> dict[str, float]:
    """Each candidate's relevance, for either engine: its lexical score fused with its
    meaning (only the candidates the engine kept, after its filters), times the solved and
    votes boost when the query asks for it. ``candidates`` are (key, kind, solved, score,
    answer_score)."""
    rows = list(candidates)
    kept = {row[0] for row in rows}
    fused = fuse(lexical, {key: score for key, score in near.items() if key in kept})
    return {
        key: fused[key] * (boost(kind, solved, score, answer_score) if query.boosts else 1)
        for key, kind, solved, score, answer_score in rows
    }
