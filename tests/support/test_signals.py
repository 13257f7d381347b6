"""Surge detection (support/signals.py) on replayed timelines: a synthetic surge is found
by the first sweep after it, a steady week raises nothing, a quiet tag cannot alarm on a
few posts, the bicycles.meta dump raises nothing, and the Twitter support sample raises
only at the edge where its excerpt was cut from the dataset."""

from __future__ import annotations

import csv
import random
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from support.signals import BUCKET, replay, robust_z, sweep
from tests.corpora import DATA

START = datetime(2026, 11, 2, tzinfo=UTC)


def steady_week(key: str = "billing", *, seed: int = 1, hours: int = 24 * 8) -> list[tuple[str, datetime]]:
    """A busy tag's ordinary days: 0–6 questions an hour, more by day than by night."""
    rng = random.Random(seed)
    events = []
    for hour in range(hours):
        at = START + timedelta(hours=hour)
        busy = 9 <= at.hour < 18
        count = rng.randint(1, 6) if busy else rng.randint(0, 2)
        events.extend((key, at + timedelta(minutes=rng.randint(0, 59))) for _ in range(count))
    return events


def test_a_surge_is_found_by_the_first_sweep_after_it() -> None:
    events = steady_week()
    surge_hour = START + timedelta(days=8, hours=10)
    events += [("billing", surge_hour + timedelta(minutes=m)) for m in range(0, 60, 2)]  # 30 in an hour
    events += [("export", surge_hour + timedelta(minutes=m)) for m in range(0, 60, 20)]  # 3: ordinary
    found = sweep(events, now=surge_hour + BUCKET)
    assert [(s.key, s.count) for s in found] == [("billing", 30)]
    assert found[0].z >= 4
    assert sweep(events, now=surge_hour) == []  # the hour before: nothing yet


def test_a_steady_week_raises_nothing() -> None:
    for seed in range(5):
        assert replay(steady_week(seed=seed) + steady_week("export", seed=seed + 10)) == [], seed


def test_a_quiet_tag_cannot_alarm_on_a_few_posts() -> None:
    events = [("sso", START + timedelta(days=8, minutes=m)) for m in (1, 5, 9)]
    assert sweep(events, now=START + timedelta(days=8, hours=1)) == []
    assert robust_z(3, [0] * 168) > 2  # three is far from zero; the minimum count is what holds it


def test_the_twitter_support_sample_raises_only_its_own_cut() -> None:
    events = []
    for name in ("sample.csv", "twcs_head_excerpt.csv"):
        with (DATA / "support-twcs-sample" / name).open(encoding="utf-8-sig") as rows:
            for row in csv.DictReader(rows):
                words = row["text"].split()
                if row["inbound"].upper() == "TRUE" and words and words[0].startswith("@"):
                    at = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
                    events.append((words[0].lower(), at))  # the brand the customer wrote to
    assert len(events) > 500
    raised = replay(events)
    # The excerpt is the head of the dataset: 653 of its 823 customer tweets fall on the
    # evening of 31 October (the file's first rows), so against the excerpt's own quiet
    # week the busiest brands surge that evening, and only then. Elsewhere: nothing.
    evening = (datetime(2017, 10, 31, 19, tzinfo=UTC), datetime(2017, 11, 1, 1, tzinfo=UTC))
    assert raised and all(evening[0] <= surge.at <= evening[1] for surge in raised), raised
    print("twcs excerpt raises:", [(s.key, s.at.isoformat(), s.count, s.z) for s in raised])


def test_the_bicycles_meta_dump_replayed_raises_no_alarm() -> None:
    events = []
    posts = DATA / "stackexchange" / "bicycles.meta.stackexchange.com" / "Posts.xml"
    for row in ET.parse(posts).getroot():  # noqa: S314 (a fixed local file)
        if row.get("PostTypeId") == "1":
            at = datetime.fromisoformat(row.get("CreationDate", "")).replace(tzinfo=UTC)
            tags = row.get("Tags", "").replace(">", "<").replace("|", "<").split("<")
            events.extend((tag, at) for tag in tags if tag)
    assert len(events) > 800
    assert replay(events) == []
