"""Following a question, and "I have this too"."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_follow_per_user_and_question")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.question_id}"


class MeToo(models.Model):
    """A member saying "I have this too" on someone else's question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="me_toos")
    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="me_toos")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "“I have this too”"
        verbose_name_plural = "“I have this too”s"
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_me_too_per_user_and_question")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} has {self.question_id} too"
