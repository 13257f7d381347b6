"""Badge definitions and the rules that award them, over plain per-member statistics.

The ORM gathers the statistics (``community.actions.badges.member_stats``); everything
here is pure, so each rule is tested without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings

BRONZE, SILVER, GOLD = "bronze", "silver", "gold"


@dataclass
class MemberStats:
    questions: int = 0
    answers: int = 0
    accepted_answers: int = 0
    accepted_given: int = 0
    best_answer_score: int = 0
    best_question_score: int = 0
    accepted_by_tag: dict[str, int] = field(default_factory=dict)
    answer_days: set[date] = field(default_factory=set)


@dataclass(frozen=True)
class Badge:
    slug: str
    name: str
    tier: str
    description: str
    earned: Callable[[MemberStats], bool]


def longest_streak(days: Iterable[date]) -> int:
    """The longest run of consecutive days in ``days``."""
    ordered = sorted(set(days))
    best = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


BADGES: list[Badge] = [
    Badge("student", "Student", BRONZE, "Asked a first question.", lambda s: s.questions >= 1),
    Badge("helper", "Helper", BRONZE, "Posted a first answer.", lambda s: s.answers >= 1),
    Badge("scholar", "Scholar", BRONZE, "Accepted an answer to their own question.", lambda s: s.accepted_given >= 1),
    Badge("first-solution", "First solution", BRONZE, "Had an answer accepted.", lambda s: s.accepted_answers >= 1),
    Badge("nice-question", "Nice question", BRONZE, "A question scored 10 or more.", lambda s: s.best_question_score >= 10),
    Badge("nice-answer", "Nice answer", BRONZE, "An answer scored 10 or more.", lambda s: s.best_answer_score >= 10),
    Badge("good-answer", "Good answer", SILVER, "An answer scored 25 or more.", lambda s: s.best_answer_score >= 25),
    Badge("problem-solver", "Problem solver", SILVER, "10 accepted answers.", lambda s: s.accepted_answers >= 10),
    Badge(
        "versatile", "Versatile", SILVER, "Accepted answers in 5 different tags.",
        lambda s: sum(1 for n in s.accepted_by_tag.values() if n) >= 5,
    ),
    Badge("regular", "Regular", SILVER, "Answered on 7 days in a row.", lambda s: longest_streak(s.answer_days) >= 7),
    Badge("centurion", "Centurion", GOLD, "Posted 100 answers.", lambda s: s.answers >= 100),
    Badge("guru", "Guru", GOLD, "50 accepted answers.", lambda s: s.accepted_answers >= 50),
    Badge("marathon", "Marathon", GOLD, "Answered on 30 days in a row.", lambda s: longest_streak(s.answer_days) >= 30),
]  # fmt: skip
TAG_BADGE = Badge(
    "tag-expert", "Tag expert", BRONZE, "Accepted answers on questions in one tag.", lambda s: False
)
BY_SLUG = {badge.slug: badge for badge in [*BADGES, TAG_BADGE]}


def earned(stats: MemberStats) -> set[tuple[str, str]]:
    """Every (badge slug, qualifier) the statistics earn; the qualifier names a tag or is ""."""
    result = {(badge.slug, "") for badge in BADGES if badge.earned(stats)}
    needed = settings.COMMUNITY_TAG_BADGE_ACCEPTED_ANSWERS
    result |= {(TAG_BADGE.slug, tag) for tag, count in stats.accepted_by_tag.items() if count >= needed}
    return result
