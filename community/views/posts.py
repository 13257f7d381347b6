"""Answers, comments, votes, acceptance, following and "I have this too"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community import permissions
from community.actions.answers import (
    accept_answer,
    delete_answer,
    edit_answer,
    mark_helped,
    post_answer,
    restore_answer,
    unaccept_answer,
)
from community.actions.comments import add_comment, delete_comment, restore_comment
from community.actions.deflection import record_solved_it
from community.actions.duplicates import merge_duplicate
from community.actions.engagement import follow_question, toggle_me_too, unfollow_question
from community.actions.spam import remove_as_spam
from community.actions.votes import cast_vote
from community.forms import AnswerEditForm, AnswerForm, CommentForm, PreviewForm, VoteForm
from community.markdown import render_markdown
from community.models import Answer, Comment, Question
from community.querysets import visible_post
from community.ratelimits import too_fast
from community.views.helpers import after_edit, invalid, question_by_reference, viewer
from community.views.question_page import render_question


def _question(request: HttpRequest, pk: int) -> Question:
    return visible_post(viewer(request), "question", pk)  # type: ignore[return-value]


def _answer(request: HttpRequest, pk: int) -> Answer:
    return visible_post(viewer(request), "answer", pk)  # type: ignore[return-value]


def _comment(request: HttpRequest, pk: int) -> Comment:
    return visible_post(viewer(request), "comment", pk)  # type: ignore[return-value]


def _post(request: HttpRequest, kind: str, pk: int) -> Question | Answer:
    return _question(request, pk) if kind == "question" else _answer(request, pk)


@login_required
@require_POST
def answer_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render_question(request, question, answer_form=form, status=400)
    if message := too_fast(request, "answer"):
        form.add_error("body", message)
        return render_question(request, question, answer_form=form, status=429)
    try:
        answer = post_answer(
            question,
            author=viewer(request),
            body=form.cleaned_data["body"],
            private=form.cleaned_data["private"],
        )
    except PermissionDenied as refused:  # closed or locked meanwhile: say so, keep the text
        form.add_error("body", str(refused))
        return render_question(request, question, answer_form=form, status=403)
    messages.success(request, "Thanks — your answer is posted.")
    return redirect(answer)


def answer_redirect_view(request: HttpRequest, pk: int) -> HttpResponse:
    """/answers/7/ → the answer in its thread (links that know only the answer's number)."""
    return redirect(_answer(request, pk))


def comment_redirect_view(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(_comment(request, pk))


@login_required
def answer_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    answer = _answer(request, pk)
    permissions.check_can_edit(user, answer)
    if request.method != "POST":
        form = AnswerEditForm(initial={"body": answer.body})
        return render(request, "community/answer_edit.html", {"answer": answer, "form": form})
    form = AnswerEditForm(request.POST)
    if not form.is_valid():
        return invalid(request, "community/answer_edit.html", {"answer": answer, "form": form})
    edit_answer(answer, by=user, **form.cleaned_data)
    messages.success(request, "Your edit is saved.")
    return redirect(after_edit(request, answer))


@login_required
@require_POST
def answer_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    delete_answer(answer, by=viewer(request))
    messages.success(request, "The answer was deleted.")
    return redirect(answer.question)


@login_required
@require_POST
def answer_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    restore_answer(answer, by=viewer(request))
    messages.success(request, "The answer was restored.")
    return redirect(answer)


@login_required
@require_POST
def comment_create_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(request, kind, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "question": post.thread, "post": post, "kind": kind}
        return invalid(request, "community/comment_form.html", context)
    if message := too_fast(request, "comment"):
        form.add_error("body", message)
        context = {"form": form, "question": post.thread, "post": post, "kind": kind}
        return render(request, "community/comment_form.html", context, status=429)
    try:
        comment = add_comment(
            post, author=viewer(request), body=form.cleaned_data["body"], private=form.cleaned_data["private"]
        )
    except PermissionDenied as refused:  # e.g. the thread was locked meanwhile: keep the text
        form.add_error("body", str(refused))
        context = {"form": form, "question": post.thread, "post": post, "kind": kind}
        return render(request, "community/comment_form.html", context, status=403)
    return redirect(comment)


@login_required
@require_POST
def comment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    delete_comment(comment, by=viewer(request))
    messages.success(request, "The comment was deleted.")
    return redirect(comment.thread)


@login_required
@require_POST
def comment_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    restore_comment(comment, by=viewer(request))
    return redirect(comment)


@login_required
@require_POST
def spam_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(request, kind, pk)
    remove_as_spam(post, by=viewer(request))
    messages.success(request, "Removed as spam.")
    return redirect(post.thread if isinstance(post, Answer) else "community:question_list")


@login_required
@require_POST
def vote_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(request, kind, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("A vote is 'up' or 'down'.")
    current = cast_vote(post, by=viewer(request), value=form.value)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "community/_vote.html",
            {"post": post, "kind": kind, "current": current},
        )
    return redirect(post)


@login_required
@require_POST
def accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    user = viewer(request)
    if request.POST.get("undo"):
        question = unaccept_answer(answer, by=user)
    else:
        question = accept_answer(answer, by=user)
    if request.htmx:  # type: ignore[attr-defined]
        # The page's #thread is re-rendered and swapped: the accepted answer moves first.
        return render_question(request, _question(request, question.pk))
    messages.success(request, "Marked as solved." if question.is_solved else "Acceptance removed.")
    return redirect(question)


@login_required
@require_POST
def helped_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    mark_helped(answer, by=viewer(request))
    messages.success(request, "Thank you — support will know their answer helped.")
    return redirect(answer.question)


@login_required
@require_POST
def follow_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    user = viewer(request)
    permissions.check_can_write(user)
    if request.POST.get("undo"):
        unfollow_question(question, user=user)
        following = False
    else:
        follow_question(question, user=user)
        following = True
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "community/_follow.html", {"question": question, "following": following})
    return redirect(question)


@login_required
@require_POST
def me_too_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    has_it = toggle_me_too(question, user=viewer(request))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "community/_me_too.html", {"question": question, "me_too": has_it, "can_me_too": True}
        )
    return redirect(question)


@login_required
@require_POST
def solved_it_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    record_solved_it(question, by=viewer(request))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "community/_solved_it.html", {"question": question, "said": True})
    messages.success(request, "Glad it helped — thanks for saying so.")
    return redirect(question)


@require_POST
def preview_view(request: HttpRequest) -> HttpResponse:
    """Live Markdown preview (htmx): the same render-and-sanitize pipeline as saving."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("The text is too long to preview.")
    return render(request, "community/_preview.html", {"html": render_markdown(form.cleaned_data["body"])})


@login_required
@require_POST
def merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this question, as a duplicate, into another (its number or its link)."""
    duplicate = _question(request, pk)
    permissions.check_can_merge(viewer(request), duplicate)
    into = question_by_reference(request, request.POST.get("into", ""))
    if into is None:
        messages.error(request, "Give the number or the link of the question this one duplicates.")
        return render_question(request, duplicate, status=400)
    merge_duplicate(duplicate, into=into, by=viewer(request))
    messages.success(request, f"Merged into “{into.title}”: its “me too”s and followers now count there.")
    return redirect(into)
