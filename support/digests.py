"""Digest periods and contents from plain data (no database), so a test checks them
directly. Periods are whole days or weeks (from Monday) in the team's own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

CATCH_UP_PERIODS = 8  # a long outage rebuilds at most this many missed digests
TOP = 5
QUOTE_CHARS = 160


def period_containing(moment: datetime, cadence: str, time_zone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(time_zone)
    day = moment.astimezone(zone).date()
    if cadence == "weekly":
        day -= timedelta(days=day.weekday())
    length = 7 if cadence == "weekly" else 1
    return _midnight(day, zone), _midnight(day + timedelta(days=length), zone)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def periods_due(
    *, cadence: str, time_zone: str, now: datetime, last_end: datetime | None, team_since: datetime
) -> list[tuple[datetime, datetime]]:
    """Complete periods with no digest yet, oldest first: after the last digest (or the
    team's first day), up to the period before the one ``now`` is in."""
    current_start, _ = period_containing(now, cadence, time_zone)
    start = last_end or period_containing(team_since, cadence, time_zone)[0]
    periods = []
    while start < current_start:
        _, end = period_containing(start, cadence, time_zone)
        periods.append((start, end))
        start = end
    return periods[-CATCH_UP_PERIODS:]


@dataclass(frozen=True)
class ItemFacts:
    """What a digest needs to know of one feedback item."""

    item_id: int
    title: str
    url: str
    kind: str
    status: str
    created_at: datetime
    demand: int
    me_too_in_period: int
    me_too_in_previous: int
    body: str


@dataclass(frozen=True)
class StatusChange:
    item_id: int
    title: str
    url: str
    status: str
    at: datetime


def build(
    *, team: str, start: datetime, end: datetime, items: list[ItemFacts], changes: list[StatusChange]
) -> dict[str, Any]:
    """The digest: new items, the most demanded, what is trending against the previous
    period, status changes, and short quotes from customers — each with a link."""
    new = sorted((i for i in items if start <= i.created_at < end), key=lambda i: (-i.demand, i.item_id))
    trending = sorted(
        (i for i in items if i.me_too_in_period > i.me_too_in_previous),
        key=lambda i: (-(i.me_too_in_period - i.me_too_in_previous), i.item_id),
    )
    return {
        "team": team,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "new": [_row(i) for i in new],
        "most_demanded": [
            _row(i) for i in sorted(items, key=lambda i: (-i.demand, i.item_id))[:TOP] if i.demand
        ],
        "trending": [
            {**_row(i), "this_period": i.me_too_in_period, "previous_period": i.me_too_in_previous}
            for i in trending[:TOP]
        ],
        "status_changes": [
            {"title": c.title, "url": c.url, "status": c.status, "at": c.at.isoformat()}
            for c in sorted(changes, key=lambda c: (c.at, c.item_id))
        ],
        "quotes": [
            {"title": i.title, "url": i.url, "quote": _quote(i.body)} for i in new[:TOP] if i.body.strip()
        ],
    }


def _row(item: ItemFacts) -> dict[str, Any]:
    return {
        "title": item.title,
        "url": item.url,
        "kind": item.kind,
        "status": item.status,
        "demand": item.demand,
    }


def _quote(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def is_empty(content: dict[str, Any]) -> bool:
    return not any(content[key] for key in ("new", "trending", "status_changes"))
