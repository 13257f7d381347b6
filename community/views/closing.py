"""Closing, reopening and locking questions, and redacting personal data from posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community import permissions
from community.actions.closing import lock_thread, unlock_thread, vote_to_close, vote_to_reopen
from community.actions.redaction import MIN_LENGTH, RedactionError, redact
from community.models import Answer, Comment, Question
from community.querysets import visible_post
from community.views.helpers import close_request, posted_text, viewer
from community.views.question_page import render_question


def _question(request: HttpRequest, pk: int) -> Question:
    return visible_post(request.user, "question", pk)  # type: ignore[return-value]


@login_required
@require_POST
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    permissions.check_can_vote_close(request.user, question)
    reason, duplicate_of, problem = close_request(request, question)
    note, note_problem = posted_text(request, "note")
    if problem or note_problem:
        messages.error(request, problem or f"The note: {note_problem}")
        typed = {"close_note": note, "duplicate_of": request.POST.get("duplicate_of", "")}
        return render_question(request, question, status=400, typed=typed)
    question = vote_to_close(
        question, by=viewer(request), reason=reason, duplicate_of=duplicate_of, note=note
    )
    if question.closed_at:
        messages.success(request, f"Closed: {question.get_close_reason_display().lower()}.")
    else:
        messages.success(request, "Your vote to close is in; reviewers will see it in the close-votes queue.")
    return redirect(question)


@login_required
@require_POST
def reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    note, problem = posted_text(request, "note")
    if problem:
        messages.error(request, f"The note: {problem}")
        return render_question(request, question, status=400, typed={"reopen_note": note})
    question = vote_to_reopen(question, by=viewer(request), note=note)
    messages.success(request, "Reopened." if question.closed_at is None else "Your vote to reopen is in.")
    return redirect(question)


@login_required
@require_POST
def lock_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    permissions.check_can_lock(request.user, question)
    reason, problem = posted_text(request, "reason")
    reason = reason.strip()  # one line that readers see: its outer spaces mean nothing
    if problem or not reason:
        messages.error(
            request,
            f"The reason: {problem}" if problem else "Say why the thread is locked; its readers see it.",
        )
        return render_question(request, question, status=400, typed={"lock_reason": reason})
    lock_thread(question, by=viewer(request), reason=reason)
    messages.success(request, "Locked: the thread takes no new answers, comments, edits or votes.")
    return redirect(question)


@login_required
@require_POST
def unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    reason, problem = posted_text(request, "reason")
    if problem:
        messages.error(request, f"The reason: {problem}")
        return render_question(request, question, status=400)
    unlock_thread(question, by=viewer(request), reason=reason)
    messages.success(request, "Unlocked.")
    return redirect(question)


def _post(request: HttpRequest, kind: str, pk: int) -> Question | Answer | Comment:
    return visible_post(request.user, kind, pk)


@login_required
def redact_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A moderator removes personal data (exact text) from a post and all its revisions."""
    post = _post(request, kind, pk)
    permissions.check_can_redact(request.user, post)
    text, text_problem = posted_text(request, "text", max_length=1000)
    reason, reason_problem = posted_text(request, "reason")
    context = {"post": post, "kind": kind, "text": text, "reason": reason, "min_length": MIN_LENGTH}
    if request.method != "POST":
        return render(request, "community/redact.html", context)
    if text_problem or reason_problem:
        error = f"The text: {text_problem}" if text_problem else f"The reason: {reason_problem}"
        return render(request, "community/redact.html", {**context, "error": error}, status=400)
    try:
        places = redact(post, by=viewer(request), text=text, reason=reason)
    except RedactionError as problem:
        return render(request, "community/redact.html", {**context, "error": str(problem)}, status=400)
    messages.success(
        request, f"Redacted in {places} place{'s' if places != 1 else ''}, including earlier revisions."
    )
    return redirect(post)
