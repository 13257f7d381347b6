"""Escalations: the sweep that opens them, requests for staff help, the staff's work on
them (claim, assign, notes, official replies, states), and what threads do to them."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.utils import timezone

from accounts.models import User
from community.actions import outbox
from community.actions.answers import post_answer
from community.actions.queues import QueueConflict, assign, claim, log, release, transition
from community.extensions import ThreadEvent
from community.models import Answer, Question
from support import permissions
from support.actions import webhooks
from support.models import (
    OPEN_STATES,
    Escalation,
    EscalationReason,
    EscalationState,
    HelpRequest,
    HelpRequestKind,
    InternalNote,
    Severity,
    SlaPolicy,
    SlaTarget,
)
from support.models.webhooks import WebhookEvent
from support.querysets import first_official_comment_at, first_on_question
from support.sla import Policy
from support.triage import triage

REQUEST_REASONS = {
    HelpRequestKind.ASKER: EscalationReason.ASKER,
    HelpRequestKind.ADVOCATE: EscalationReason.ADVOCATE,
}


def default_policy() -> Policy:
    return Policy(
        first_reply_hours=settings.SUPPORT_SLA_FIRST_REPLY_HOURS,
        solution_hours=settings.SUPPORT_SLA_SOLUTION_HOURS,
        vip_first_reply_hours=settings.SUPPORT_SLA_VIP_FIRST_REPLY_HOURS,
        vip_solution_hours=settings.SUPPORT_SLA_VIP_SOLUTION_HOURS,
    )


def policies() -> dict[int | None, Policy]:
    """Every category's policy; ``None`` holds the site default."""
    found: dict[int | None, Policy] = {None: default_policy()}
    found.update({row.category_id: row.as_policy() for row in SlaPolicy.objects.all()})
    return found


class SlaBook:
    """Every SLA support set, read once: the categories' policies (business hours, VIP
    targets) and the targets per plan × category × severity (``SlaTarget``)."""

    def __init__(self) -> None:
        self.by_category = policies()
        self.targets = list(
            SlaTarget.objects.values_list(
                "plan_id", "category_id", "severity", "first_reply_hours", "solution_hours"
            )
        )

    def policy(
        self, *, category_id: int | None, plan_id: int | None, severity: str = Severity.NORMAL
    ) -> Policy:
        """The policy for a question of this category from a customer on this plan: the
        most specific matching target (plan, then category, then severity) over the
        category's policy or the site default. A VIP customer keeps the shorter targets."""
        base = self.by_category.get(category_id) or self.by_category[None]
        best: tuple[int, int] | None = None
        score = -1
        for plan, category, level, first, solution in self.targets:
            if (plan is not None and plan != plan_id) or (category is not None and category != category_id):
                continue
            if level and level != severity:
                continue
            specific = 4 * (plan is not None) + 2 * (category is not None) + bool(level)
            if specific > score:
                best, score = (first, solution), specific
        if best is None:
            return base
        return replace(
            base,
            first_reply_hours=best[0],
            solution_hours=best[1],
            vip_first_reply_hours=min(base.vip_first_reply_hours, best[0]),
            vip_solution_hours=min(base.vip_solution_hours, best[1]),
        )

    def shortest_first_reply(self) -> float:
        hours = [min(p.vip_first_reply_hours, p.first_reply_hours) for p in self.by_category.values()]
        return min(hours + [first for *_, first, _ in self.targets])


def policy_for(question: Question, severity: str = Severity.NORMAL) -> Policy:
    """The question's SLA: its asker's plan, its category and the severity."""
    return SlaBook().policy(
        category_id=question.category_id, plan_id=question.author.plan_id, severity=severity
    )


