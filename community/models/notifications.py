from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class NotificationEvent(models.TextChoices):
    ANSWER_POSTED = "answer_posted", "New answer"
    COMMENT_POSTED = "comment_posted", "New comment"
    ANSWER_ACCEPTED = "answer_accepted", "Answer accepted"
    RANK_REACHED = "rank_reached", "New rank"
    BADGE_AWARDED = "badge_awarded", "Badge earned"
    MVP = "mvp", "MVP program"
    ARTICLE_REVIEW = "article_review", "Article due for review"
    ESCALATED = "escalated", "With support"
    ESCALATION_ASSIGNED = "escalation_assigned", "Escalation assigned to you"
    ESCALATION_BREACHED = "escalation_breached", "Escalation past its due time"
    FEEDBACK_STATUS = "feedback_status", "Product feedback status"
    MODERATED = "moderated", "A moderator acted on your post"
    QUESTION_PUBLISHED = "question_published", "Your question is published"
    INCIDENT_OPENED = "incident_opened", "Possible incident"
    INCIDENT_RESOLVED = "incident_resolved", "Incident resolved"
    WEBHOOK_DISABLED = "webhook_disabled", "A webhook was switched off"


class Notification(models.Model):
    """Something a member should hear about. Later apps add events to the same model.

    ``text`` and ``url`` are written when the notification is made so that the list page
    needs no per-event joins; ``dedupe_key`` makes the fan-out idempotent when a task
    runs twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=400)
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="one_notification_per_event")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
