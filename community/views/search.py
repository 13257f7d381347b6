"""Search, and the similar-question hints that deflect a question before it is asked."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from community import pagecache
from community.actions.deflection import record_hint_clicked, record_hints_shown
from community.forms import SearchForm
from community.models import Category, Question
from community.pagecache import stored_page
from community.search import SearchQuery
from community.search.selectors import accepted_answer_excerpts, safe_search, similar_to
from community.search.text import MAX_QUERY_CHARS
from community.views.helpers import reader_key


def _day(value: Any, end: bool = False) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


@stored_page
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
        if context["results"].notices:  # search is down: not a page to keep
            pagecache.skip(request)
    return render(request, "community/search.html", context)


def similar_view(request: HttpRequest) -> HttpResponse:
    """An HTML fragment of threads like the question being typed (htmx on the ask page):
    its title, and its body as it grows. Solved threads show their accepted answer's first
    lines, so the customer can stop there."""
    title = request.GET.get("title", "")[: MAX_QUERY_CHARS * 2]
    body = request.GET.get("body", "")[: MAX_QUERY_CHARS * 2]
    hints: list[tuple[Any, str]] = []
    # A NUL in a question being typed gets no hints: the ask form itself refuses it, with
    # its message, when the question is posted (and PostgreSQL refuses to store it).
    typed = f"{title.strip()} {body.strip()}".strip()[:MAX_QUERY_CHARS]
    if (len(title.strip()) >= 4 or len(body.strip()) >= 20) and "\x00" not in typed:
        results = similar_to(typed)
        answers = accepted_answer_excerpts(
            [hit.question_id for hit in results.hits if hit.kind == "question" and hit.solved]
        )
        hints = [
            (hit, answers.get(hit.question_id, "") if hit.kind == "question" else "") for hit in results.hits
        ]
        if results.hits and (reader := reader_key(request)) is not None:
            record_hints_shown(
                user=request.user,
                session_key=reader,
                typed=title or typed,
                hits=[(hit.kind, hit.question_id) for hit in results.hits],
            )
    return render(request, "community/_similar.html", {"hints": hints, "title": title})


def hint_click_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A similar-question hint was opened from the ask page: note it, then go there."""
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    if (reader := reader_key(request)) is not None:
        record_hint_clicked(user=request.user, session_key=reader, question=question)
    return redirect(question)
