"""Rate limits on writing, by rank (COMMUNITY_RATE_LIMITS): new members cannot flood the
site. Counts live in the shared cache (the database cache in the embedded default, Redis
when scaled), so every process sees the same counts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

TOO_FAST = (
    "You are posting faster than your rank allows ({rate}). Your text is kept below: "
    "try again in a little while."
)


def rate_for(request: HttpRequest, action: str) -> str | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return settings.COMMUNITY_RATE_LIMITS.get(user.rank.name, {}).get(action)  # type: ignore[union-attr]


def too_fast(request: HttpRequest, action: str) -> str:
    """Count this attempt; the message to show when it is over the limit, else ""."""
    rate = rate_for(request, action)
    if rate is None:
        return ""
    if is_ratelimited(request=request, group=f"community.{action}", key="user", rate=rate, increment=True):
        return TOO_FAST.format(
            rate=rate.replace("/h", " an hour").replace("/m", " a minute").replace("/d", " a day")
        )
    return ""
