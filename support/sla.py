"""SLA policies and due times, as pure functions (no database): tested without one.

Timestamps come in and go out in UTC. Business hours are counted in the policy's own
time zone, so a day that is 23 or 25 hours long (a DST change) still has its working
hours from opening to closing by the local clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class BusinessHours:
    time_zone: str = "UTC"
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError("Business hours must close after they open.")
        if not self.weekdays:
            raise ValueError("Business hours need at least one working day.")


@dataclass(frozen=True)
class Policy:
    first_reply_hours: float = 24
    solution_hours: float = 72
    vip_first_reply_hours: float = 4
    vip_solution_hours: float = 24
    business_hours: BusinessHours | None = None  # None: the clock runs all the time

    def first_reply_due(self, start: datetime, *, vip: bool = False) -> datetime:
        hours = self.vip_first_reply_hours if vip else self.first_reply_hours
        return add_working_hours(start, hours, self.business_hours)

    def solution_due(self, start: datetime, *, vip: bool = False) -> datetime:
        hours = self.vip_solution_hours if vip else self.solution_hours
        return add_working_hours(start, hours, self.business_hours)


def add_working_hours(start: datetime, hours: float, business: BusinessHours | None) -> datetime:
    """``start`` plus ``hours`` of working time (all hours when ``business`` is None)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if business is None:
        return start + timedelta(hours=hours)
    zone = ZoneInfo(business.time_zone)
    remaining = timedelta(hours=hours)
    local = start.astimezone(zone)
    day = local.date()
    for _ in range(3660):  # ten years of days: a bound, never reached with sane policies
        if day.weekday() in business.weekdays:
            opens = datetime.combine(day, business.opens, tzinfo=zone)
            closes = datetime.combine(day, business.closes, tzinfo=zone)
            begin = max(opens, local) if local.date() == day else opens
            if begin < closes:
                # Wall-clock arithmetic in UTC, so an hour lost or gained at a DST change
                # inside the working day is counted as it really passed.
                available = closes.astimezone(UTC) - begin.astimezone(UTC)
                if remaining <= available:
                    return (begin.astimezone(UTC) + remaining).astimezone(UTC)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("The due time is more than ten years away.")


def working_hours_between(start: datetime, end: datetime, business: BusinessHours | None) -> float:
    """Working hours from ``start`` to ``end`` (0 when end is before start)."""
    if end <= start:
        return 0.0
    if business is None:
        return (end - start).total_seconds() / 3600
    zone = ZoneInfo(business.time_zone)
    total = timedelta()
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() in business.weekdays:
            opens = datetime.combine(day, business.opens, tzinfo=zone).astimezone(UTC)
            closes = datetime.combine(day, business.closes, tzinfo=zone).astimezone(UTC)
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds() / 3600
