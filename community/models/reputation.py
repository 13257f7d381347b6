"""The reputation ledger, acceptances (its source events) and ranks reached."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from community.reputation import Reason


class ReputationEvent(models.Model):
    """One change of a member's reputation. Append-only: a reversal is a new row.

    ``source_key`` names the event that caused it — a vote row (``vote:17``), an
    acceptance row (``acceptance:4``), or the row a reversal cancels (``reversal:99``) —
    so each row is unique per (user, reason, source event) and the ledger can be replayed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_events"
    )
    points = models.IntegerField()
    reason = models.CharField(max_length=40, choices=Reason.choices)
    source_key = models.CharField(max_length=80)
    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reason", "source_key"], name="one_ledger_row_per_source_event"
            )
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.points:+d} {self.reason}"


class Acceptance(models.Model):
    """An answer accepted by someone; revoked when unaccepted or the mark moves on."""

    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="acceptances")
    answer = models.ForeignKey("community.Answer", on_delete=models.CASCADE, related_name="acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_acceptance_per_question",
            )
        ]

    def __str__(self) -> str:
        return f"Acceptance of answer {self.answer_id}"


class RankReached(models.Model):
    """A rank a member has reached; kept so the notice goes out once, ever."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ranks_reached")
    rank = models.CharField(max_length=60)
    reached_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "rank"], name="rank_reached_once")]

    def __str__(self) -> str:
        return f"{self.user_id} reached {self.rank}"


class BadgeAward(models.Model):
    """A badge a member holds. Badges are defined in code (community.badges); a tag badge
    carries its tag as the qualifier. Unique, so awarding is idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=40)
    qualifier = models.CharField(max_length=100, blank=True)
    awarded_at = models.DateTimeField()

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "badge", "qualifier"], name="badge_awarded_once")
        ]
        indexes = [models.Index(fields=["badge", "qualifier"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.badge} {self.qualifier}".strip()

    @property
    def definition(self) -> Any:
        from community.badges import BY_SLUG

        return BY_SLUG.get(self.badge)

    @property
    def label(self) -> str:
        definition = self.definition
        name = definition.name if definition else self.badge
        return f"{name}: {self.qualifier}" if self.qualifier else name
