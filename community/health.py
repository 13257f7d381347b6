"""What /health/ checks: each dependency answers, or the check says what failed.

Every check is bounded (a down Redis answers "connection refused" at once; the broker's
connection gives up after one retry), names no secret (no URL, password or host), and
never raises. The page is 200 when all pass and 503 when any fails, for orchestrators.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

logger = logging.getLogger("askwell.health")
Check = Callable[[], str]  # returns a short note when all is well; raises when not


class Unhealthy(Exception):
    """A finding of our own, whose message is safe to show."""


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    cache.set("askwell:health", "ok", 30)
    if cache.get("askwell:health") != "ok":
        raise Unhealthy("the cache did not keep a value")
    return "read and write"


def _broker() -> str:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return "connected"


def _search() -> str:
    from community.search import SearchQuery, get_engine

    get_engine().search(SearchQuery(text="health check", per_page=1))
    return settings.COMMUNITY_SEARCH_ENGINE


def _beat() -> str:
    from community.models import Heartbeat

    at = Heartbeat.objects.filter(name="beat").values_list("at", flat=True).first()
    if at is None:
        raise Unhealthy("beat has not run its every-minute job yet")
    age = timezone.now() - at
    if age > timedelta(seconds=settings.COMMUNITY_HEARTBEAT_STALE_SECONDS):
        raise Unhealthy(f"beat's every-minute job last ran {int(age.total_seconds())} s ago")
    return f"ran {int(age.total_seconds())} s ago"


def _outbox() -> str:
    from community.actions.health import stuck_outbox_rows

    stuck = stuck_outbox_rows()
    if stuck:
        raise Unhealthy(f"{stuck} row(s) pending for over {settings.COMMUNITY_OUTBOX_ALERT_MINUTES} minutes")
    return "nothing stuck"


CHECKS: dict[str, Check] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "search": _search,
    "beat": _beat,
    "outbox": _outbox,
}


def report() -> dict[str, Any]:
    """{"status": "ok" | "down", "checks": {name: {"ok": bool, "detail": str}}}."""
    checks: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = {"ok": True, "detail": check()}
        except Unhealthy as finding:
            checks[name] = {"ok": False, "detail": str(finding)}
        except Exception as error:  # every failure is a finding, never a 500; its text may
            # name hosts or addresses, so only its kind is shown (the log has the rest)
            logger.warning("Health check %s failed", name, exc_info=True)
            checks[name] = {"ok": False, "detail": f"unavailable ({type(error).__name__})"}
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "down", "checks": checks}
