from __future__ import annotations

from django.conf import settings
from django.db import models


class Revision(models.Model):
    """A snapshot of a question or answer after each save, numbered from 1 (the original)."""

    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=400, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=models.Q(question__isnull=False),
                name="unique_question_revision_number",
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=models.Q(answer__isnull=False),
                name="unique_answer_revision_number",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number}"
