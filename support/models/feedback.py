"""Product feedback: teams that own product tags, and the feedback items routed to them.

A thread carrying a feedback tag (feature-request, bug, idea…) becomes one item per team
whose product tags or categories are on it, or one item in the triage inbox (team empty)
when no team owns it. Items are a work queue (the shared queue shape); their public
status and response are what customers see on the thread and the roadmap.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.timezones import TimeZoneField
from community.models.queues import QueueEvent, QueueItem
from community.querysets import QueueQuerySet


def new_secret() -> str:
    return secrets.token_hex(32)


class ProductTeam(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    product_tags = models.CharField(
        max_length=500, blank=True, help_text="The product tags this team owns, separated by spaces."
    )
    categories = models.ManyToManyField("community.Category", blank=True, related_name="product_teams")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="product_teams")
    digest_cadence = models.CharField(
        max_length=10, choices=[("daily", "Daily"), ("weekly", "Weekly")], default="weekly"
    )
    time_zone = TimeZoneField()
    digest_recipients = models.TextField(blank=True, help_text="Email addresses, one per line.")
    webhook_url = models.URLField(blank=True, help_text="Digests are POSTed here as JSON, signed.")
    webhook_secret = models.CharField(
        max_length=64,
        blank=True,
        default=new_secret,
        help_text="HMAC-SHA256 key for the X-Askwell-Signature header.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_names(self) -> set[str]:
        return {tag.strip().lower() for tag in self.product_tags.split() if tag.strip()}

    @property
    def recipients(self) -> list[str]:
        return [line.strip() for line in self.digest_recipients.splitlines() if "@" in line]


class FeedbackKind(models.Model):
    """A tag that makes a thread product feedback. While none are set here, the
    SUPPORT_FEEDBACK_TAGS setting decides (feature-request, bug, idea)."""

    tag = models.CharField(max_length=50, unique=True)
    is_idea = models.BooleanField(default=False, help_text='Threads with this tag say "me too".')

    class Meta:
        ordering = ["tag"]

    def __str__(self) -> str:
        return self.tag


class FeedbackStatus(models.TextChoices):
    NEW = "", "New"
    UNDER_REVIEW = "under_review", "Under review"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped", "Shipped"
    DECLINED = "declined", "Declined"
    ALREADY_EXISTS = "already_exists", "Already exists"


class TriageState(models.TextChoices):
    OPEN = "open", "Open"
    ASSIGNED = "assigned", "Assigned"
    DONE = "done", "Done"


class FeedbackItem(QueueItem):
    question = models.ForeignKey(
        "community.Question", on_delete=models.CASCADE, related_name="feedback_items"
    )
    team = models.ForeignKey(
        ProductTeam, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(max_length=50)  # the feedback tag that made it feedback
    status = models.CharField(max_length=20, choices=FeedbackStatus.choices, default="", blank=True)
    public_response = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = QueueQuerySet.as_manager()

    STATES = TriageState
    OPEN_STATES = (TriageState.OPEN, TriageState.ASSIGNED)
    CLAIMED_STATE = TriageState.ASSIGNED
    TRANSITIONS = {
        TriageState.OPEN: (TriageState.ASSIGNED, TriageState.DONE),
        TriageState.ASSIGNED: (TriageState.OPEN, TriageState.DONE),
        TriageState.DONE: (TriageState.OPEN,),
    }

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "team"],
                condition=models.Q(team__isnull=False),
                name="one_item_per_team_and_thread",
            ),
            models.UniqueConstraint(
                fields=["question"], condition=models.Q(team__isnull=True), name="one_triage_item_per_thread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.title} ({self.team or 'triage'})"

    def get_absolute_url(self) -> str:
        return reverse("feedback:item", kwargs={"pk": self.pk})


class FeedbackEvent(QueueEvent):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="history")


FeedbackItem.history_model = FeedbackEvent


class Digest(models.Model):
    """One team's digest for one period: exactly one (a constraint), however often the
    beat job fires or wherever a worker died."""

    team = models.ForeignKey(ProductTeam, on_delete=models.CASCADE, related_name="digests")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    built_at = models.DateTimeField()
    content = models.JSONField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    webhook_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["team", "period_start"], name="one_digest_per_team_and_period")
        ]

    def __str__(self) -> str:
        return f"{self.team} digest from {self.period_start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:digest", kwargs={"pk": self.pk})


class WebhookDelivery(models.Model):
    """Every attempt to post a digest to its team's webhook."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveIntegerField()
    at = models.DateTimeField()
    url = models.URLField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["digest", "attempt"], name="one_row_per_delivery_attempt")
        ]

    def __str__(self) -> str:
        return f"Delivery {self.attempt} of digest {self.digest_id}"
