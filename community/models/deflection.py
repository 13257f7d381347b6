"""Deflection: evidence that an existing thread answered someone before they asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DeflectionKind(models.TextChoices):
    HINT_SHOWN = "hint_shown", "Similar questions shown while asking"
    HINT_CLICKED = "hint_clicked", "Similar question opened from the ask page"
    ABANDONED_AFTER_CLICK = "abandoned_after_click", "Left the ask page without posting after opening a hint"
    SOLVED_IT = "solved_it", "“This solved it” on someone else's question"
    CARD_SHOWN = "card_shown", "“This may already be answered” shown while asking"
    CARD_SOLVED = "card_solved", "“This solved it” on the answer card"
    CARD_NOT_MINE = "card_not_mine", "“Not my problem” on the answer card"
    # One per attempt to ask that saw suggestions, judged once it is over (settle_ask_attempts):
    DEFLECTED = (
        "deflected",
        "Successful: saw a suggestion and said it solved it, or opened one and did not ask",
    )
    ASKED_ANYWAY = "asked_anyway", "Failed: saw suggestions and asked anyway"
    POTENTIAL = "potential", "Potential: saw a suggestion and left without saying"


# The outcome classes support platforms report at the moment a customer is about to ask.
OUTCOMES = (DeflectionKind.DEFLECTED, DeflectionKind.ASKED_ANYWAY, DeflectionKind.POTENTIAL)


class DeflectionEvent(models.Model):
    kind = models.CharField(max_length=30, choices=DeflectionKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="deflections"
    )
    # A knowledge article shown or opened as a hint (question is then empty).
    article = models.ForeignKey(
        "community.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="deflections"
    )
    typed = models.CharField(max_length=200, blank=True)  # the title being typed, for hints
    created_at = models.DateTimeField(db_index=True)
    # Set on a click once it has been judged (abandoned or followed by a new question).
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=models.Q(kind="solved_it"),
                name="solved_it_once_per_member_and_question",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.question_id or self.article_id or ''}".strip()


class SearchGap(models.Model):
    """Search analytics for knowledge gaps: per week and search text (lower-cased, spaces
    collapsed, at most 200 characters), how often it was searched, found nothing, and was
    followed by a new question from the same reader. Only the text and the counts are kept:
    no member, no session, no address (README, "Knowledge gaps")."""

    week = models.DateField()  # its Monday
    text = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    no_results = models.PositiveIntegerField(default=0)
    then_asked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["week", "text"], name="one_gap_row_per_week_and_text")]

    def __str__(self) -> str:
        return f"{self.week} {self.text}"
