from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TriageDecision(models.Model):
    """A walk of the triage tree (community/triage_tree.py) on an escalation, a review
    item or a mention: the answers given from the root, the outcome reached, and a note."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=20)  # "escalation", "review", "mention"
    path = models.JSONField(default=list)
    outcome = models.CharField(max_length=20, db_index=True)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="triage_decision_target")]

    def __str__(self) -> str:
        return f"{self.outcome} on {self.kind} {self.object_id}"
