"""Flags, the review queue's items, and the audit log of moderation actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from community.models.queues import QueueEvent, QueueItem
from community.querysets import ReviewItemQuerySet

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


def on_post(post: Question | Answer | Comment) -> dict[str, Question | Answer | Comment]:
    """The lookup for rows about ``post`` on a model that points at it through a
    ``question``, ``answer`` or ``comment`` foreign key (flags, review items, revisions)."""
    return {post._meta.model_name: post}  # type: ignore[dict-item]


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


class ReviewKind(models.TextChoices):
    """The review queues, in the order /review/ lists them."""

    FLAG = "flag", "Flags"
    FIRST_POST = "first_post", "First posts"
    LATE_ANSWER = "late_answer", "Late answers"
    CLOSE = "close", "Close votes"
    REOPEN = "reopen", "Reopen votes"


def _one_open(field: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[field, "kind"],
        condition=models.Q(**{f"{field}__isnull": False}, state__in=["open", "claimed"]),
        name=f"one_open_review_per_{field}_and_kind",
    )


class ReviewItem(_OnOnePost, QueueItem):
    """A post that needs a reviewer, in one of the review queues (``kind``). At most one
    open item per post and queue."""

    kind = models.CharField(max_length=20, choices=ReviewKind.choices, default=ReviewKind.FLAG)
    resolution = models.CharField(max_length=30, blank=True)
    # Reviewers who passed on it: it leaves their view of the queue, not the queue.
    skipped_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    objects = ReviewItemQuerySet.as_manager()

    STATES = ReviewState
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
            _one_open("question"),
            _one_open("answer"),
            _one_open("comment"),
        ]

    def __str__(self) -> str:
        if self.question_id:
            about = f"“{self.question.title}”"  # type: ignore[union-attr]
        elif self.answer_id:
            about = f"an answer to “{self.answer.question.title}”"  # type: ignore[union-attr]
        else:
            about = f"a comment: “{self.comment.body[:60]}”"  # type: ignore[union-attr]
        return f"{self.get_kind_display()}: {about}"

    def get_absolute_url(self) -> str:
        return reverse("community:review_item", kwargs={"pk": self.pk})


class ReviewEvent(QueueEvent):
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="history")


ReviewItem.history_model = ReviewEvent


class CloseVoteKind(models.TextChoices):
    CLOSE = "close", "Close"
    LEAVE_OPEN = "leave_open", "Leave open"
    REOPEN = "reopen", "Reopen"
    LEAVE_CLOSED = "leave_closed", "Leave closed"


class CloseVote(models.Model):
    """A privileged member's vote to close or reopen a question (or, in review, to leave
    it as it is). Votes count while ``is_active``; closing or reopening spends them."""

    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="close_votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=CloseVoteKind.choices)
    reason = models.CharField(max_length=30, blank=True)
    duplicate_of = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "voter", "kind"],
                condition=models.Q(is_active=True),
                name="one_active_close_vote_per_member_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} vote by {self.voter_id} on {self.question_id}"

    @property
    def reason_label(self) -> str:
        from community.models.posts import CloseReason

        return CloseReason(self.reason).label if self.reason in CloseReason.values else ""


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
