"""The embedded engine: a Whoosh index on local disk, written by one worker only.

Web processes only read: each of their threads keeps its own searcher, reopened when the
worker commits a new generation (a searcher shared by threads was closed under the
others' feet: ``ReaderClosed``). Only the writing side (the search worker, the rebuild
command) creates a missing index; a reader that finds none raises ``IndexMissing``.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.html import escape
from whoosh import highlight, index, qparser, query
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from community.search import IndexMissing, SearchDocument, SearchHit, SearchQuery, SearchResults
from community.search.hybrid import relevance as fused_relevance
from community.search.hybrid import semantic
from community.search.text import (
    COMMON_POSTINGS,
    TOO_COMMON,
    has_syntax,
    rank_key,
    start_results,
)

# Ranking happens in two steps: BM25F picks the best CANDIDATES by text, then the
# candidates are re-ranked with what the text cannot know (solved, votes, kind).
CANDIDATES = 100
SNIPPET_CHARS = 220
EXCERPT_CHARS = 1000
OPEN_ATTEMPTS = 5  # to open a searcher while the worker keeps committing


def _schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True),
        question_id=NUMERIC(stored=True),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer(), field_boost=2.5),
        # The body is indexed, not stored: loading long stored bodies for every candidate
        # was the bulk of query time. A short excerpt is stored for snippets.
        body=TEXT(analyzer=StemmingAnalyzer()),
        excerpt=STORED,
        tags=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True, field_boost=1.5),
        # Unstemmed words of titles and tags, for "did you mean".
        spell=TEXT(analyzer=StandardAnalyzer(stoplist=None), spelling=True),
        category=ID(stored=True),
        solved=BOOLEAN(stored=True),
        score=NUMERIC(stored=True, signed=True, bits=64),
        answer_score=NUMERIC(stored=True, signed=True, bits=64),
        created=NUMERIC(stored=True, bits=64),
        version=STORED,
    )


class _MarkFormatter(highlight.Formatter):
    """Escapes all text and wraps matches in <mark> (the snippet is user content)."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


def _no_phrases_on_tags(node: Any) -> Any:
    """Tags are keywords without positions: a phrase there is meaningless, and Whoosh
    refuses it (QueryError), which failed every quoted phrase of two words or more that
    the tag analyzer splits, such as "invoice, payment". Titles and bodies keep it."""
    if isinstance(node, query.Phrase) and node.fieldname == "tags":
        return query.NullQuery
    return node


class _Parser:
    """A Whoosh query parser whose queries Whoosh can always run."""

    def __init__(self, parser: qparser.QueryParser) -> None:
        self._parser = parser

    def parse(self, text: str) -> Any:
        return self._parser.parse(text).accept(_no_phrases_on_tags)


