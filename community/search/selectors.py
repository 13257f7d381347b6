"""The reads pages make of the search index: a search that never turns a page into a
500, similar-question hints, and a question's related threads."""

from __future__ import annotations

import html
import logging
from typing import Any

from django.utils.html import strip_tags

from community.models import LinkKind, Question, QuestionLink
from community.search import IndexMissing, SearchHit, SearchQuery, SearchResults, get_engine

logger = logging.getLogger("askwell.search")


UNAVAILABLE = "Search is unavailable right now; please try again shortly."


def safe_search(query: SearchQuery) -> SearchResults:
    """Search, but never let a broken or missing index turn a page into a 500."""
    try:
        return get_engine().search(query)
    except IndexMissing as missing:  # the search worker (re)builds it; say so, quietly
        logger.warning("Search index missing: %s", missing)
        return SearchResults(notices=[UNAVAILABLE])
    except Exception:  # the engine's failures vary (locked, corrupt, database down)
        logger.exception("Search failed for %r", query.text[:100])
        return SearchResults(notices=[UNAVAILABLE])


SIMILAR_LIMIT = 5


def without_listed_duplicates(hits: list[SearchHit]) -> list[SearchHit]:
    """Hints and related threads: a thread closed as a duplicate is left out when its
    original is listed too (one query, only when there are question hits)."""
    ids = {hit.question_id for hit in hits if hit.kind == "question"}
    if len(ids) < 2:
        return hits
    duplicates = set(
        QuestionLink.objects.filter(
            kind=LinkKind.DUPLICATE, source_id__in=ids, target_id__in=ids, source__closed_at__isnull=False
        ).values_list("source_id", flat=True)
    )
    return [hit for hit in hits if not (hit.kind == "question" and hit.question_id in duplicates)]


def similar_to(title: str) -> SearchResults:
    """Hints for a title being typed on the ask page (articles first, as search ranks; by
    text and meaning alone, not votes: what a new question duplicates need not be popular)."""
    results = safe_search(SearchQuery(text=title, per_page=SIMILAR_LIMIT, boosts=False, any_word=True))
    results.hits = without_listed_duplicates(results.hits)
    return results


EXCERPT_CHARS = 220


def accepted_answer_excerpts(question_ids: list[int]) -> dict[int, str]:
    """The first lines of these questions' accepted answers, as plain text (one query)."""
    if not question_ids:
        return {}
    rows = Question.objects.filter(
        pk__in=question_ids, is_deleted=False, accepted_answer__is_deleted=False
    ).values_list("pk", "accepted_answer__body_html")
    excerpts = {}
    for pk, body_html in rows:
        text = " ".join(html.unescape(strip_tags(body_html or "")).split())
        excerpts[pk] = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    return excerpts


def related_to(question: Any) -> list[SearchHit]:
    """Threads related to a question (best first, itself excluded), for the search worker
    to keep on the question (``refresh_related``). Raises when the index cannot answer:
    an empty list kept for a day would hide them."""
    query = SearchQuery(
        text=question.title,
        per_page=SIMILAR_LIMIT,
        boosts=False,
        any_word=True,
        exclude_keys=(f"question:{question.pk}",),
    )
    return without_listed_duplicates(get_engine().search(query).hits)
