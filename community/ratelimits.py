"""Rate limits on writing, by rank (COMMUNITY_RATE_LIMITS): new members cannot flood the
site. Staff, appointed advocates and MVPs are exempt. Counts live in the shared cache
(the database cache in the embedded default, Redis when scaled), so every process sees
the same counts. When the cache is down, limits fail open: the post goes through and the
outage is logged (a community that cannot post during an outage loses more than one that
is briefly unthrottled)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from community import permissions

logger = logging.getLogger("askwell.ratelimits")

TOO_FAST = (
    "You are posting faster than your rank allows ({rate}). Your text is kept below: "
    "try again in a little while."
)


def rate_for(request: HttpRequest, action: str) -> str | None:
    user = request.user
    if not user.is_authenticated or permissions.is_rate_limit_exempt(user):
        return None
    return settings.COMMUNITY_RATE_LIMITS.get(user.rank.name, {}).get(action)  # type: ignore[union-attr]


def too_fast(request: HttpRequest, action: str) -> str:
    """Count this attempt; the message to show when it is over the limit, else ""."""
    rate = rate_for(request, action)
    if rate is None:
        return ""
    try:
        limited = is_ratelimited(
            request=request, group=f"community.{action}", key="user", rate=rate, increment=True
        )
    except Exception:  # the cache backend's errors vary (Redis, the database cache)
        logger.warning("Rate-limit cache unavailable; %s allowed without counting", action, exc_info=True)
        return ""
    if limited:
        return TOO_FAST.format(
            rate=rate.replace("/h", " an hour").replace("/m", " a minute").replace("/d", " a day")
        )
    return ""
