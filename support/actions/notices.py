"""Who hears about escalations (outbox handlers, so after the commit, idempotent):
the customer when their question is escalated; support staff when something is
escalated, assigned to them, or past its due time. Internal notes are never in them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.models import User
from accounts.roles import support_staff_members
from community.actions import outbox
from community.actions.notifications import notify
from community.models import NotificationEvent
from support.models import Escalation


def _escalation(payload: dict[str, Any]) -> Escalation | None:
    return (
        Escalation.objects.select_related("question__author", "assignee")
        .filter(pk=payload["escalation_id"])
        .first()
    )


@outbox.handler("support.escalated")
def notify_escalated(payload: dict[str, Any]) -> None:
    escalation = _escalation(payload)
    if escalation is None:
        return
    question = escalation.question
    notify(
        [question.author],
        event=NotificationEvent.ESCALATED,
        actor=None,
        target=question,
        text=f"A support specialist is looking at your question “{question.title}”",
        url=question.get_absolute_url(),
        dedupe_key=f"escalated:customer:{escalation.pk}",
    )
    notify(
        support_staff_members(),
        event=NotificationEvent.ESCALATED,
        actor=None,
        target=escalation,
        text=f"Escalated ({escalation.get_reason_display().lower()}): “{question.title}”",
        url=reverse("support:escalation_detail", kwargs={"pk": escalation.pk}),
        dedupe_key=f"escalated:staff:{escalation.pk}",
    )


@outbox.handler("support.assigned")
def notify_assigned(payload: dict[str, Any]) -> None:
    escalation = _escalation(payload)
    to = User.objects.filter(pk=payload["to_id"], is_active=True).first()
    if escalation is None or to is None:
        return
    notify(
        [to],
        event=NotificationEvent.ESCALATION_ASSIGNED,
        actor=None,
        target=escalation,
        text=f"Assigned to you: “{escalation.question.title}”",
        url=reverse("support:escalation_detail", kwargs={"pk": escalation.pk}),
        dedupe_key=f"assigned:{escalation.pk}:{to.pk}:{payload.get('at', '')}",
    )


@outbox.handler("support.breached")
def notify_breached(payload: dict[str, Any]) -> None:
    escalation = _escalation(payload)
    if escalation is None or escalation.state not in Escalation.OPEN_STATES:
        return
    recipients = [escalation.assignee] if escalation.assignee else list(support_staff_members())
    notify(
        recipients,
        event=NotificationEvent.ESCALATION_BREACHED,
        actor=None,
        target=escalation,
        text=f"Past its due time: “{escalation.question.title}”",
        url=reverse("support:escalation_detail", kwargs={"pk": escalation.pk}),
        dedupe_key=f"breached:{escalation.pk}",
    )
