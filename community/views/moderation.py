"""Flagging posts, the review queues, one's own flags, and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community import extensions, permissions
from community.actions.moderation import flag_post
from community.actions.queues import QueueConflict, release
from community.actions.review import (
    DONE,
    claim_review,
    decide_review,
    skip_review,
    verdicts_for,
)
from community.forms import FlagForm
from community.models import (
    Answer,
    AuditEntry,
    CloseReason,
    CloseVote,
    Comment,
    Flag,
    ReviewItem,
    ReviewKind,
)
from community.models.moderation import on_post
from community.querysets import visible_post
from community.ratelimits import too_fast
from community.views.helpers import close_request, posted_text, viewer

GUIDANCE = {
    "spam": "Spam has no customer behind it: remove it as spam (its author loses reputation).",
    "rude": "Is it a troll or a rant, or an unhappy customer with a real problem under the tone? "
    "Remove abuse; for a real problem, keep it, respond calmly, and route it to support.",
    "off_topic": "A misguided customer? Keep it and point them to the right place, or close it.",
    "duplicate": "Link the original and merge, so the demand adds up there.",
    "needs_improvement": "Fix the facts gently (edit, and say so in a comment) or let it stand and monitor.",
    "needs_staff": "Support has been asked to look at it; keep the post unless it is also abusive.",
    "other": "Read the flagger's reason; when in doubt, let it stand and monitor.",
}


def _post(kind: str, pk: int, request: HttpRequest) -> Any:
    return visible_post(request.user, kind, pk)


@login_required
@require_POST
def flag_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(kind, pk, request)
    question = post.thread
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose why you are flagging it" + (
            " and say a few words" if form.has_error("detail") else "") + ".")  # fmt: skip
        return redirect(question)
    if message := too_fast(request, "flag"):
        messages.error(request, message.split(" Your text")[0] + " Try again in a little while.")
        context = {"message": message.split(" Your text")[0], "back": question.get_absolute_url()}
        return render(request, "429.html", context, status=429)
    flag_post(
        post,
        by=viewer(request),
        reason=form.cleaned_data["reason"],
        detail=form.cleaned_data["detail"],
        duplicate_of=form.cleaned_data.get("duplicate_of"),
    )
    messages.success(
        request, "Thank you: reviewers will look at it. You can follow the outcome under My flags."
    )
    return redirect(question)


KIND_GUIDANCE = {
    ReviewKind.FIRST_POST: "A new member's post, already published: nobody waited on you. Welcome them. "
    "A real question or answer? Approve it, or fix the facts and formatting first (edit, and say so). "
    "An unhappy customer with a real problem: respond, and route it to support. Spam: remove it as spam.",
    ReviewKind.LATE_ANSWER: "An answer on an old question. Does it add something (a newer version, a better "
    "fix)? Approve it. A “me too”, a new question or a thank-you is not an answer: remove it.",
    ReviewKind.CLOSE: "Members voted to close it. Closing stops new answers; the asker can still edit it "
    "and ask to reopen. Close it if the reason holds (a duplicate links to its original); "
    "otherwise leave it open.",
    ReviewKind.REOPEN: "It was closed, then edited or voted to reopen. Reopen it if it now stands on its "
    "own (details given, not a duplicate after all); otherwise leave it closed.",
}
TRIAGE = (
    "Assess the message: positive or negative? A troll or a rant, a misguided customer, or an unhappy "
    "customer with a real problem? Then fix the facts gently, respond, route it to support or product "
    "feedback, or let it stand and monitor."
)


# What an audit row can be about: the model name and its app.
AUDIT_TARGETS = {"question": "community", "answer": "community", "comment": "community", "user": "accounts"}


def _queue_kind(value: str) -> str:
    return value if value in ReviewKind.values else ""


@login_required
def review_list_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_review(request.user)
    kind = _queue_kind(request.GET.get("queue", ""))
    items = ReviewItem.objects.for_reviewer(viewer(request), kind).select_related(
        "question", "answer__question", "comment", "assignee"
    )
    page = Paginator(items, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(request.GET.get("page") or 1)
    context = {
        "page": page,
        "queue": kind,
        "query": {"queue": kind} if kind else {},
    }
    return render(request, "community/review_list.html", context)


def _item(request: HttpRequest, pk: int) -> ReviewItem:
    permissions.check_can_review(request.user)
    return get_object_or_404(
        ReviewItem.objects.select_related(
            "question__author", "answer__author", "answer__question", "comment__author", "assignee"
        ),
        pk=pk,
    )


@login_required
def review_item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    post = item.post
    thread = post.thread
    flags = list(Flag.objects.filter(**on_post(post)).select_related("flagger", "duplicate_of"))
    guidance = [GUIDANCE[reason] for reason in sorted({flag.reason for flag in flags if not flag.outcome})]
    if item.kind in KIND_GUIDANCE:
        guidance.insert(0, KIND_GUIDANCE[ReviewKind(item.kind)])
    votes = list(
        CloseVote.objects.filter(question=thread, is_active=True).select_related("voter", "duplicate_of")
    )
    # The original that flaggers or voters named, to close a duplicate in one step.
    named = [f.duplicate_of for f in flags if f.duplicate_of] + [
        v.duplicate_of for v in votes if v.duplicate_of
    ]
    parent = (
        post.question
        if isinstance(post, Answer)
        else (post.answer or post.question)
        if isinstance(post, Comment)
        else None
    )
    context = {
        "item": item,
        "post": post,
        "thread": thread,
        "parent": parent,
        "flags": flags,
        "guidance": guidance,
        "triage": TRIAGE,
        "verdicts": verdicts_for(item),
        "close_reasons": CloseReason.choices,
        "feedback_tags": extensions.feedback_tags(),
        "close_votes": votes,
        "suggested_duplicate": named[0].pk if named else "",
        "can_edit_post": not isinstance(post, Comment) and permissions.can_edit(request.user, post),
        "history": item.history.select_related("actor"),
        "skipped": item.skipped_by.filter(pk=viewer(request).pk).exists(),
    }
    return render(request, "community/review_item.html", context)


@login_required
@require_POST
def review_claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        claim_review(item, by=viewer(request))
    except QueueConflict:
        messages.error(request, "Another reviewer took this one first.")
        return redirect("community:review")
    return redirect(item)


@login_required
@require_POST
def review_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        release(item, by=viewer(request))
    except QueueConflict:
        messages.error(request, "You were not holding it.")
    return redirect(item)


@login_required
@require_POST
def review_skip_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    skip_review(item, by=viewer(request))
    messages.success(request, "Skipped: it stays in the queue for the other reviewers.")
    return redirect(_next_url(item))


def _next_url(item: ReviewItem) -> str:
    return reverse("community:review") + f"?queue={item.kind}"


@login_required
@require_POST
def review_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    verdict = request.POST.get("verdict", "")
    allowed = verdicts_for(item)
    problem, reason, duplicate_of = "", "", None
    if verdict not in allowed:
        problem = (
            "Choose one of: " + "; ".join(label.split(" (")[0].lower() for label in allowed.values()) + "."
        )
    elif verdict == "close":
        reason, duplicate_of, problem = close_request(request, item.post.thread)
    elif verdict == "route_feedback" and request.POST.get("tag", "") not in extensions.feedback_tags():
        problem = "Choose the feedback tag to add."
    note, note_problem = posted_text(request, "note")
    problem = problem or (f"The note: {note_problem}" if note_problem else "")
    if problem:
        messages.error(request, problem)
        return redirect(item)
    try:
        decide_review(
            item, verdict=verdict, by=viewer(request), note=note, reason=reason,
            duplicate_of=duplicate_of, tag=request.POST.get("tag", ""),
        )  # fmt: skip
    except QueueConflict:
        messages.error(request, "Another reviewer settled this one first.")
        return redirect("community:review")
    messages.success(request, DONE[verdict] + ".")
    return redirect(_next_url(item))


@login_required
def my_flags_view(request: HttpRequest) -> HttpResponse:
    flags = Flag.objects.filter(flagger=viewer(request)).select_related(
        "question", "answer__question", "comment"
    )
    return render(request, "community/my_flags.html", {"flags": flags[:100]})


@login_required
def audit_log_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_read_audit_log(request.user)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    # NUL characters are no part of any action or username (and PostgreSQL refuses them).
    action = request.GET.get("action", "").replace("\x00", "")[:40]
    by = request.GET.get("by", "").replace("\x00", "").strip()[:150]
    on = request.GET.get("on", "")
    if action:
        entries = entries.filter(action=action)
    if by:
        entries = entries.filter(actor__username=by)
    if on in AUDIT_TARGETS:
        entries = entries.filter(content_type__app_label=AUDIT_TARGETS[on], content_type__model=on)
    page = Paginator(entries, 50).get_page(request.GET.get("page") or 1)
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    query = {key: value for key, value in (("action", action), ("by", by), ("on", on)) if value}
    return render(
        request,
        "community/audit_log.html",
        {
            "page": page,
            "action": action,
            "by": by,
            "on": on,
            "targets": AUDIT_TARGETS,
            "actions": actions,
            "query": query,
        },
    )
