from __future__ import annotations

from django.db import models


class CoachingMode(models.TextChoices):
    OFF = "off", "Off: every question is published at once"
    FIRST_QUESTION = "first_question", "A member's first question"
    UNTIL_ACCEPTED = "until_accepted", "Until the member has this many accepted posts"


class CoachingPolicy(models.Model):
    """Which questions go to coaching before they are published (one row, edited by
    support staff at /coaching/settings/; absent: off)."""

    mode = models.CharField(max_length=20, choices=CoachingMode.choices, default=CoachingMode.OFF)
    accepted_posts = models.PositiveSmallIntegerField(
        default=1,
        help_text="With 'until accepted posts': how many of the member's answers (accepted) and "
        "questions (solved) it takes.",
    )
    timeout_hours = models.PositiveSmallIntegerField(
        default=12,
        help_text="A question no coach approved is published after this many hours: nobody waits forever.",
    )

    class Meta:
        verbose_name_plural = "coaching policy"

    def __str__(self) -> str:
        return self.get_mode_display()
