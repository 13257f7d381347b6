from __future__ import annotations

from django.db import models


class OutboxItem(models.Model):
    """Derived work (notifications, indexing…) written in the same transaction as the change.

    After commit the row is handed to Celery; a beat job hands over again any row still
    pending, so a broker outage or a crashed worker delays the work but never loses it.
    """

    topic = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    # When the next hand-over may happen; bumped on every failed attempt (backoff).
    available_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["processed_at", "available_at"])]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
