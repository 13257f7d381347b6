"""Ranks earned from reputation (thresholds and names are settings). Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Rank:
    name: str
    threshold: int


def ranks() -> list[Rank]:
    return sorted(
        (Rank(name, threshold) for threshold, name in settings.COMMUNITY_RANKS), key=lambda r: r.threshold
    )


def rank_for(reputation: int) -> Rank:
    held = [rank for rank in ranks() if reputation >= rank.threshold]
    return held[-1] if held else ranks()[0]


def next_rank(reputation: int) -> Rank | None:
    return next((rank for rank in ranks() if rank.threshold > reputation), None)


def progress_to_next(reputation: int) -> int:
    """Percent of the way from the current rank's threshold to the next (100 at the top)."""
    current, upcoming = rank_for(reputation), next_rank(reputation)
    if upcoming is None:
        return 100
    span = upcoming.threshold - current.threshold
    return max(0, min(100, round(100 * (reputation - current.threshold) / span)))
