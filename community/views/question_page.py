"""The question page as several views render it: its own detail view, and the answer,
close and merge forms that show it again with their errors (400, 403, 429)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community import fragments, permissions
from community.extensions import question_panels
from community.forms import AnswerForm, CommentForm
from community.models import Answer, CloseReason, CloseVote, CloseVoteKind, Question
from community.querysets import question_page, related_threads
from community.views.helpers import viewer


def render_question(
    request: HttpRequest,
    question: Question,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> HttpResponse:
    """The question page; ``typed`` holds what a refused close, reopen or lock form had
    in it, so the form comes back filled in."""
    page = question_page(question, viewer(request))
    return render(
        request,
        "community/question_detail.html",
        {
            "question": question,
            "page": page,
            "answer_form": answer_form or AnswerForm(),
            "comment_form": CommentForm(),
            "structured_data": json.dumps(qa_page_data(request, page.question, page.answers)),
            "related": related_threads(question, viewer(request)),
            "answer_blocks": stored_answer_blocks(request, page.question, page.answers),
            "panels": question_panels(question, request),
            "closing": closing_panel(question, request.user),
            "typed": typed or {},
        },
        status=status,
    )


def stored_answer_blocks(request: HttpRequest, question: Question, answers: list[Answer]) -> dict[str, str]:
    """Each answer's block key for this reader, and the blocks already stored (one read)."""
    if not fragments.enabled():
        return {}
    for answer in answers:
        answer.fragment_key = fragments.answer_key(answer, question, request.user, request.path)  # type: ignore[attr-defined]
    return fragments.stored_blocks([answer.fragment_key for answer in answers])  # type: ignore[attr-defined]


def closing_panel(question: Question, user: Any) -> dict[str, Any] | None:
    """What the close/reopen form shows a member who may vote: the votes so far, and
    whether they have voted (one query, for those members only)."""
    if not permissions.can_vote_close(user, question):
        return None
    kind = CloseVoteKind.REOPEN if question.closed_at else CloseVoteKind.CLOSE
    voters = set(
        CloseVote.objects.filter(question=question, kind=kind, is_active=True).values_list("voter", flat=True)
    )
    return {
        "kind": kind,
        "votes": len(voters),
        "voted": user.pk in voters,
        "needed": settings.COMMUNITY_CLOSE_VOTES,
        "at_once": permissions.is_moderator(user),
        "reasons": CloseReason.choices,
    }


def qa_page_data(request: HttpRequest, question: Question, answers: list[Answer]) -> dict[str, Any]:
    """schema.org QAPage markup, so search engines show the accepted answer."""

    def answer_data(answer: Answer) -> dict[str, Any]:
        return {
            "@type": "Answer",
            "text": answer.body,
            "upvoteCount": answer.score,
            "dateCreated": answer.created_at.isoformat(),
            "url": request.build_absolute_uri(answer.get_absolute_url()),
            "author": {"@type": "Person", "name": answer.author.public_name},
        }

    main: dict[str, Any] = {
        "@type": "Question",
        "name": question.title,
        "text": question.body,
        "answerCount": len(answers),
        "upvoteCount": question.score,
        "dateCreated": question.created_at.isoformat(),
        "author": {"@type": "Person", "name": question.author.public_name},
    }
    accepted = [a for a in answers if a.pk == question.accepted_answer_id]
    if accepted:
        main["acceptedAnswer"] = answer_data(accepted[0])
    suggested = [answer_data(a) for a in answers if a.pk != question.accepted_answer_id]
    if suggested:
        main["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": main}
