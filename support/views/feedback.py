"""The product managers' feedback inbox, the triage inbox, an item's page, and the public
roadmap."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from community.actions.queues import QueueConflict
from community.exports import csv_download
from support import permissions
from support.actions.feedback import claim_feedback, feedback_tags, release_feedback, send_to_team, set_status
from support.forms import BulkStatusForm, FeedbackFilterForm, FeedbackStatusForm, SendToTeamForm
from support.models import Digest, FeedbackItem, FeedbackStatus
from support.querysets import feedback_with_signals, on_the_roadmap, teams_visible_to

SORTS = {
    "demand": ("-demand", "-question__created_at"),
    "cost": ("-escalation_count", "-question__me_too_count", "-demand"),
    "age": ("-question__created_at",),
    "trend": ("-trend", "-demand"),
}


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_triage_feedback(request.user)
    user: User = request.user  # type: ignore[assignment]
    form = FeedbackFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "support/feedback_inbox.html", {"form": form}, status=400)
    data = form.cleaned_data
    items = FeedbackItem.objects.filter(team__in=teams_visible_to(user))
    if data["kind"]:
        items = items.filter(kind=data["kind"])
    if data["status"]:
        items = items.filter(status="" if data["status"] == "new" else data["status"])
    if data["tag"]:
        items = items.filter(question__tags__name=data["tag"])
    sort = data["sort"] or "demand"
    items = feedback_with_signals(items).order_by(*SORTS[sort], "pk")
    page = Paginator(items, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(data["page"] or 1)
    return render(
        request,
        "support/feedback_inbox.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "query": {k: v for k, v in data.items() if v and k != "page"},
            "status_form": FeedbackStatusForm(),
            "kinds": sorted(feedback_tags()),
            "teams": teams_visible_to(user),
        },
    )


@login_required
@require_POST
def bulk_status_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_triage_feedback(request.user)
    user: User = request.user  # type: ignore[assignment]
    visible = list(FeedbackItem.objects.filter(team__in=teams_visible_to(user)).values_list("pk", flat=True))
    form = BulkStatusForm(request.POST, item_ids=visible)
    if not form.is_valid():
        messages.error(request, "Choose at least one item of your team's and a status.")
        return redirect("feedback:inbox")
    changed = 0
    for item in FeedbackItem.objects.filter(pk__in=form.cleaned_data["items"]).select_related("team"):
        set_status(item, status=form.cleaned_data["status"], response=form.cleaned_data["response"], by=user)
        changed += 1
    messages.success(request, f"Status set on {changed} item(s); followers are being told.")
    return redirect("feedback:inbox")


def _item(request: HttpRequest, pk: int) -> FeedbackItem:
    permissions.check_can_triage_feedback(request.user)
    item = get_object_or_404(feedback_with_signals(FeedbackItem.objects.all()), pk=pk)
    permissions.check_can_open_feedback_item(request.user, item)
    return item


@login_required
def item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if request.method == "POST":
        form = FeedbackStatusForm(request.POST)
        if form.is_valid():
            set_status(
                item,
                status=form.cleaned_data["status"],
                response=form.cleaned_data["response"],
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, "Status published; followers are being told.")
            return redirect(item)
        status = 400
    else:
        form = FeedbackStatusForm(
            initial={"status": item.status or "under_review", "response": item.public_response}
        )
        status = 200
    return render(
        request,
        "support/feedback_item.html",
        {
            "item": item,
            "form": form,
            "send_form": SendToTeamForm(),
            "history": item.history.select_related("actor"),
            "may_answer": permissions.can_answer_feedback(request.user, item),
        },
        status=status,
    )


@login_required
def triage_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_triage_feedback(request.user)
    items = feedback_with_signals(FeedbackItem.objects.filter(team__isnull=True)).order_by(
        "-demand", "-created_at", "pk"
    )
    page = Paginator(items, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(request.GET.get("page") or 1)
    return render(
        request, "support/feedback_triage.html", {"page": page, "send_form": SendToTeamForm(), "query": {}}
    )


@login_required
@require_POST
def send_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = SendToTeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a team.")
        return redirect("feedback:triage")
    item = send_to_team(item, team=form.cleaned_data["team"], by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Sent to {item.team}.")
    return redirect("feedback:triage")


@login_required
@require_POST
def claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        claim_feedback(item, by=request.user)  # type: ignore[arg-type]
        messages.success(request, "It is yours now: it shows under My work.")
    except QueueConflict:
        messages.error(request, "Someone else took it first.")
    return redirect(item)


@login_required
@require_POST
def release_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        release_feedback(item, by=request.user)  # type: ignore[arg-type]
        messages.success(request, "Given back to the inbox.")
    except QueueConflict:
        messages.error(request, "You were not holding it.")
    return redirect(item)


def changelog_view(request: HttpRequest) -> HttpResponse:
    """Public: what shipped of what customers asked for, newest first, by month, each with
    the thread that asked for it and how many asked."""
    shipped = on_the_roadmap().filter(status=FeedbackStatus.SHIPPED)
    page = Paginator(shipped, 50).get_page(request.GET.get("page") or 1)  # newest first, as the roadmap
    months: list[tuple[Any, list[FeedbackItem]]] = []
    for item in page:
        month = (item.status_changed_at or item.created_at).date().replace(day=1)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(item)
    return render(request, "support/changelog.html", {"months": months, "page": page, "query": {}})


def roadmap_view(request: HttpRequest) -> HttpResponse:
    """Public: what is planned, in progress and shipped."""
    shown = [FeedbackStatus.PLANNED, FeedbackStatus.IN_PROGRESS, FeedbackStatus.SHIPPED]
    items = on_the_roadmap()
    columns = [(FeedbackStatus(s).label, [item for item in items if item.status == s]) for s in shown]
    return render(request, "support/roadmap.html", {"columns": columns})


@login_required
def digest_list_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_triage_feedback(request.user)
    digests = Digest.objects.filter(team__in=teams_visible_to(request.user)).select_related("team")  # type: ignore[arg-type]
    page = Paginator(digests, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(request.GET.get("page") or 1)
    return render(request, "support/digest_list.html", {"page": page, "query": {}})


@login_required
def digest_view(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.check_can_triage_feedback(request.user)
    digest = get_object_or_404(Digest.objects.select_related("team"), pk=pk)
    permissions.check_can_read_digest(request.user, digest)
    export = request.GET.get("format", "")
    if export == "json":
        as_json = JsonResponse({"digest_id": digest.pk, **digest.content}, json_dumps_params={"indent": 2})
        as_json["Content-Disposition"] = f'attachment; filename="digest-{digest.pk}.json"'
        return as_json
    if export == "csv":
        response, writer = csv_download(f"digest-{digest.pk}.csv")
        writer.writerow(["section", "title", "url", "detail"])
        for section in ("new", "most_demanded", "trending", "status_changes", "quotes"):
            for row in digest.content.get(section, []):
                detail = row.get("quote") or row.get("status") or row.get("kind", "")
                writer.writerow([section, row["title"], row["url"], detail])
        return response
    if export:
        return HttpResponse("Unknown format: use csv or json.", status=400, content_type="text/plain")
    return render(
        request,
        "support/digest_detail.html",
        {"digest": digest, "content": digest.content, "deliveries": digest.deliveries.all()},
    )
