from __future__ import annotations

from django.conf import settings
from django.db import models


class Vote(models.Model):
    """One member's up (+1) or down (−1) vote on one question or answer.

    Changing a vote deletes the row and writes a new one, so every cast is its own event
    (the reputation ledger keys on the vote row).
    """

    UP = 1
    DOWN = -1

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=models.Q(question__isnull=False),
                name="one_vote_per_user_and_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=models.Q(answer__isnull=False),
                name="one_vote_per_user_and_answer",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, answer__isnull=True)
                    | models.Q(question__isnull=True, answer__isnull=False)
                ),
                name="vote_on_exactly_one_post",
            ),
            models.CheckConstraint(condition=models.Q(value__in=[1, -1]), name="vote_is_up_or_down"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'+' if self.value > 0 else '-'}1"
