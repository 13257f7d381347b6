"""Outbound webhooks per event kind: endpoints staff manage in the site, each delivery
signed in the Standard Webhooks format, logged, retried with backoff, replayable; an
endpoint that keeps failing is switched off with a notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class WebhookEvent(models.TextChoices):
    QUESTION_ASKED = "question.asked", "A question was asked"
    QUESTION_ANSWERED = "question.answered", "A question was answered"
    QUESTION_SOLVED = "question.solved", "An answer was accepted"
    ESCALATION_OPENED = "escalation.opened", "An escalation was opened"
    ESCALATION_BREACHED = "escalation.breached", "An escalation passed its due time"
    ESCALATION_RESOLVED = "escalation.resolved", "An escalation was resolved"
    FEEDBACK_STATUS = "feedback.status_changed", "A feedback item's status changed"
    INCIDENT_OPENED = "incident.opened", "An incident was opened"


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100)  # "whsec_" and base64, as Standard Webhooks has it
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("support:webhook", kwargs={"pk": self.pk})


class EventDelivery(models.Model):
    """One message to one endpoint, with its attempts (``msg_id`` stays the same across
    retries and replays, so a receiver can tell a repeat)."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    msg_id = models.CharField(max_length=60)
    payload = models.JSONField()
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"