def open_escalation(
    question: Question,
    *,
    reason: str,
    by: User | None = None,
    detail: str = "",
    due_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[Escalation, bool]:
    """The question's open escalation, opening one if there is none (returns it and whether
    it is new). The partial unique constraint makes this safe when two sweeps race: the
    loser's insert fails and it returns the winner's row."""
    now = now or timezone.now()
    current = Escalation.objects.open().filter(question=question).first()
    if current is not None:
        return current, False
    policy = policy_for(question)
    vip = question.author.is_vip
    result = triage(
        vip=vip,
        text=f"{question.title}\n{question.body}",
        waited_hours=(now - question.created_at).total_seconds() / 3600,
        me_too=question.me_too_count,
    )
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                question=question,
                reason=reason,
                detail=detail[:500],
                opened_by=by,
                state=EscalationState.OPEN,
                priority=result.priority,
                priority_reasons=result.reasons,
                tone=result.tone,
                due_at=due_at or policy.first_reply_due(now, vip=vip),
                created_at=now,
                updated_at=now,
            )
            escalation.history.create(
                at=now,
                actor=by,
                from_state="",
                to_state=EscalationState.OPEN,
                note=EscalationReason(reason).label,
            )
            # In the escalation's own transaction: the notices commit with it or not at all.
            outbox.record("support.escalated", {"escalation_id": escalation.pk})
            webhooks.emit(WebhookEvent.ESCALATION_OPENED, _event_data(escalation))
    except IntegrityError:
        winner = Escalation.objects.open().filter(question=question).first()
        if winner is None:
            raise
        return winner, False
    return escalation, True


