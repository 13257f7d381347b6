"""The staff queue and an escalation's page, and the customers' and advocates' requests
for staff help. Every staff view checks the permission first: customers and advocates
get a 403 on all of them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from community.actions.queues import QueueConflict
from community.charts import series_chart
from community.exports import csv_download
from community.models import Question
from support import permissions
from support.actions.escalations import (
    add_note,
    assign_escalation,
    change_state,
    claim_escalation,
    release_escalation,
    reply_officially,
    request_help,
)
from support.dashboard import Dashboard, measure
from support.forms import (
    PRIORITY_BANDS,
    AssignForm,
    DashboardForm,
    EscalateForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    StateForm,
)
from support.models import OPEN_STATES, Escalation, HelpRequestKind


def _staff(request: HttpRequest) -> User:
    permissions.check_can_work_queue(request.user)
    return request.user  # type: ignore[return-value]


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = QueueFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "support/queue.html", {"form": form}, status=400)
    data = form.cleaned_data
    escalations = Escalation.objects.select_related("question__category", "question__author", "assignee")
    if data["state"] == "all":
        pass
    elif data["state"]:
        escalations = escalations.filter(state=data["state"])
    else:
        escalations = escalations.filter(state__in=OPEN_STATES)
    if data["category"]:
        escalations = escalations.filter(question__category=data["category"])
    if data["priority"]:
        low, high = PRIORITY_BANDS[data["priority"]]
        escalations = escalations.filter(priority__gte=low, priority__lt=high)
    who = data["assignee"]
    if who == "me":
        escalations = escalations.filter(assignee=user)
    elif who == "none":
        escalations = escalations.filter(assignee__isnull=True)
    elif who:
        escalations = escalations.filter(assignee__username=who)
    if data["breached"]:
        escalations = escalations.filter(Q(breached_at__isnull=False) | Q(due_at__lt=timezone.now()))
    page = Paginator(escalations.order_by("due_at", "-priority", "pk"), settings.COMMUNITY_QUESTIONS_PER_PAGE)
    query = {k: (v.slug if k == "category" else v) for k, v in data.items() if v and k != "page"}
    return render(
        request,
        "support/queue.html",
        {"form": form, "page": page.get_page(data["page"] or 1), "query": query, "now": timezone.now()},
    )


def _escalation(request: HttpRequest, pk: int) -> Escalation:
    _staff(request)
    return get_object_or_404(
        Escalation.objects.select_related("question__author", "question__category", "assignee", "opened_by"),
        pk=pk,
    )


@login_required
def escalation_detail_view(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    escalation = _escalation(request, pk)
    context = {
        "escalation": escalation,
        "question": escalation.question,
        "history": escalation.history.select_related("actor"),
        "notes": escalation.notes.select_related("author"),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "reply_form": forms.get("reply_form") or ReplyForm(prefix="reply"),
        "assign_form": AssignForm(),
        "states": list(Escalation.TRANSITIONS.get(escalation.state, ())),
        "now": timezone.now(),
    }
    return render(request, "support/escalation_detail.html", context, status=forms.get("status", 200))


def _done(request: HttpRequest, escalation: Escalation, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(escalation)


def _conflict(request: HttpRequest, escalation: Escalation, error: QueueConflict) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(escalation)


@login_required
@require_POST
def claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    try:
        claim_escalation(escalation, by=_staff(request))
    except QueueConflict as error:
        return _conflict(request, escalation, error)
    return _done(request, escalation, "It is yours now.")


@login_required
@require_POST
def release_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    try:
        release_escalation(escalation, by=_staff(request))
    except QueueConflict as error:
        return _conflict(request, escalation, error)
    return _done(request, escalation, "Released back to the queue.")


@login_required
@require_POST
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a support staff member to assign it to.")
        return redirect(escalation)
    try:
        assign_escalation(escalation, to=form.cleaned_data["to"], by=_staff(request))
    except QueueConflict as error:
        return _conflict(request, escalation, error)
    return _done(request, escalation, f"Assigned to {form.cleaned_data['to'].public_name}.")


@login_required
@require_POST
def state_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = StateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That is not a state an escalation can have.")
        return redirect(escalation)
    try:
        change_state(
            escalation, form.cleaned_data["state"], by=_staff(request), note=form.cleaned_data["note"]
        )
    except QueueConflict as error:
        return _conflict(request, escalation, error)
    return _done(request, escalation, "State changed.")


@login_required
@require_POST
def note_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return escalation_detail_view(request, pk, note_form=form, status=400)
    add_note(escalation, by=_staff(request), body=form.cleaned_data["body"])
    return _done(request, escalation, "Note added (staff only).")


@login_required
@require_POST
def reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = ReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return escalation_detail_view(request, pk, reply_form=form, status=400)
    reply_officially(escalation, by=_staff(request), body=form.cleaned_data["body"])
    return _done(request, escalation, "Official reply posted on the thread.")


@login_required
@require_POST
def need_help_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    request_help(question, by=request.user, kind=HelpRequestKind.ASKER)  # type: ignore[arg-type]
    messages.success(request, "Support staff will look at your question.")
    return redirect(question)


@login_required
@require_POST
def escalate_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    permissions.check_can_escalate(request.user, question)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say in a few words why this needs staff.")
        return redirect(question)
    request_help(
        question,
        by=request.user,  # type: ignore[arg-type]
        kind=HelpRequestKind.ADVOCATE,
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, "Sent to support with your reason.")
    return redirect(question)


def _period(data: dict[str, Any]) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    if data.get("since") or data.get("until"):
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or until - timedelta(days=30)
        return (
            datetime.combine(since, time.min, tzinfo=zone),
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
        )
    end = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=zone)
    return end - timedelta(days=data.get("period") or 30), end


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return render(request, "support/dashboard.html", {"form": form}, status=400)
    start, end = _period(form.cleaned_data)
    board = measure(start, end)
    if form.cleaned_data["format"] == "csv":
        return _csv(board)
    labels = [row.day.strftime("%b %-d") for row in board.days]
    charts = {
        "daily": series_chart(
            "bar",
            labels,
            {
                "Solved without staff": [row.solved_without_staff for row in board.days],
                "Escalated to staff": [row.escalated for row in board.days],
                "Other questions": [
                    row.asked - row.solved_without_staff - row.escalated for row in board.days
                ],
            },
            title="Questions asked per day",
            stacked=True,
        ),
        "backlog": series_chart(
            "bar",
            [label for label, _ in board.backlog],
            {"Open escalations": [count for _, count in board.backlog]},
            title="Open escalations by age",
        ),
    }
    return render(request, "support/dashboard.html", {"form": form, "board": board, "charts": charts})


def _csv(board: Dashboard) -> HttpResponse:
    response, writer = csv_download(f"askwell-support-{board.start:%Y-%m-%d}-{board.end:%Y-%m-%d}.csv")
    writer.writerow(["day", "asked", "solved_without_staff", "escalated"])
    for row in board.days:
        writer.writerow([row.day.isoformat(), row.asked, row.solved_without_staff, row.escalated])
    writer.writerow([])
    writer.writerow(["metric", "value"])
    for name, value in [
        ("questions asked", board.asked),
        ("deflection rate (solved without staff)", board.deflection_rate),
        ("solved rate", board.solved_rate),
        ("escalation rate", board.escalation_rate),
        ("SLA breaches", board.breaches),
        ("first reply, community, median hours", board.first_reply("community", 0.5)),
        ("first reply, community, p90 hours", board.first_reply("community", 0.9)),
        ("first reply, staff, median hours", board.first_reply("staff", 0.5)),
        ("first reply, staff, p90 hours", board.first_reply("staff", 0.9)),
        *[(f"deflection events: {label}", count) for label, count in board.deflection.items()],
    ]:
        writer.writerow(
            [name, "" if value is None else (round(value, 4) if isinstance(value, float) else value)]
        )
    writer.writerow([])
    writer.writerow(["top community answerer", "username", "accepted", "answers"])
    for answerer in board.top_answerers:
        name = answerer["author__display_name"] or answerer["author__username"]
        writer.writerow([name, answerer["author__username"], answerer["accepted"], answerer["answers"]])
    return response
