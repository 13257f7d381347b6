"""Pieces every post shares: soft deletion and the rendered Markdown body."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SoftDeletable(models.Model):
    """Deletion hides a row; it stays in the table and moderators can restore it."""

    is_deleted = models.BooleanField(default=False, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class MarkdownBody(models.Model):
    """``body`` is the Markdown exactly as the author sent it; ``body_html`` is derived."""

    body = models.TextField()
    body_html = models.TextField(editable=False)

    class Meta:
        abstract = True
