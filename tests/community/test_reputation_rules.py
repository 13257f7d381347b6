"""Reputation rules as plain functions (no database)."""

from __future__ import annotations

import pytest

from accounts.ranks import next_rank, progress_to_next, rank_for
from community.reputation import capped_points, has_privilege, privileges, reputation_from_total


@pytest.mark.parametrize(
    ("points", "earned", "expected"), [(10, 0, 10), (10, 195, 5), (10, 200, 0), (10, 250, 0), (-2, 500, -2)]
)
def test_the_daily_cap_limits_only_what_votes_add(points, earned, expected):
    assert capped_points(points, earned_today=earned, cap=200) == expected


@pytest.mark.parametrize(("total", "reputation"), [(0, 1), (-50, 1), (-1, 1), (9, 10), (999, 1000)])
def test_reputation_is_one_plus_the_ledger_never_below_one(total, reputation):
    assert reputation_from_total(total) == reputation


@pytest.mark.parametrize(
    ("reputation", "rank", "upcoming"),
    [(1, "New member", "Member"), (14, "New member", "Member"), (15, "Member", "Contributor"),
     (100, "Contributor", "Advocate"), (5000, "Advocate", None)],
)  # fmt: skip
def test_ranks_follow_the_thresholds(reputation, rank, upcoming):
    assert rank_for(reputation).name == rank
    assert (next_rank(reputation).name if next_rank(reputation) else None) == upcoming


def test_progress_runs_from_this_rank_to_the_next():
    assert progress_to_next(15) == 0
    assert progress_to_next(57) == round(100 * 42 / 85)
    assert progress_to_next(1000) == 100


def test_privileges_unlock_in_order_of_their_thresholds():
    keys = [p.key for p in privileges()]
    assert keys[:4] == ["flag_weight", "vote_up", "comment_anywhere", "vote_down"]
    assert not has_privilege(14, "vote_up") and has_privilege(15, "vote_up")
    assert not has_privilege(124, "vote_down") and has_privilege(125, "vote_down")


def test_thresholds_and_points_are_settings(settings):
    settings.COMMUNITY_RANKS = [(1, "Visitor"), (50, "Regular")]
    settings.COMMUNITY_PRIVILEGES = {**settings.COMMUNITY_PRIVILEGES, "vote_up": 1}
    assert rank_for(60).name == "Regular"
    assert has_privilege(1, "vote_up")


def test_the_chart_series_runs_every_day_with_running_totals():
    from datetime import date

    from community.charts import cumulative_by_day, reputation_chart

    daily = {date(2026, 1, 1): 10, date(2026, 1, 3): 5, date(2025, 12, 1): 20}
    series = cumulative_by_day(daily, start=date(2026, 1, 1), end=date(2026, 1, 4))
    assert series == [
        (date(2026, 1, 1), 31),
        (date(2026, 1, 2), 31),
        (date(2026, 1, 3), 36),
        (date(2026, 1, 4), 36),
    ]
    svg = reputation_chart(series, title="Reputation")
    assert svg.startswith("<svg") and "<script" not in svg


def test_serial_votes_finds_every_vote_inside_a_burst():
    from datetime import UTC, datetime, timedelta

    from community.reputation import serial_votes

    t = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    votes = [
        (1, t),
        (2, t + timedelta(minutes=2)),
        (3, t + timedelta(minutes=4)),
        (4, t + timedelta(hours=2)),
    ]
    assert serial_votes(votes, threshold=3, window=timedelta(minutes=10)) == {1, 2, 3}
    assert serial_votes(votes, threshold=4, window=timedelta(minutes=10)) == set()
    assert serial_votes([], threshold=1, window=timedelta(minutes=1)) == set()
