"""The embedded engine: a Whoosh index on local disk, written by one worker only.

Web processes only read: each of their threads keeps its own searcher, reopened when the
worker commits a new generation (a searcher shared by threads was closed under the
others' feet: ``ReaderClosed``). Only the writing side (the search worker, the rebuild
command) creates a missing index; a reader that finds none raises ``IndexMissing``.
"""

from __future__ import annotations

import re
import threading
import time
from array import array
from bisect import bisect_left
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from whoosh import index, matching, qparser, query, writing
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import porter

from community.search import IndexMissing, SearchDocument, SearchHit, SearchQuery, SearchResults
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

# Ranking happens in two steps: BM25F picks the best CANDIDATES by text, then the
# candidates are re-ranked with what the text cannot know (solved, votes, kind).
CANDIDATES = 100
SNIPPET_CHARS = 220
EXCERPT_CHARS = 1000
OPEN_ATTEMPTS = 5  # to open a searcher while the worker keeps committing
TITLE_TAGS = ("title", "tags")


def _schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True, sortable=True),
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


def _same(schema: Schema, wanted: Schema) -> bool:
    """Whether an index on disk has the fields this code writes, of the same kinds."""
    return set(schema.names()) == set(wanted.names()) and all(
        type(schema[name]) is type(wanted[name])
        and bool(schema[name].column_type) == bool(wanted[name].column_type)
        for name in wanted.names()
    )


_WORD = re.compile(r"\w+(?:\.?\w+)*")  # the words StemmingAnalyzer's tokenizer finds
SURROUND = 60  # characters of context before and after the first and last match


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return porter.stem(word.lower())


def _marked_html(text: str, terms: set[str], *, passages: int = 0) -> str:
    """``text`` as escaped HTML with each word whose stem is one of ``terms`` wrapped in
    <mark> (the words the title or body analyzer would have indexed); with ``passages``,
    only that many passages of about SNIPPET_CHARS around the matches, best first by how
    many different words they match, in reading order, joined by " … ". Empty when no
    word matches. Whoosh's highlighter does the same by analysing the text into tokens,
    which cost a search page of 20 hits 13 ms of its time at 50,000 threads."""
    spans = [m.span() for m in _WORD.finditer(text) if _stem(m.group()) in terms] if terms else []
    if not spans:
        return ""
    if not passages:
        return _mark(text, spans, 0, len(text))
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= SNIPPET_CHARS - 2 * SURROUND:
            groups[-1].append(span)
        else:
            groups.append([span])
    best = sorted(
        groups, key=lambda group: (-len({_stem(text[a:b]) for a, b in group}), -len(group), group[0][0])
    )[:passages]
    parts = []
    for group in sorted(best, key=lambda group: group[0][0]):
        start, end = max(0, group[0][0] - SURROUND), min(len(text), group[-1][1] + SURROUND)
        if start > 0 and (space := text.find(" ", start, group[0][0])) != -1:
            start = space + 1  # from a word's start
        if end < len(text) and (space := text.rfind(" ", group[-1][1], end)) != -1:
            end = space  # to a word's end
        parts.append(_mark(text, group, start, end).strip())
    return " … ".join(parts)


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, at = [], start
    for a, b in spans:
        out.append(f"{escape(text[at:a])}<mark>{escape(text[a:b])}</mark>")
        at = b
    out.append(str(escape(text[at:end])))
    return "".join(out)


def _matched(hit: Any) -> dict[str, set[str]]:
    """The words of the query a hit matched, by field (as indexed: stems)."""
    found: dict[str, set[str]] = {}
    if hit.results.has_matched_terms():
        for field, term in hit.matched_terms():
            found.setdefault(field, set()).add(term.decode() if isinstance(term, bytes) else str(term))
    return found


def _no_phrases_on_tags(node: Any) -> Any:
    """Tags are keywords without positions: a phrase there is meaningless, and Whoosh
    refuses it (QueryError), which failed every quoted phrase of two words or more that
    the tag analyzer splits, such as "invoice, payment". Titles and bodies keep it."""
    if isinstance(node, query.Phrase) and node.fieldname == "tags":
        return query.NullQuery
    return node


class _Keys(query.Query):
    """The documents of these keys, each scoring 0, found through the per-segment map of
    keys to document numbers (``_key_docnums``). Looking up a couple of hundred keys as
    terms cost about 15 ms per segment, most of a hint's time at 50,000 threads.
    ``AndMaybe(_Keys(keys), q)`` scores ``q`` on those documents alone, skipping through
    its postings to each of them instead of reading every match of ``q``."""

    def __init__(self, keys: Any) -> None:
        self.keys = tuple(keys)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.keys == self.keys  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.keys)

    def __unicode__(self) -> str:
        return f"<{len(self.keys)} keys>"

    __str__ = __unicode__

    def is_leaf(self) -> bool:
        return True

    def has_terms(self) -> bool:
        return False

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.keys)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        docnums = _key_docnums(reader)
        ids = sorted(
            {d for key in self.keys if (d := docnums.get(key)) is not None and not reader.is_deleted(d)}
        )
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(array("I", ids), weights=[0.0] * len(ids))


