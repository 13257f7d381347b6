"""Flagging posts, the review queue for flagged posts, one's own flags, and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community import permissions
from community.actions.moderation import VERDICTS, claim_review, decide_review, flag_post
from community.actions.queues import QueueConflict
from community.forms import FlagForm
from community.models import Answer, AuditEntry, Comment, Flag, Question, ReviewItem
from community.ratelimits import too_fast
from community.views.helpers import viewer

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
    if kind == "question":
        return get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    if kind == "answer":
        return get_object_or_404(Answer.objects.visible_to(request.user).select_related("question"), pk=pk)
    return get_object_or_404(Comment.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def flag_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(kind, pk, request)
    question = (
        post if isinstance(post, Question) else post.question if isinstance(post, Answer) else post.thread
    )
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


@login_required
def review_list_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_review(request.user)
    items = ReviewItem.objects.filter(state__in=ReviewItem.OPEN_STATES).select_related(
        "question", "answer__question", "comment", "assignee"
    )
    page = Paginator(items, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(request.GET.get("page") or 1)
    return render(request, "community/review_list.html", {"page": page, "query": {}})


def _item(request: HttpRequest, pk: int) -> ReviewItem:
    permissions.check_can_review(request.user)
    return get_object_or_404(
        ReviewItem.objects.select_related(
            "question__author", "answer__author", "answer__question", "comment__author"
        ),
        pk=pk,
    )


@login_required
def review_item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    post = item.post
    flags = list(
        Flag.objects.filter(**{type(post).__name__.lower(): post}).select_related("flagger", "duplicate_of")
    )
    reasons = sorted({flag.reason for flag in flags})
    return render(
        request,
        "community/review_item.html",
        {
            "item": item,
            "post": post,
            "flags": flags,
            "guidance": [GUIDANCE[reason] for reason in reasons],
            "verdicts": VERDICTS,
            "history": item.history.select_related("actor"),
        },
    )


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
def review_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    verdict = request.POST.get("verdict", "")
    if verdict not in VERDICTS:
        messages.error(request, "Choose remove, spam or keep.")
        return redirect(item)
    try:
        decide_review(item, verdict=verdict, by=viewer(request), note=request.POST.get("note", "")[:500])
    except QueueConflict:
        messages.error(request, "Another reviewer settled this one first.")
        return redirect("community:review")
    messages.success(request, VERDICTS[verdict] + ".")
    return redirect("community:review")


@login_required
def my_flags_view(request: HttpRequest) -> HttpResponse:
    flags = Flag.objects.filter(flagger=viewer(request)).select_related(
        "question", "answer__question", "comment"
    )
    return render(request, "community/my_flags.html", {"flags": flags[:100]})


@login_required
def audit_log_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_read_audit_log(request.user):
        raise PermissionDenied("Only staff can read the audit log.")
    entries = AuditEntry.objects.select_related("actor", "content_type")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action[:40])
    page = Paginator(entries, 50).get_page(request.GET.get("page") or 1)
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(
        request,
        "community/audit_log.html",
        {"page": page, "action": action, "actions": actions, "query": {"action": action} if action else {}},
    )
