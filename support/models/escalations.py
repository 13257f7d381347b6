"""Support data: SLA policies, escalations (a work queue), their history and internal notes,
and the customers' and advocates' requests for staff help."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.timezones import TimeZoneField
from community.models.queues import QueueEvent, QueueItem
from community.querysets import QueueQuerySet
from support.sla import BusinessHours, Policy


class SlaPolicy(models.Model):
    """A category's SLA. Categories without one use the site default (SUPPORT_SLA_* settings)."""

    category = models.OneToOneField("community.Category", on_delete=models.CASCADE, related_name="sla_policy")
    first_reply_hours = models.PositiveIntegerField(default=24)
    solution_hours = models.PositiveIntegerField(default=72)
    vip_first_reply_hours = models.PositiveIntegerField(default=4)
    vip_solution_hours = models.PositiveIntegerField(default=24)
    business_hours_only = models.BooleanField(
        default=False, help_text="Count only working hours (below, in the policy's time zone)."
    )
    time_zone = TimeZoneField()
    opens = models.TimeField(default=time(9, 0))
    closes = models.TimeField(default=time(17, 0))
    working_days = models.CharField(
        max_length=20, default="0,1,2,3,4", help_text="Weekdays, Monday = 0, separated by commas."
    )

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="sla_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"SLA for {self.category}"

    def as_policy(self) -> Policy:
        business = None
        if self.business_hours_only:
            days = frozenset(int(d) for d in self.working_days.split(",") if d.strip().isdigit())
            business = BusinessHours(self.time_zone, self.opens, self.closes, days or frozenset(range(5)))
        return Policy(
            first_reply_hours=self.first_reply_hours,
            solution_hours=self.solution_hours,
            vip_first_reply_hours=self.vip_first_reply_hours,
            vip_solution_hours=self.vip_solution_hours,
            business_hours=business,
        )


class Severity(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class SlaTarget(models.Model):
    """Response targets for a customer plan × category × severity; a blank one matches
    any. The most specific target that matches a question wins (plan before category
    before severity); without one, its category's policy or the site default. Business
    hours and the VIP targets come from the category's policy (VIP customers get the
    shorter of the two)."""

    plan = models.ForeignKey(
        "accounts.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "community.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    first_reply_hours = models.PositiveIntegerField()
    solution_hours = models.PositiveIntegerField()

    class Meta:
        verbose_name = "SLA target"
        ordering = ["plan__position", "category__name", "severity"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_reply_hours__gt=0, solution_hours__gt=0),
                name="sla_target_hours_positive",
            )
        ]

    def __str__(self) -> str:
        parts = [
            str(self.plan or "any plan"),
            str(self.category or "any category"),
            self.severity or "any severity",
        ]
        return " × ".join(parts)


class EscalationState(models.TextChoices):
    OPEN = "open", "Open"
    ASSIGNED = "assigned", "Assigned"
    WAITING = "waiting", "Waiting on customer"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class EscalationReason(models.TextChoices):
    FIRST_REPLY = "first_reply", "No first reply within the SLA"
    SOLUTION = "solution", "Not solved within the SLA"
    ASKER = "asker", "The asker asked for staff help"
    ADVOCATE = "advocate", "An advocate escalated it"


OPEN_STATES = (EscalationState.OPEN, EscalationState.ASSIGNED, EscalationState.WAITING)


class Escalation(QueueItem):
    """A question support staff must handle. At most one open escalation per question
    (a partial unique constraint, so concurrent sweeps cannot open two)."""

    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="escalations")
    reason = models.CharField(max_length=20, choices=EscalationReason.choices)
    detail = models.CharField(max_length=500, blank=True)  # an advocate's reason (staff only)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority_reasons = models.JSONField(default=list)
    tone = models.FloatField(null=True, blank=True)  # None: not English, not assessed
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    breached_at = models.DateTimeField(null=True, blank=True)  # the due time passed while open
    first_staff_reply_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = QueueQuerySet.as_manager()

    STATES = EscalationState
    OPEN_STATES = tuple(OPEN_STATES)
    CLAIMED_STATE = EscalationState.ASSIGNED
    TRANSITIONS = {
        EscalationState.OPEN: (EscalationState.ASSIGNED, EscalationState.RESOLVED, EscalationState.CLOSED),
        EscalationState.ASSIGNED: (
            EscalationState.OPEN,
            EscalationState.WAITING,
            EscalationState.RESOLVED,
            EscalationState.CLOSED,
        ),
        EscalationState.WAITING: (
            EscalationState.ASSIGNED,
            EscalationState.OPEN,
            EscalationState.RESOLVED,
            EscalationState.CLOSED,
        ),
        EscalationState.RESOLVED: (EscalationState.OPEN, EscalationState.CLOSED),
        EscalationState.CLOSED: (),
    }

    class Meta:
        ordering = ["due_at", "-priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(state__in=["open", "assigned", "waiting"]),
                name="one_open_escalation_per_question",
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="escalation_queue_order")]

    def __str__(self) -> str:
        return f"Escalation {self.pk}: {self.question.title}"

    def get_absolute_url(self) -> str:
        return reverse("support:escalation_detail", kwargs={"pk": self.pk})


class EscalationEvent(QueueEvent):
    item = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="history")


Escalation.history_model = EscalationEvent


class InternalNote(models.Model):
    """Staff-only notes on an escalation: never shown to customers or advocates anywhere."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} on escalation {self.escalation_id}"


class HelpRequestKind(models.TextChoices):
    ASKER = "asker", "I still need help"
    ADVOCATE = "advocate", "Escalated by an advocate"


class HelpRequest(models.Model):
    """A request for staff help, picked up by the next sweep (``handled_at`` then set)."""

    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="help_requests")
    kind = models.CharField(max_length=20, choices=HelpRequestKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} help on {self.question_id}"
