"""Search, and the similar-question hints that deflect a question before it is asked."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community import pagecache
from community.actions.deflection import (
    record_card_shown,
    record_card_verdict,
    record_hint_clicked,
    record_hints_shown,
)
from community.actions.gaps import record_search
from community.forms import SearchForm
from community.models import Article, Category, Question
from community.pagecache import stored_page
from community.search import SearchQuery
from community.search.selectors import UNAVAILABLE, accepted_answer_excerpts, safe_search, similar_to
from community.search.text import MAX_QUERY_CHARS
from community.views.helpers import reader_key, session_key


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
        results = context["results"]
        if results.notices:  # search is down (or the text was changed): not a page to keep
            pagecache.skip(request)
        if UNAVAILABLE not in results.notices and (data["page"] or 1) == 1:
            _note_search(request, data["q"], results.total)
    return render(request, "community/search.html", context)


def _note_search(request: HttpRequest, text: str, found: int) -> None:
    """Knowledge gaps count the searches of readers with a session (a crawler has none and
    writes nothing); a reader's repeat served from their stored page counts once."""
    if request.session.session_key:
        record_search(request.session, text, found=found)


def similar_view(request: HttpRequest) -> HttpResponse:
    """An HTML fragment of threads like the question being typed (htmx on the ask page):
    its title, and its body as it grows. Solved threads show their accepted answer's first
    lines, so the customer can stop there."""
    title = request.GET.get("title", "")[: MAX_QUERY_CHARS * 2]
    body = request.GET.get("body", "")[: MAX_QUERY_CHARS * 2]
    hints: list[tuple[Any, str]] = []
    card = None
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
        card = _answer_card(hints)
        if results.hits and (reader := reader_key(request)) is not None:
            record_hints_shown(
                user=request.user,
                session_key=reader,
                typed=title or typed,
                hits=[(hit.kind, hit.question_id) for hit in results.hits],
            )
            if card is not None:
                record_card_shown(
                    user=request.user,
                    session_key=reader,
                    kind=card[0].kind,
                    pk=card[0].question_id,
                    typed=title or typed,
                )
    return render(request, "community/_similar.html", {"hints": hints, "card": card, "title": title})


def _answer_card(hints: list[tuple[Any, str]]) -> tuple[Any, str] | None:
    """The best hint, when it is confident enough to say "This may already be answered":
    a solved thread (with its accepted answer's first lines) or an article, at least
    COMMUNITY_ANSWER_CARD_SIMILARITY similar in meaning. Below that, no card pretends."""
    if not hints:
        return None
    hit, answer = hints[0]
    confident = hit.similarity is not None and hit.similarity >= settings.COMMUNITY_ANSWER_CARD_SIMILARITY
    if not confident or not (hit.kind == "article" or (hit.solved and answer)):
        return None
    return hit, answer


VERDICTS = {"solved": True, "not_mine": False}


@login_required
@require_POST
def answer_card_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """ "This solved it" or "Not my problem" on the answer card: both are recorded."""
    verdict = request.POST.get("verdict", "")
    if verdict not in VERDICTS:
        return HttpResponseBadRequest("The answer is 'solved' or 'not_mine'.")
    target: dict[str, Any]
    if kind == "article":
        target = {"article": get_object_or_404(Article.objects.filter(is_deleted=False), pk=pk)}
    else:
        target = {"question": get_object_or_404(Question.objects.visible_to(request.user), pk=pk)}
    solved = VERDICTS[verdict]
    record_card_verdict(user=request.user, session_key=session_key(request), solved=solved, **target)  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "community/_answer_card_done.html", {"solved": solved})
    if solved:
        messages.success(request, "Glad it is solved: nothing more to do.")
        return redirect("community:home")
    messages.info(request, "Thanks for saying so. Go on with your question.")
    return redirect("community:ask")


def hint_click_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A similar-question hint was opened from the ask page: note it, then go there."""
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    if (reader := reader_key(request)) is not None:
        record_hint_clicked(user=request.user, session_key=reader, question=question)
    return redirect(question)
