"""Surge detection, the first step of an incident: each series (a tag, a category, a
product team; new questions, "I have this too", negative tone) has its latest bucket
compared with its own baseline by a robust z-score, the distance from the baseline's
median in units of its median absolute deviation (MAD), so that one earlier spike does
not hide the next.

- The baseline is the same time of day on each day of the trailing week (an hour and its
  neighbours, 21 buckets): a busy afternoon is compared with other afternoons, not with
  the nights.
- The scale is never below the count's own noise (the square root of the median, as for
  Poisson counts) nor below one, so a baseline of zeros does not make any post a surge.
- A minimum count keeps a quiet series from alarming on a few posts, and a series is only
  judged once it has a whole window of history (a new tag is judged after a week; its
  category and team series are judged from the start).

Pure functions (no database): the beat job feeds them events, and the tests replay real
timelines through the same code.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

BUCKET = timedelta(hours=1)
WINDOW = timedelta(days=7)  # the baseline: the week before the latest bucket
Z_THRESHOLD = 4.0
MIN_COUNT = 8  # events in the latest bucket before it can be a surge
MAD_TO_SIGMA = 1.4826  # the MAD of a normal distribution, times this, is its deviation


@dataclass(frozen=True)
class Surge:
    key: str
    at: datetime  # the end of the surging bucket
    count: int
    baseline: float  # the baseline's median per bucket
    z: float


def robust_z(value: float, baseline: Sequence[float]) -> float:
    middle = median(baseline)
    mad = median(abs(x - middle) for x in baseline)
    return (value - middle) / max(MAD_TO_SIGMA * mad, math.sqrt(middle), 1.0)


def surge_z(
    value: int, baseline: Sequence[int], *, minimum: int = MIN_COUNT, threshold: float = Z_THRESHOLD
) -> float | None:
    """The z-score of ``value`` when it is a surge against ``baseline``, else None."""
    if value < minimum or not baseline:
        return None
    z = robust_z(value, baseline)
    return z if z >= threshold else None


def _seasonal(series: list[int], per_day: int) -> list[int]:
    """The buckets at the same time of day (and either side) on each earlier day."""
    last = len(series) - 1
    if per_day <= 1:
        return series[:-1]
    return [
        series[i]
        for day in range(1, last // per_day + 1)
        for i in (last - day * per_day - 1, last - day * per_day, last - day * per_day + 1)
        if 0 <= i < last
    ]


def sweep(
    events: Iterable[tuple[str, datetime]],
    *,
    now: datetime,
    history: Mapping[str, datetime] | None = None,
    bucket: timedelta = BUCKET,
    window: timedelta = WINDOW,
    minimum: int = MIN_COUNT,
    threshold: float = Z_THRESHOLD,
) -> list[Surge]:
    """The series surging in the bucket that ends at ``now``. ``events`` are (series key,
    when) pairs; ``history`` says when each series began (default: its first event here),
    and a series younger than ``window`` is not judged."""
    start = now - bucket - window
    buckets = int(window / bucket)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * (buckets + 1))
    began: dict[str, datetime] = dict(history or {})
    for key, at in events:
        if history is None:
            began[key] = min(began.get(key, at), at)
        if start <= at < now:
            counts[key][min(int((at - start) / bucket), buckets)] += 1
    per_day = int(timedelta(days=1) / bucket)
    found = []
    for key, series in counts.items():
        if began.get(key, now) > start:
            continue  # not a whole window of history yet
        baseline = _seasonal(series, per_day)
        z = surge_z(series[-1], baseline, minimum=minimum, threshold=threshold)
        if z is not None:
            found.append(Surge(key, now, series[-1], float(median(baseline)), round(z, 1)))
    return sorted(found, key=lambda surge: -surge.z)


def replay(
    events: Iterable[tuple[str, datetime]],
    *,
    bucket: timedelta = BUCKET,
    window: timedelta = WINDOW,
    minimum: int = MIN_COUNT,
    threshold: float = Z_THRESHOLD,
) -> list[Surge]:
    """What a sweep at the end of every ``bucket`` across a whole timeline would raise.
    Only a bucket holding ``minimum`` events of one series can surge, so only the ends of
    those are swept (the same answers, far fewer sweeps)."""
    timeline = sorted(events, key=lambda event: event[1])
    if not timeline:
        return []
    origin = timeline[0][1]
    began: dict[str, datetime] = {}
    per_bucket: dict[tuple[str, int], int] = defaultdict(int)
    for key, at in timeline:
        began.setdefault(key, at)
        per_bucket[(key, int((at - origin) / bucket))] += 1
    ends = sorted({origin + (n + 1) * bucket for (_, n), count in per_bucket.items() if count >= minimum})
    raised = []
    for now in ends:
        recent = [(key, at) for key, at in timeline if now - bucket - window <= at < now]
        raised += sweep(
            recent, now=now, history=began, bucket=bucket, window=window, minimum=minimum, threshold=threshold
        )
    return raised