class WhooshEngine:
    def __init__(self, location: str) -> None:
        self.path = Path(location)
        self._lock = threading.Lock()
        self._ix: Any = None
        self._local = threading.local()  # each thread's own searcher

    # --- the index ----------------------------------------------------------------
    def _index(self, *, create: bool) -> Any:
        """The index object, opened once per process (readers it hands out always see the
        latest commit on disk, so other processes' writes are picked up). Only writers
        (``create=True``) make a missing index."""
        with self._lock:
            if self._ix is not None and self._on_disk():
                return self._ix
            self._ix = None
            if self._on_disk():
                ix = index.open_dir(str(self.path))
                if set(ix.schema.names()) == set(_schema().names()):
                    self._ix = ix
                    return ix
                if not create:  # an older schema: the worker starts it again
                    raise IndexMissing(f"The index at {self.path} has an older schema")
            elif not create:
                raise IndexMissing(f"No search index at {self.path}")
            self.path.mkdir(parents=True, exist_ok=True)
            self._ix = index.create_in(str(self.path), _schema())
            return self._ix

    def _on_disk(self) -> bool:
        """Whether an index is there: a listing, not ``index.exists_in`` (which opens the
        whole index, and races the writer's clean-up of old generations)."""
        return self.path.is_dir() and any(self.path.glob("_MAIN_*.toc"))

    def _fresh_searcher(self) -> Any:
        """This thread's searcher, reused across its queries until the index changes on
        disk. Only the thread that owns a searcher closes it.

        Not ``Searcher.refresh()``: it reuses segment readers and then misses deletions
        made in a segment it kept (an updated or removed thread would still be found).
        """
        ix = self._index(create=False)
        for attempt in range(OPEN_ATTEMPTS):
            latest = ix.latest_generation()
            if latest < 0:
                raise IndexMissing(f"The index at {self.path} was removed")
            searcher = getattr(self._local, "searcher", None)
            if searcher is not None and searcher.reader().generation() == latest:
                return searcher
            try:
                fresh = ix.searcher()
            except FileNotFoundError:
                # The worker committed again while we opened generation ``latest`` and
                # cleaned its files up: open the newer one.
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
                continue
            if searcher is not None:
                searcher.close()
            self._local.searcher = fresh
            return fresh
        raise AssertionError("unreachable")

    def index(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        writer = self._index(create=True).writer(limitmb=128)
        try:
            for doc in documents:
                writer.update_document(
                    key=doc.key,
                    kind=doc.kind,
                    question_id=doc.question_id,
                    title=doc.title,
                    body=doc.body,
                    excerpt=doc.body[:EXCERPT_CHARS],
                    tags=",".join(doc.tags),
                    spell=f"{doc.title} {' '.join(doc.tags)}",
                    category=doc.category,
                    solved=doc.solved,
                    score=doc.score,
                    answer_score=doc.answer_score,
                    created=int(doc.created_at.timestamp()),
                    version=doc.version,
                )
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, keys: list[str]) -> None:
        if not keys:
            return
        writer = self._index(create=True).writer()
        for key in keys:
            writer.delete_by_term("key", key)
        writer.commit()

    def versions(self) -> dict[str, str]:
        with self._index(create=True).reader() as reader:
            return {fields["key"]: fields.get("version", "") for fields in reader.all_stored_fields()}

    def clear(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._ix = index.create_in(str(self.path), _schema())

    # --- searching ----------------------------------------------------------------
    def _parser(
        self, schema: Schema, *, any_word: bool = False, fields: tuple[str, ...] = ("title", "body", "tags")
    ) -> _Parser:
        group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
        parser = qparser.MultifieldParser(list(fields), schema, group=group)
        # Plain words, "phrases", AND/OR/NOT and grouping; no field names, wildcards or
        # ranges from the public (they are slow, or reach fields nobody should query).
        for plugin in (
            qparser.FieldsPlugin,
            qparser.WildcardPlugin,
            qparser.RangePlugin,
            qparser.BoostPlugin,
        ):
            parser.remove_plugin_class(plugin)
        return _Parser(parser)

    def _plans(self, searcher: Any, text: str) -> list[Any]:
        """The queries to try in turn until one finds something: every word, then any word.

        In a large index, common words (see ``text.COMMON_POSTINGS``) stop being required:
        the rare words find the candidates and the common ones only lift title matches.
        Queries with syntax (phrases, operators, grouping) are taken as written.
        """
        schema = searcher.schema
        analyzer = schema["body"].analyzer
        if not has_syntax(text):
            # Stop words ("the", "how") are dropped from the title and body by their
            # analyzer, but not from tags: left in, each became a required tag of the
            # "every word" query, which then almost never matched.
            text = " ".join(w for w in text.split() if any(True for _ in analyzer(w))) or text
        every, any_word = self._parser(schema), self._parser(schema, any_word=True)
        plain = [every.parse(text), any_word.parse(text)]
        if searcher.doc_count() <= COMMON_POSTINGS or has_syntax(text):
            return plain
        reader = searcher.reader()
        rare: list[str] = []
        common: list[str] = []
        for word in text.split():
            stems = [token.text for token in analyzer(word)]
            if not stems:
                continue  # a stop word: the parser drops it as well
            frequent = all(reader.doc_frequency("body", stem) > COMMON_POSTINGS for stem in stems)
            (common if frequent else rare).append(word)
        if not common:
            return plain
        if not rare:
            title_and_tags = ("title", "tags")
            return [
                self._parser(schema, fields=title_and_tags).parse(text),
                self._parser(schema, any_word=True, fields=title_and_tags).parse(text),
            ]
        lift = self._parser(schema, any_word=True, fields=("title",)).parse(" ".join(common))
        # (Whoosh's block-quality skipping can loop forever on AndMaybe, so search() turns
        # it off for these; the rare words' posting lists are short, so it is not missed.)
        return [
            query.AndMaybe(every.parse(" ".join(rare)), lift),
            query.AndMaybe(any_word.parse(" ".join(rare)), lift),
        ]

    def _filters(self, q: SearchQuery) -> list[Any]:
        filters: list[Any] = []
        if q.tag:
            filters.append(query.Term("tags", q.tag.lower()))
        if q.category:
            filters.append(query.Term("category", q.category))
        if q.solved is not None:
            filters.append(query.Term("solved", q.solved))
        if q.created_from or q.created_to:
            start = int(q.created_from.timestamp()) if q.created_from else None
            end = int(q.created_to.timestamp()) if q.created_to else None
            filters.append(query.NumericRange("created", start, end))
        return filters

    def search(self, q: SearchQuery) -> SearchResults:
        text, results = start_results(q)
        if not text:
            return results
        searcher = self._fresh_searcher()
        plans = self._plans(searcher, text)
        filters = self._filters(q)
        exclude = query.Or([query.Term("key", key) for key in q.exclude_keys]) if q.exclude_keys else None
        options = {
            "limit": CANDIDATES,
            "filter": query.And(filters) if filters else None,
            "mask": exclude,
            "terms": True,
        }
        candidates: list[Any] = []
        if plans[0] is not query.NullQuery:
            # Every word first (precise, and fast on common words); any word when that
            # finds nothing, or at once for hints (``any_word``).
            steps = plans[1:] if q.any_word else plans
            for plan in steps:
                hits = searcher.search(plan, optimize=not isinstance(plan, query.AndMaybe), **options)
                if not hits.is_empty():
                    break
            # Only the scored candidates: iterating ``hits`` itself would ask for its length,
            # which makes Whoosh count every match of the query (the slowest part of a search).
            candidates = self._marked(hits)
        lexical = {hit["key"]: hit.score for hit in candidates}
        near = semantic(q, lexical)
        if missing := [key for key in near if key not in lexical]:
            # Threads found by meaning alone, filtered as the query asks.
            by_key = query.Or([query.Term("key", key) for key in missing])
            candidates += self._marked(searcher.search(by_key, **{**options, "limit": len(missing)}))
        if not candidates and plans[0] is query.NullQuery:
            results.notices.append(TOO_COMMON)
            return results
        relevance = fused_relevance(
            q,
            lexical,
            near,
            ((h["key"], h["kind"], h["solved"], h["score"], h.get("answer_score", 0)) for h in candidates),
        )
        ranked = sorted(candidates, key=lambda hit: rank_key(hit["kind"], relevance[hit["key"]]))
        results.total = len(ranked)
        start = (q.page - 1) * q.per_page
        for hit in ranked[start : start + q.per_page]:
            excerpt = hit.get("excerpt", "")
            snippet = (q.snippets and hit.highlights("body", text=excerpt, top=2)) or str(
                escape(excerpt[:SNIPPET_CHARS])
            )
            title_html = (q.snippets and hit.highlights("title", top=1, minscore=0)) or str(
                escape(hit["title"])
            )
            results.hits.append(
                SearchHit(
                    key=hit["key"],
                    kind=hit["kind"],
                    question_id=hit["question_id"],
                    title=hit["title"],
                    title_html=title_html,
                    snippet_html=snippet,
                    tags=tuple(t for t in hit["tags"].split(",") if t),
                    solved=hit["solved"],
                    score=hit["score"],
                    created_at=datetime.fromtimestamp(hit["created"], tz=UTC),
                    relevance=relevance[hit["key"]],
                    similarity=near.get(hit["key"]),
                )
            )
        if results.total < 3:
            results.suggestion = self._suggest(searcher, text)
        return results

    @staticmethod
    def _marked(hits: Any) -> list[Any]:
        """The scored hits, set to highlight matches as escaped HTML with <mark>."""
        hits.formatter = _MarkFormatter()
        hits.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        return [hits[i] for i in range(hits.scored_length())]

    def _suggest(self, searcher: Any, text: str) -> str:
        """A corrected query when some words are not in the index but close ones are."""
        corrector = searcher.corrector("spell")
        words = text.split()
        changed = False
        for i, word in enumerate(words):
            plain = word.strip("\"'()").lower()
            if len(plain) < 4 or searcher.reader().frequency("spell", plain):
                continue
            suggestions = corrector.suggest(plain, limit=1, maxdist=2)
            if suggestions and suggestions[0] != plain:
                words[i] = suggestions[0]
                changed = True
        return " ".join(words) if changed else ""
