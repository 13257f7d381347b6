"""Flags, the review queue's items, and the audit log of moderation actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from community.models.queues import QueueEvent, QueueItem

if TYPE_CHECKING:
    from community.models.posts import Answer, Comment, Question


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    RUDE = "rude", "Rude or abusive"
    OFF_TOPIC = "off_topic", "Off-topic"
    DUPLICATE = "duplicate", "Duplicate of another question"
    NEEDS_IMPROVEMENT = "needs_improvement", "Needs improvement"
    NEEDS_STAFF = "needs_staff", "Needs staff"
    OTHER = "other", "Something else"


HIDING_REASONS = (FlagReason.SPAM, FlagReason.RUDE)


class FlagOutcome(models.TextChoices):
    PENDING = "", "Pending"
    HELPFUL = "helpful", "Helpful"
    DECLINED = "declined", "Declined"


class _OnOnePost(models.Model):
    """A row about exactly one question, answer or comment."""

    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "community.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def post(self) -> Question | Answer | Comment:
        found = self.question or self.answer or self.comment
        assert found is not None  # the check constraint guarantees one  # noqa: S101
        return found


def _one_post(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(question__isnull=False, answer__isnull=True, comment__isnull=True)
            | models.Q(question__isnull=True, answer__isnull=False, comment__isnull=True)
            | models.Q(question__isnull=True, answer__isnull=True, comment__isnull=False)
        ),
        name=name,
    )


class Flag(_OnOnePost):
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=30, choices=FlagReason.choices)
    detail = models.CharField(max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=FlagOutcome.choices, default="", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            _one_post("flag_on_exactly_one_post"),
            models.UniqueConstraint(
                fields=["flagger", "question"],
                condition=models.Q(question__isnull=False),
                name="one_flag_per_question",
            ),
            models.UniqueConstraint(
                fields=["flagger", "answer"],
                condition=models.Q(answer__isnull=False),
                name="one_flag_per_answer",
            ),
            models.UniqueConstraint(
                fields=["flagger", "comment"],
                condition=models.Q(comment__isnull=False),
                name="one_flag_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag by {self.flagger_id}"


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    CLAIMED = "claimed", "Claimed"
    DONE = "done", "Done"


class ReviewItem(_OnOnePost, QueueItem):
    """A post that needs a reviewer: flagged (for now; first posts and close votes join
    later). At most one open item per post."""

    kind = models.CharField(max_length=20, default="flag")
    resolution = models.CharField(max_length=30, blank=True)

    OPEN_STATES = (ReviewState.OPEN, ReviewState.CLAIMED)
    CLAIMED_STATE = ReviewState.CLAIMED
    TRANSITIONS = {
        ReviewState.OPEN: (ReviewState.CLAIMED, ReviewState.DONE),
        ReviewState.CLAIMED: (ReviewState.OPEN, ReviewState.DONE),
        ReviewState.DONE: (ReviewState.OPEN,),
    }

    class Meta:
        ordering = ["-priority", "created_at"]
        constraints = [
            _one_post("review_item_on_exactly_one_post"),
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(question__isnull=False, state__in=["open", "claimed"]),
                name="one_open_review_per_question",
            ),
            models.UniqueConstraint(
                fields=["answer"],
                condition=models.Q(answer__isnull=False, state__in=["open", "claimed"]),
                name="one_open_review_per_answer",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=models.Q(comment__isnull=False, state__in=["open", "claimed"]),
                name="one_open_review_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} ({self.kind})"

    def get_absolute_url(self) -> str:
        return reverse("community:review_item", kwargs={"pk": self.pk})

    def get_state_display(self) -> str:  # type: ignore[override]  # state is a plain CharField here
        return ReviewState(self.state).label


class ReviewEvent(QueueEvent):
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="history")


ReviewItem.history_model = ReviewEvent


class AuditEntry(models.Model):
    """One moderation action: who did what, to what, why, when, and what changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(max_length=500, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
