"""Search, and the similar-question hints that deflect a question before it is asked."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from community.actions.deflection import record_hint_clicked, record_hints_shown
from community.forms import SearchForm
from community.models import Category, LinkKind, Question, QuestionLink
from community.search import SearchHit, SearchQuery, SearchResults, get_engine
from community.search.text import MAX_QUERY_CHARS

logger = logging.getLogger("askwell.search")


def safe_search(query: SearchQuery) -> SearchResults:
    """Search, but never let a broken or missing index turn a page into a 500."""
    try:
        return get_engine().search(query)
    except Exception:  # the engine's failures vary (index missing, locked, corrupt)
        logger.exception("Search failed for %r", query.text[:100])
        return SearchResults(notices=["Search is unavailable right now; please try again shortly."])


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


def _day(value: Any, end: bool = False) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "categories": Category.objects.all()}
    if not form.is_valid():
        return render(request, "community/search.html", context, status=400)
    data = form.cleaned_data
    context["query"] = {k: v for k, v in data.items() if v and k != "page"}
    if data["q"].strip():
        status = data["status"]
        context["results"] = safe_search(
            SearchQuery(
                text=data["q"],
                tag=data["tag"],
                category=data["category"],
                solved={"solved": True, "unsolved": False}.get(status),
                created_from=_day(data["since"]),
                created_to=_day(data["until"], end=True),
                page=data["page"] or 1,
            )
        )
    return render(request, "community/search.html", context)


def similar_view(request: HttpRequest) -> HttpResponse:
    """An HTML fragment of threads like the title being typed (htmx on the ask page)."""
    title = request.GET.get("title", "")[: MAX_QUERY_CHARS * 2]
    results = None
    if len(title.strip()) >= 4:
        results = safe_search(SearchQuery(text=title, per_page=SIMILAR_LIMIT))
        results.hits = without_listed_duplicates(results.hits)
        if results.hits:
            record_hints_shown(
                user=request.user,
                session_key=session_key(request),
                typed=title,
                hits=[(hit.kind, hit.question_id) for hit in results.hits],
            )
    return render(request, "community/_similar.html", {"results": results, "title": title})


def hint_click_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A similar-question hint was opened from the ask page: note it, then go there."""
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    record_hint_clicked(user=request.user, session_key=session_key(request), question=question)
    return redirect(question)


def session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()  # anonymous visitors too: deflection counts them
    return request.session.session_key or ""


def related_to(question: Any) -> list[Any]:
    """Threads related to a question, for its page (best first, itself excluded)."""
    query = SearchQuery(
        text=question.title, per_page=SIMILAR_LIMIT, exclude_keys=(f"question:{question.pk}",)
    )
    return without_listed_duplicates(safe_search(query).hits)