def _first_replies() -> Any:
    """Questions annotated with the time of their first reply from anyone but the asker
    (an answer, or an official staff comment)."""
    return Question.objects.annotate(
        first_answer_at=first_on_question(Answer.objects.exclude(author=OuterRef("author"))),
        first_official_at=first_official_comment_at(),
    )


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Open the escalations that are due (beat job, every few minutes; idempotent).

    - every pending request for staff help (the asker's "I still need help", an
      advocate's escalation) opens or joins the question's escalation;
    - a question with no escalation yet that breached its SLA (no first reply, or not
      solved, in time) gets one; imported history never does;
    - open escalations whose due time passed are marked breached and staff are told.
    A crashed run loses nothing: whatever it missed is still due at the next run.
    """
    now = now or timezone.now()
    counts = {"requests": 0, "breaches": 0, "overdue": 0}
    for request in HelpRequest.objects.filter(handled_at__isnull=True).select_related("question__author"):
        counts["requests"] += int(handle_help_request(request, now=now))
    book = SlaBook()
    shortest = book.shortest_first_reply()
    # Unsolved native questions of the lookback window that never had an escalation: in
    # steady state only recent ones (older ones were escalated once, or solved), which the
    # partial index "unsolved_native_by_age" finds without reading the rest.
    candidates = (
        _first_replies()
        .filter(
            is_deleted=False,
            in_coaching=False,  # not public yet: the community has not had its chance
            import_site__isnull=True,
            accepted_answer__isnull=True,
            created_at__lte=now - timedelta(hours=shortest),
            created_at__gte=now - timedelta(days=settings.SUPPORT_SWEEP_LOOKBACK_DAYS),
            escalations__isnull=True,
        )
        .select_related("author")
    )
    for question in candidates.iterator(chunk_size=500):
        policy = book.policy(category_id=question.category_id, plan_id=question.author.plan_id)
        vip = question.author.is_vip
        replies = [t for t in (question.first_answer_at, question.first_official_at) if t is not None]
        reply_due = policy.first_reply_due(question.created_at, vip=vip)
        solution_due = policy.solution_due(question.created_at, vip=vip)
        if not replies and now >= reply_due:
            _, new = open_escalation(question, reason=EscalationReason.FIRST_REPLY, due_at=reply_due, now=now)
        elif now >= solution_due:
            _, new = open_escalation(question, reason=EscalationReason.SOLUTION, due_at=solution_due, now=now)
        else:
            continue
        counts["breaches"] += int(new)
    counts["retriaged"] = retriage(now=now)
    overdue = Escalation.objects.open().filter(due_at__lt=now, breached_at__isnull=True)
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():  # the breach and its notice commit together
            if Escalation.objects.filter(pk=pk, breached_at__isnull=True).update(breached_at=now):
                outbox.record("support.breached", {"escalation_id": pk})
                webhooks.emit(WebhookEvent.ESCALATION_BREACHED, {"escalation_id": pk})
                counts["overdue"] += 1
    return counts


def handle_help_request(request: HelpRequest, *, now: datetime | None = None) -> bool:
    """Open (or join) the escalation one request for staff help asks for, once; returns
    whether a new escalation was opened. The request is marked handled in the same
    transaction, so two workers handling it at once open at most one escalation."""
    now = now or timezone.now()
    with transaction.atomic():
        if not HelpRequest.objects.filter(pk=request.pk, handled_at__isnull=True).update(handled_at=now):
            return False  # another run handled it first
        if request.question.is_deleted:
            return False
        _, new = open_escalation(
            request.question, reason=REQUEST_REASONS[HelpRequestKind(request.kind)], by=request.by,
            detail=request.reason, now=now,
        )  # fmt: skip
    return new


def retriage(*, now: datetime | None = None) -> int:
    """Recompute open escalations' priority: waiting and "I have this too" grow while
    they sit in the queue (and a customer may have become VIP). Returns how many moved."""
    now = now or timezone.now()
    moved = 0
    # Plain values, not model instances: a large backlog is re-read on every sweep.
    rows = Escalation.objects.open().values_list(
        "pk", "priority", "question__author__is_vip", "question__title", "question__body",
        "question__created_at", "question__me_too_count",
    )  # fmt: skip
    for pk, priority, vip, title, body, created_at, me_too in rows.iterator(chunk_size=1000):
        result = triage(
            vip=vip,
            text=f"{title}\n{body}",
            waited_hours=(now - created_at).total_seconds() / 3600,
            me_too=me_too,
        )
        if result.priority != priority:
            Escalation.objects.filter(pk=pk).update(priority=result.priority, priority_reasons=result.reasons)
            moved += 1
    return moved


@transaction.atomic
def request_help(question: Question, *, by: User, kind: str, reason: str = "") -> HelpRequest:
    """The asker's "I still need help", or an advocate's escalation with a reason. The
    sweep opens the escalation; one is queued to run right after this commits."""
    if kind == HelpRequestKind.ASKER:
        permissions.check_can_ask_for_help(by, question)
    else:
        permissions.check_can_escalate(by, question)
    return _record_help_request(question, kind=kind, by=by, reason=reason)


def _record_help_request(question: Question, *, kind: str, by: User, reason: str) -> HelpRequest:
    """Store a request for staff help and queue its handling for right after the commit
    (the sweep picks up any whose message was lost)."""
    request = HelpRequest.objects.create(
        question=question, kind=kind, by=by, reason=reason[:500], created_at=timezone.now()
    )
    outbox.record("support.help_request", {"request_id": request.pk})
    return request


@outbox.handler("support.help_request")
def help_request_now(payload: dict[str, Any]) -> None:
    """Handle one request for staff help, not the whole sweep."""
    request = HelpRequest.objects.select_related("question__author").filter(pk=payload["request_id"]).first()
    if request is not None:
        handle_help_request(request)


@outbox.handler("support.sweep")
def sweep_now(payload: dict[str, Any]) -> None:
    """Rows queued before help requests had their own topic still run the sweep."""
    sweep()


@transaction.atomic
def add_note(escalation: Escalation, *, by: User, body: str) -> InternalNote:
    permissions.check_can_work_queue(by)
    return InternalNote.objects.create(escalation=escalation, author=by, body=body, created_at=timezone.now())


@transaction.atomic
def reply_officially(escalation: Escalation, *, by: User, body: str) -> Answer:
    """Staff answer on the public thread, marked Official; the escalation then waits on
    the customer (the official-reply listener below moves it)."""
    permissions.check_can_work_queue(by)
    return post_answer(escalation.question, author=by, body=body, official=True)


@transaction.atomic
def set_severity(escalation: Escalation, severity: str, *, by: User) -> Escalation:
    """Staff set how severe it is; its due time follows the SLA for that severity (the
    first reply's until staff first replied, then the solution's, from when it opened).
    A due time now past is marked breached by the next sweep."""
    permissions.check_can_work_queue(by)
    escalation = (
        Escalation.objects.select_for_update().select_related("question__author").get(pk=escalation.pk)
    )
    if escalation.severity == severity:
        return escalation
    policy = policy_for(escalation.question, severity)
    vip = escalation.question.author.is_vip
    start = escalation.created_at
    due = (
        policy.first_reply_due(start, vip=vip)
        if escalation.first_staff_reply_at is None
        else policy.solution_due(start, vip=vip)
    )
    previous = escalation.severity
    Escalation.objects.filter(pk=escalation.pk).update(
        severity=severity, due_at=due, updated_at=timezone.now()
    )
    log(
        escalation, actor=by, from_state=escalation.state, to_state=escalation.state,
        note=f"severity {previous} → {severity}",
    )  # fmt: skip
    escalation.refresh_from_db()
    return escalation


@transaction.atomic
def change_state(escalation: Escalation, to_state: str, *, by: User, note: str = "") -> Escalation:
    permissions.check_can_work_queue(by)
    now = timezone.now()
    extra: dict[str, Any] = {}
    if to_state == EscalationState.RESOLVED:
        extra["resolved_at"] = now
    elif to_state == EscalationState.CLOSED:
        extra["closed_at"] = now
    elif to_state == EscalationState.OPEN:
        extra.update(assignee=None, claimed_at=None)
    moved = transition(escalation, to_state, by=by, note=note, extra=extra)
    if to_state == EscalationState.RESOLVED:
        webhooks.emit(WebhookEvent.ESCALATION_RESOLVED, _event_data(moved))
    return moved


def _event_data(escalation: Escalation) -> dict[str, Any]:
    return {
        "escalation_id": escalation.pk, "question_id": escalation.question_id, "state": escalation.state,
        "reason": escalation.reason, "url": f"{settings.SITE_URL}{escalation.get_absolute_url()}",
    }  # fmt: skip


def _move(escalation: Escalation, to_state: str, *, by: User | None, note: str) -> None:
    now = timezone.now()
    extra: dict[str, Any] = {"resolved_at": now} if to_state == EscalationState.RESOLVED else {}
    with contextlib.suppress(QueueConflict):  # someone moved it first; nothing to undo
        moved = transition(escalation, to_state, by=by, note=note, extra=extra)
        if to_state == EscalationState.RESOLVED:
            webhooks.emit(WebhookEvent.ESCALATION_RESOLVED, _event_data(moved))


def on_thread_event(event: ThreadEvent) -> None:
    """What happens on a thread moves its escalation (called inside the community action's
    transaction, so both commit together):

    - an accepted answer, or the asker saying an official answer helped, resolves it;
    - an official staff reply marks the first staff reply and waits on the customer;
    - the asker replying to a waiting escalation hands it back to staff, and to a
      resolved one reopens it.
    """
    question = event.question
    if event.kind == "needs_staff":  # a member flagged (or a reviewer routed) it to staff
        if question.import_site_id is None and event.by is not None:
            _record_help_request(
                question, kind=HelpRequestKind.ADVOCATE, by=event.by,
                reason=f"Flagged as needing staff: {getattr(event.post, 'detail', '')}",
            )  # fmt: skip
        return
    latest = Escalation.objects.filter(question=question).order_by("-created_at", "-pk").first()
    if latest is None:
        return
    official = bool(getattr(event.post, "is_official", False))
    if event.kind in ("answer_accepted", "official_reply_helpful") and latest.state in OPEN_STATES:
        why = (
            "an answer was accepted" if event.kind == "answer_accepted" else "the asker said the reply helped"
        )
        _move(latest, EscalationState.RESOLVED, by=event.by, note=why)
    elif event.kind in ("answer_posted", "comment_posted") and official:
        Escalation.objects.filter(pk=latest.pk, first_staff_reply_at__isnull=True).update(
            first_staff_reply_at=timezone.now()
        )
        if latest.state == EscalationState.ASSIGNED and event.kind == "answer_posted":
            _move(latest, EscalationState.WAITING, by=event.by, note="official reply posted")
    elif event.kind in ("answer_posted", "comment_posted") and event.by and event.by.pk == question.author_id:
        if latest.state == EscalationState.WAITING:
            _move(latest, EscalationState.ASSIGNED, by=event.by, note="the asker replied")
        elif latest.state == EscalationState.RESOLVED:
            _move(latest, EscalationState.OPEN, by=event.by, note="the asker replied after it was resolved")
            Escalation.objects.filter(pk=latest.pk).update(resolved_at=None, assignee=None, claimed_at=None)


@transaction.atomic
def claim_escalation(escalation: Escalation, *, by: User) -> Escalation:
    permissions.check_can_work_queue(by)
    return claim(escalation, by=by)


@transaction.atomic
def assign_escalation(escalation: Escalation, *, to: User, by: User) -> Escalation:
    """Assign (or reassign) to a support staff member, who is emailed."""
    permissions.check_can_work_queue(by)
    if not permissions.can_work_queue(to):
        raise PermissionDenied("Escalations can only be assigned to support staff.")
    escalation = assign(escalation, to=to, by=by)
    if to.pk != by.pk:
        at = escalation.claimed_at.isoformat() if escalation.claimed_at else ""
        outbox.record("support.assigned", {"escalation_id": escalation.pk, "to_id": to.pk, "at": at})
    return escalation


@transaction.atomic
def release_escalation(escalation: Escalation, *, by: User) -> Escalation:
    permissions.check_can_work_queue(by)
    return release(escalation, by=by)