_DOCNUMS: dict[Any, dict[str, int]] = {}
_DOCNUMS_LOCK = threading.Lock()


def _key_docnums(reader: Any) -> dict[str, int]:
    """Each key's document number in this segment, read once per segment and process from
    the key column (segments never change; a deletion is checked on the reader)."""
    segment = getattr(reader, "segment", None)
    if segment is None:  # not one segment (an empty index)
        return {}
    segid = segment().segment_id()
    found = _DOCNUMS.get(segid)
    if found is None:
        found = {key: docnum for docnum, key in enumerate(reader.column_reader("key"))}
        with _DOCNUMS_LOCK:
            if len(_DOCNUMS) > 64:  # segments merged away long ago
                _DOCNUMS.clear()
            _DOCNUMS[segid] = found
    return found


def _skip_to(self: Any, targetid: Any) -> None:
    """``W3LeafMatcher.skip_to`` with a binary search of the block's ids where Whoosh
    steps through them one at a time (the same position, found in log n steps). Scoring a
    hint's candidates skips through every query word's postings to each of them: the
    one-at-a-time stepping was a fifth of that time at 50,000 threads."""
    if not self.is_active():
        raise matching.ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self._maxid:
        self._skip_to_block(lambda: targetid > self._maxid)
        if not self.is_active():
            return
    if self._ids is None:
        self._read_ids()
    self._i = bisect_left(self._ids, targetid, self._i)
    if self._i >= self._blocklength:  # only if a block's ids end below its max id
        self._next_block()


W3LeafMatcher.skip_to = _skip_to


