"""Reputation rules as plain functions over plain data (no database access).

Points, the daily cap, ranks and privileges are settings; these functions apply them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models


class Reason(models.TextChoices):
    ANSWER_UPVOTED = "answer_upvoted", "Answer upvoted"
    QUESTION_UPVOTED = "question_upvoted", "Question upvoted"
    ANSWER_ACCEPTED = "answer_accepted", "Answer accepted"
    ACCEPTED_AN_ANSWER = "accepted_an_answer", "Accepted an answer"
    DOWNVOTE_RECEIVED = "downvote_received", "Downvote received"
    DOWNVOTE_CAST = "downvote_cast", "Downvoted an answer"
    POST_SPAM = "post_spam", "Post removed as spam"
    REVERSAL = "reversal", "Reversed"
    ADJUSTMENT = "adjustment", "Adjusted by staff"


# Reasons whose points count against the daily cap (points earned from others' votes).
CAPPED_REASONS = frozenset({Reason.ANSWER_UPVOTED, Reason.QUESTION_UPVOTED})


def points_for(reason: str) -> int:
    return int(settings.COMMUNITY_REPUTATION_POINTS[reason])


def capped_points(points: int, *, earned_today: int, cap: int) -> int:
    """What a vote may still award today, given what capped reasons already earned."""
    if points <= 0:
        return points
    return max(0, min(points, cap - earned_today))


def reputation_from_total(total: int) -> int:
    """A member's reputation: 1 plus the sum of their ledger rows, never below 1."""
    return max(1, 1 + total)


@dataclass(frozen=True)
class Privilege:
    key: str
    label: str
    threshold: int


def privileges() -> list[Privilege]:
    labels = settings.COMMUNITY_PRIVILEGE_LABELS
    held = [
        Privilege(key, labels.get(key, key), threshold)
        for key, threshold in settings.COMMUNITY_PRIVILEGES.items()
    ]
    return sorted(held, key=lambda p: (p.threshold, p.key))


def has_privilege(reputation: int, key: str) -> bool:
    return reputation >= int(settings.COMMUNITY_PRIVILEGES[key])


def serial_votes(votes: list[tuple[int, datetime]], *, threshold: int, window: timedelta) -> set[int]:
    """Ids of one voter's votes on one author's posts that fall in a burst: ``threshold`` or
    more within ``window``. Every vote inside any such burst is returned."""
    ordered = sorted(votes, key=lambda vote: vote[1])
    flagged: set[int] = set()
    start = 0
    for end in range(len(ordered)):
        while ordered[end][1] - ordered[start][1] > window:
            start += 1
        if end - start + 1 >= threshold:
            flagged.update(vote_id for vote_id, _ in ordered[start : end + 1])
    return flagged
