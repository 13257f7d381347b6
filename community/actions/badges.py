"""Awarding badges: gather each member's statistics, apply the rules, record new awards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from community.actions import outbox
from community.badges import MemberStats, earned
from community.models import Acceptance, Answer, BadgeAward, Question, ReputationEvent


def member_stats(user_ids: Iterable[int]) -> dict[int, MemberStats]:
    """The statistics the badge rules read, for many members in a fixed number of queries."""
    ids = list(set(user_ids))
    stats = {pk: MemberStats() for pk in ids}
    # Imported history earns no badges: only what members did here counts.
    live_questions = Question.objects.filter(author__in=ids, is_deleted=False, import_site__isnull=True)
    for author, count, best in (
        live_questions.values("author")
        .annotate(n=Count("pk"), best=Max("score"))
        .values_list("author", "n", "best")
    ):
        stats[author].questions, stats[author].best_question_score = count, best or 0
    live_answers = Answer.objects.filter(
        author__in=ids, is_deleted=False, question__is_deleted=False, import_site__isnull=True
    )
    for author, count, best in (
        live_answers.values("author")
        .annotate(n=Count("pk"), best=Max("score"))
        .values_list("author", "n", "best")
    ):
        stats[author].answers, stats[author].best_answer_score = count, best or 0
    for author, day in (
        live_answers.annotate(day=TruncDate("created_at")).values_list("author", "day").distinct()
    ):
        stats[author].answer_days.add(day)
    live = Acceptance.objects.filter(revoked_at__isnull=True, answer__is_deleted=False)
    accepted = live.filter(answer__author__in=ids).values("answer__author").annotate(n=Count("pk"))
    for author, count in accepted.values_list("answer__author", "n"):
        stats[author].accepted_answers = count
    own = live.filter(accepted_by__in=ids, question__author=F("accepted_by")).exclude(
        answer__author=F("accepted_by")
    )
    for accepter, count in own.values("accepted_by").annotate(n=Count("pk")).values_list("accepted_by", "n"):
        stats[accepter].accepted_given = count
    by_tag = (
        live.filter(answer__author__in=ids, question__tags__isnull=False)
        .values("answer__author", "question__tags__name")
        .annotate(n=Count("pk"))
        .values_list("answer__author", "question__tags__name", "n")
    )
    for author, tag, count in by_tag:
        stats[author].accepted_by_tag[tag] = count
    return stats


def recently_active(since_hours: int = 24) -> set[int]:
    """Members whose badges may have changed: posted, or moved in the ledger, lately."""
    since = timezone.now() - timedelta(hours=since_hours)
    ids: set[int] = set()
    ids.update(Question.objects.filter(created_at__gte=since).values_list("author", flat=True))
    ids.update(
        Answer.objects.filter(Q(created_at__gte=since) | Q(edited_at__gte=since)).values_list(
            "author", flat=True
        )
    )
    ids.update(ReputationEvent.objects.filter(created_at__gte=since).values_list("user", flat=True))
    ids.update(Acceptance.objects.filter(created_at__gte=since).values_list("accepted_by", flat=True))
    return ids


def award_badges(user_ids: Iterable[int] | None = None) -> list[BadgeAward]:
    """Give every member the badges their statistics earn and they do not hold yet.

    Idempotent: ``(user, badge, qualifier)`` is unique, so a rerun, or two runs at once,
    award nothing twice. Badges are kept once earned. Each new award queues a notice.
    """
    ids = recently_active() if user_ids is None else set(user_ids)
    held: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for user_id, badge, qualifier in BadgeAward.objects.filter(user__in=ids).values_list(
        "user", "badge", "qualifier"
    ):
        held[user_id].add((badge, qualifier))
    awarded = []
    now = timezone.now()
    for user_id, stats in member_stats(ids).items():
        for badge, qualifier in sorted(earned(stats) - held[user_id]):
            try:
                with transaction.atomic():
                    award = BadgeAward.objects.create(
                        user_id=user_id, badge=badge, qualifier=qualifier, awarded_at=now
                    )
                    outbox.record("notify.badge_awarded", {"award_id": award.pk})
            except IntegrityError:  # a concurrent run awarded it first
                continue
            awarded.append(award)
    return awarded
