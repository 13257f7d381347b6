"""One search interface, engines behind it chosen by setting (COMMUNITY_SEARCH_ENGINE).

Callers build a ``SearchQuery`` and get ``SearchResults``; the index holds one document
per thread (a question with its answers) and one per knowledge article. Only the
search worker writes the index (see ``community.actions.search``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from django.urls import reverse


@dataclass(frozen=True)
class SearchDocument:
    key: str  # "question:12" or "article:3"
    kind: str  # "question" or "article"
    question_id: int  # the question's id, or the article's for kind "article"
    title: str
    body: str  # plain text of the question and its answers
    tags: tuple[str, ...]
    category: str
    solved: bool
    score: int
    created_at: datetime
    version: str  # changes whenever the document should be rewritten
    answer_score: int = 0  # the best visible answer's score (well-voted answers rank higher)


@dataclass(frozen=True)
class SearchQuery:
    text: str
    tag: str = ""
    category: str = ""
    solved: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    page: int = 1
    per_page: int = 20
    exclude_keys: tuple[str, ...] = ()
    snippets: bool = True  # highlighted titles and snippets (off for bulk ranking)
    # Re-rank by solved and votes (search); hints and related threads rank by text alone,
    # which finds more of the threads a new question duplicates.
    boosts: bool = True
    # Rank by how many of the words a thread has, without first asking for all of them
    # (hints and related threads: a title typed in full rarely shares every word).
    any_word: bool = False
    # The text's sentence embedding, set by the hybrid engine (community/search/hybrid.py)
    # when the model runs: engines then fuse meaning with their lexical score.
    vector: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SearchHit:
    key: str
    kind: str
    question_id: int
    title: str
    title_html: str  # escaped, with <mark> around matches
    snippet_html: str  # escaped, with <mark> around matches
    tags: tuple[str, ...]
    solved: bool
    score: int
    created_at: datetime
    relevance: float
    similarity: float | None = None  # cosine to the query's meaning, when the model ran

    @property
    def url(self) -> str:
        return thread_url(self.kind, self.question_id)

    @property
    def hint_url(self) -> str:
        """The link a similar-question hint uses (it records the click, then redirects)."""
        name = "community:article_hint_click" if self.kind == "article" else "community:hint_click"
        return reverse(name, args=[self.question_id])


def thread_url(kind: str, pk: int) -> str:
    """Where a search key's thread lives: an article, or a question."""
    name = "community:article_redirect" if kind == "article" else "community:question_redirect"
    return reverse(name, args=[pk])


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    suggestion: str = ""  # "did you mean"
    notices: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class IndexMissing(Exception):
    """The index does not exist (yet, or any more). Only the search worker and
    ``rebuild_search_index`` create it; pages say search is unavailable meanwhile."""


class SearchEngine(Protocol):
    def index(self, documents: list[SearchDocument]) -> None: ...
    def remove(self, keys: list[str]) -> None: ...
    def search(self, query: SearchQuery) -> SearchResults: ...
    def versions(self) -> dict[str, str]: ...
    def clear(self) -> None: ...
    # Merge the index's parts when there are more than ``parts`` (True when it did).
    def compact(self, parts: int = 1) -> bool: ...


@cache
def _engine_for(name: str, location: str) -> SearchEngine:
    if name == "whoosh":
        from community.search.whoosh_engine import WhooshEngine

        return WhooshEngine(location)
    if name == "postgres":
        from community.search.postgres_engine import PostgresEngine

        return PostgresEngine(location)
    raise ValueError(f"Unknown search engine {name!r}")


@cache
def _hybrid_for(name: str, location: str) -> SearchEngine:
    from community.search.hybrid import HybridEngine

    return HybridEngine(_engine_for(name, location))


def get_engine() -> SearchEngine:
    """The configured lexical engine inside the hybrid one, which adds meaning when the
    embedding model runs and is the lexical engine alone when it does not."""
    from django.conf import settings

    return _hybrid_for(settings.COMMUNITY_SEARCH_ENGINE, str(settings.COMMUNITY_SEARCH_INDEX_DIR))
