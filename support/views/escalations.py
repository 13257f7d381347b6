"""The staff queue and an escalation's page, and the customers' and advocates' requests
for staff help. Every staff view checks the permission first: customers and advocates
get a 403 on all of them."""

from __future__ import annotations

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

from community.actions.queues import QueueConflict
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
    set_severity,
)
from support.forms import (
    PRIORITY_BANDS,
    AssignForm,
    EscalateForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    SeverityForm,
    StateForm,
)
from support.models import Escalation, HelpRequestKind, Severity
from support.views.helpers import staff_member


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    user = staff_member(request)
    form = QueueFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "support/queue.html", {"form": form}, status=400)
    data = form.cleaned_data
    escalations = Escalation.objects.select_related(
        "question__category", "question__author__plan", "assignee"
    )
    if data["state"] == "all":
        pass
    elif data["state"]:
        escalations = escalations.filter(state=data["state"])
    else:
        escalations = escalations.open()
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
    # VIP customers stay on top whatever their plan's targets; then by due time and priority.
    ordered = escalations.order_by("-question__author__is_vip", "due_at", "-priority", "pk")
    page = Paginator(ordered, settings.COMMUNITY_QUESTIONS_PER_PAGE)
    query = {k: (v.slug if k == "category" else v) for k, v in data.items() if v and k != "page"}
    return render(
        request,
        "support/queue.html",
        {"form": form, "page": page.get_page(data["page"] or 1), "query": query, "now": timezone.now()},
    )


def _escalation(request: HttpRequest, pk: int) -> Escalation:
    staff_member(request)
    return get_object_or_404(
        Escalation.objects.select_related(
            "question__author__plan", "question__category", "assignee", "opened_by"
        ),
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
        "severities": Severity.choices,
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
        claim_escalation(escalation, by=staff_member(request))
    except QueueConflict as error:
        return _conflict(request, escalation, error)
    return _done(request, escalation, "It is yours now.")


@login_required
@require_POST
def release_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    try:
        release_escalation(escalation, by=staff_member(request))
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
        assign_escalation(escalation, to=form.cleaned_data["to"], by=staff_member(request))
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
            escalation, form.cleaned_data["state"], by=staff_member(request), note=form.cleaned_data["note"]
        )
    except QueueConflict as error:
        return _conflict(request, escalation, error)
    return _done(request, escalation, "State changed.")


@login_required
@require_POST
def severity_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = SeverityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose low, normal, high or urgent.")
        return redirect(escalation)
    escalation = set_severity(escalation, form.cleaned_data["severity"], by=staff_member(request))
    return _done(
        request,
        escalation,
        f"Severity {escalation.get_severity_display().lower()}: due {escalation.due_at:%b %-d, %H:%M}.",
    )


@login_required
@require_POST
def note_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return escalation_detail_view(request, pk, note_form=form, status=400)
    add_note(escalation, by=staff_member(request), body=form.cleaned_data["body"])
    return _done(request, escalation, "Note added (staff only).")


@login_required
@require_POST
def reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    form = ReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return escalation_detail_view(request, pk, reply_form=form, status=400)
    reply_officially(escalation, by=staff_member(request), body=form.cleaned_data["body"])
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
