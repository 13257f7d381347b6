"""What customers can expect from support, in words, from the SLA policies: shown on the
ask page and on a question waiting for staff ("Support replies within 1 business day;
the community often answers first")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from support.sla import BusinessHours, Policy

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Expectation:
    category: str  # "" for the site's default
    reply_within: str  # "1 business day", "24 hours"
    hours: str  # "Monday to Friday, 9:00–17:00 (Europe/London)"; "" around the clock

    @property
    def sentence(self) -> str:
        return f"Support replies within {self.reply_within}; the community often answers first."


def _plural(n: float, word: str) -> str:
    shown = f"{n:g}"
    return f"{shown} {word}" if shown == "1" else f"{shown} {word}s"


def _days(weekdays: frozenset[int]) -> str:
    days = sorted(weekdays)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAYS[days[0]]} to {DAYS[days[-1]]}"
    return ", ".join(DAYS[d] for d in days)


def business_hours_text(business: BusinessHours) -> str:
    opens, closes = business.opens.strftime("%H:%M"), business.closes.strftime("%H:%M")
    return f"{_days(business.weekdays)}, {opens}–{closes} ({business.time_zone})"


def _hours(at: time) -> float:
    return at.hour + at.minute / 60


def reply_within(policy: Policy, *, vip: bool = False) -> str:
    hours = policy.vip_first_reply_hours if vip else policy.first_reply_hours
    business = policy.business_hours
    if business is None:
        return _plural(hours / 24, "day") if hours % 24 == 0 else _plural(hours, "hour")
    per_day = _hours(business.closes) - _hours(business.opens)
    if hours % per_day == 0:
        return _plural(hours / per_day, "business day")
    return _plural(hours, "working hour")


def expectation(policy: Policy, *, category: str = "", vip: bool = False) -> Expectation:
    business = policy.business_hours
    return Expectation(
        category, reply_within(policy, vip=vip), business_hours_text(business) if business else ""
    )
