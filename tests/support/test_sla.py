"""SLA due times: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from support.sla import BusinessHours, Policy, add_working_hours, working_hours_between

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local(zone, *args):
    return datetime(*args, tzinfo=zone).astimezone(UTC)


def test_without_business_hours_the_clock_always_runs():
    start = datetime(2026, 5, 1, 22, 0, tzinfo=UTC)
    assert Policy().first_reply_due(start) == datetime(2026, 5, 2, 22, 0, tzinfo=UTC)
    assert Policy().solution_due(start) == datetime(2026, 5, 4, 22, 0, tzinfo=UTC)


def test_vip_customers_get_the_shorter_sla():
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    assert Policy().first_reply_due(start, vip=True) == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert Policy().solution_due(start, vip=True) == datetime(2026, 5, 2, 8, 0, tzinfo=UTC)


def test_business_hours_skip_the_night_and_the_weekend():
    office = BusinessHours("Europe/Berlin")  # Monday–Friday, 9:00–17:00
    friday_afternoon = local(BERLIN, 2026, 5, 8, 16, 0)
    # 1 hour left on Friday, then Monday from 9:00: 3 more hours.
    assert add_working_hours(friday_afternoon, 4, office) == local(BERLIN, 2026, 5, 11, 12, 0)
    saturday = local(BERLIN, 2026, 5, 9, 11, 0)
    assert add_working_hours(saturday, 2, office) == local(BERLIN, 2026, 5, 11, 11, 0)
    before_opening = local(BERLIN, 2026, 5, 11, 6, 30)
    assert add_working_hours(before_opening, 8, office) == local(BERLIN, 2026, 5, 11, 17, 0)


def test_a_working_day_that_loses_an_hour_to_daylight_saving_counts_only_the_hours_that_passed():
    # Berlin's clocks jump from 2:00 to 3:00 on Sunday 29 March 2026; a support desk open
    # every night 1:00–5:00 is open 3 real hours that night.
    night_desk = BusinessHours(
        "Europe/Berlin", opens=time(1, 0), closes=time(5, 0), weekdays=frozenset(range(7))
    )
    saturday_close = local(BERLIN, 2026, 3, 28, 5, 0)
    due = add_working_hours(saturday_close, 4, night_desk)
    assert due == local(BERLIN, 2026, 3, 30, 2, 0)  # 3 hours on Sunday, the 4th on Monday
    assert working_hours_between(saturday_close, due, night_desk) == pytest.approx(4)


def test_a_weekend_across_the_autumn_clock_change():
    office = BusinessHours("America/New_York")
    # New York falls back on Sunday 1 November 2026: the weekend is 25 hours longer than
    # usual in UTC terms, but Monday still opens at 9:00 local.
    friday = local(NEW_YORK, 2026, 10, 30, 15, 0)
    due = add_working_hours(friday, 5, office)
    assert due == local(NEW_YORK, 2026, 11, 2, 12, 0)
    assert due.astimezone(NEW_YORK).utcoffset().total_seconds() == -5 * 3600


def test_bad_business_hours_are_refused():
    with pytest.raises(ValueError, match="close after"):
        BusinessHours(opens=time(17, 0), closes=time(9, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(datetime(2026, 1, 1), 1, None)  # noqa: DTZ001 (the point of the test)