def _merge_beside_the_largest(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: every segment but the largest into one, or all into one once
    the others hold a quarter as many documents as the largest."""
    from whoosh.reading import SegmentReader

    largest = max(segments, key=lambda segment: segment.doc_count_all())
    others = [segment for segment in segments if segment is not largest]
    if sum(segment.doc_count_all() for segment in others) * 4 >= largest.doc_count_all():
        others, kept = segments, []
    else:
        kept = [largest]
    for segment in others:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return kept


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
        self._parsers: dict[tuple[Any, ...], tuple[Schema, _Parser]] = {}

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
                if _same(ix.schema, _schema()):
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

    def compact(self, parts: int = 1) -> bool:
        """Merge segments when there are more than ``parts`` (True when it did). A query
        opens a matcher per word and field in every segment: the six segments a rebuild of
        50,000 threads left cost a hint a quarter of its time. With ``parts`` of two or
        more, the small segments the worker's commits leave beside the big one are merged
        into one (seconds), and everything into one only once they add up to a quarter of
        the big one (about three minutes at 50,000 threads); searches go on meanwhile."""
        ix = self._index(create=True)
        with ix.reader() as reader:
            if len(reader.leaf_readers()) <= parts:
                return False
        writer = ix.writer(limitmb=128)
        writer.commit(mergetype=writing.OPTIMIZE if parts <= 1 else _merge_beside_the_largest)
        return True

    def clear(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._ix = index.create_in(str(self.path), _schema())

    # --- searching ----------------------------------------------------------------
    def _parser(
        self,
        schema: Schema,
        *,
        any_word: bool = False,
        fields: tuple[str, ...] = ("title", "body", "tags"),
        coordination: float = 0.9,
    ) -> _Parser:
        """A parser of the public's queries, made once per index schema (making one is a
        good part of a short query's time). ``coordination``: how much more a document
        matching more of the words is worth (Whoosh's OrGroup factor), for any word."""
        key = (any_word, fields, coordination)
        made = self._parsers.get(key)
        if made is not None and made[0] is schema:
            return made[1]
        group = qparser.AndGroup
        if any_word:
            group = qparser.OrGroup.factory(coordination) if coordination else qparser.OrGroup
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
        self._parsers[key] = (schema, _Parser(parser))
        return self._parsers[key][1]

    def _plans(self, searcher: Any, text: str, any_word: bool) -> tuple[list[Any], Any]:
        """The queries to try in turn until one finds something (every word, then any word;
        any word alone for hints), and the query on titles and tags that picks a hint's
        candidates by words (``NullQuery`` when none of its words is rare enough).

        In a large index, common words (see ``text.COMMON_POSTINGS``) stop being required:
        the rare words find the candidates and the common ones only lift title matches.
        Queries with syntax (phrases, operators, grouping) are taken as written.
        """
        schema = searcher.schema
        analyzer = schema["body"].analyzer
        stems = {word: [token.text for token in analyzer(word)] for word in text.split()}
        if not has_syntax(text):
            # Stop words ("the", "how") are dropped from the title and body by their
            # analyzer, but not from tags: left in, each became a required tag of the
            # "every word" query, which then almost never matched. A word with the same
            # stems as an earlier one ("question questions") adds nothing but time.
            seen: set[tuple[str, ...]] = set()
            kept = []
            for word in text.split():
                if stems[word] and tuple(stems[word]) not in seen:
                    seen.add(tuple(stems[word]))
                    kept.append(word)
            text = " ".join(kept) or text
        # One word: no coordination factor (it changes no ranking then, and without it
        # Whoosh can skip low scores: "question" alone took 110 ms at 50,000 threads).
        coordination = 0.9 if len(text.split()) > 1 else 0
        reader = searcher.reader()
        heading = query.NullQuery
        # A hint's title and tag query: its words in few titles (HEADING_COMMON), without
        # the coordination factor, which kept Whoosh from skipping the low scores.
        few = [
            word
            for word in text.split()
            if any_word
            and not all(reader.doc_frequency("title", stem) > HEADING_COMMON for stem in stems[word])
        ]
        if few:
            heading = self._parser(schema, any_word=True, fields=TITLE_TAGS, coordination=0).parse(
                " ".join(few)
            )
        rare: list[str] = []
        common: list[str] = []
        if searcher.doc_count() > COMMON_POSTINGS and not has_syntax(text):
            for word in text.split():
                if not stems[word]:
                    continue  # a stop word: the parser drops it as well
                frequent = all(reader.doc_frequency("body", stem) > COMMON_POSTINGS for stem in stems[word])
                (common if frequent else rare).append(word)
        steps = [True] if any_word else [False, True]  # (whether any word will do)
        if not common:
            plans = [
                self._parser(schema, any_word=step, coordination=coordination).parse(text) for step in steps
            ]
        elif not rare:
            plans = [
                self._parser(schema, any_word=step, fields=TITLE_TAGS, coordination=coordination).parse(text)
                for step in steps
            ]
        else:
            lift = self._parser(schema, any_word=True, fields=("title",)).parse(" ".join(common))
            # (Whoosh's block-quality skipping can loop forever on AndMaybe, so search()
            # turns it off for these; the rare words' posting lists are short.)
            plans = [
                query.AndMaybe(self._parser(schema, any_word=step).parse(" ".join(rare)), lift)
                for step in steps
            ]
        return plans, heading

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
        plans, heading = self._plans(searcher, text, q.any_word)
        filters = self._filters(q)
        exclude = query.Or([query.Term("key", key) for key in q.exclude_keys]) if q.exclude_keys else None
        options = {
            "limit": CANDIDATES,
            "filter": query.And(filters) if filters else None,
            "mask": exclude,
            "terms": True,
        }
        candidates: list[Any] = []
        near: dict[str, float] = {}
        if plans[0] is query.NullQuery:
            near = semantic(q)
        elif q.any_word and q.vector is not None:
            # A hint: the candidates are the threads nearest by meaning and the best title
            # and tag matches, each then scored by the whole any-word query. Finding the
            # best matches of that query in every body was most of a hint's time at 50,000
            # threads, and what it added is nearly always among these.
            headings = []
            if heading is not query.NullQuery:
                headings = self._scored(searcher.search(heading, **{**options, "limit": HINT_CANDIDATES}))
            near = semantic(q, [hit["key"] for hit in headings], count=HINT_CANDIDATES)
            keys = set(near) | {hit["key"] for hit in headings}
            scored = query.AndMaybe(_Keys(keys), plans[-1])
            candidates = self._scored(
                searcher.search(scored, optimize=False, **{**options, "limit": len(keys) or 1})
            )
        else:
            # Every word first (precise, and fast on common words); any word when that
            # finds nothing, or at once for hints (``any_word``).
            for plan in plans:
                hits = searcher.search(plan, optimize=not isinstance(plan, query.AndMaybe), **options)
                if not hits.is_empty():
                    break
            # Only the scored candidates: iterating ``hits`` itself would ask for its length,
            # which makes Whoosh count every match of the query (the slowest part of a search).
            candidates = self._scored(hits)
            near = semantic(q, [hit["key"] for hit in candidates])
        lexical = {hit["key"]: hit.score for hit in candidates if hit.score > 0}
        found = {hit["key"] for hit in candidates}
        if missing := [key for key in near if key not in found]:
            # Threads found by meaning alone, filtered as the query asks.
            candidates += self._scored(searcher.search(_Keys(missing), **{**options, "limit": len(missing)}))
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
            matched = _matched(hit) if q.snippets else {}
            snippet = _marked_html(excerpt, matched.get("body", set()), passages=2) or str(
                escape(excerpt[:SNIPPET_CHARS])
            )
            title_html = _marked_html(hit["title"], matched.get("title", set())) or str(escape(hit["title"]))
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
    def _scored(hits: Any) -> list[Any]:
        """The scored hits (only those: iterating the results would count every match)."""
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
