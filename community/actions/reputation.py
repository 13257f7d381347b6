"""Writing the reputation ledger: awards, reversals, totals and ranks reached.

Every other action that moves reputation (votes, acceptance, deletion) calls these inside
its own transaction. A member's row is locked before their ledger is read and written
(the daily cap and the total are read-then-write); on SQLite the IMMEDIATE transaction
already serializes writers, on PostgreSQL ``select_for_update`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import User
from accounts.ranks import ranks
from community.actions import outbox
from community.models import Answer, Question, RankReached, ReputationEvent
from community.reputation import CAPPED_REASONS, Reason, capped_points, points_for, reputation_from_total


def lock_members(user_ids: Iterable[int]) -> None:
    """Lock members' rows in id order, so two transactions never wait on each other."""
    ids = sorted(set(user_ids))
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _start_of_utc_day(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


@transaction.atomic
def award(
    user_id: int,
    *,
    reason: Reason,
    source_key: str,
    question: Question | None = None,
    answer: Answer | None = None,
    points: int | None = None,
) -> ReputationEvent | None:
    """Append one ledger row, unless this (user, reason, source event) already has one.

    Points from others' votes are capped per UTC day; the row stores what was actually
    awarded (possibly 0). Updates the member's total and queues any new-rank notice.
    """
    lock_members([user_id])
    if ReputationEvent.objects.filter(user_id=user_id, reason=reason, source_key=source_key).exists():
        return None
    now = timezone.now()
    amount = points_for(reason) if points is None else points
    if reason in CAPPED_REASONS:
        earned_today = (
            ReputationEvent.objects.filter(
                user_id=user_id, reason__in=CAPPED_REASONS, created_at__gte=_start_of_utc_day(now)
            ).aggregate(total=Sum("points"))["total"]
            or 0
        )
        amount = capped_points(
            amount, earned_today=earned_today, cap=settings.COMMUNITY_REPUTATION_DAILY_VOTE_CAP
        )
    event = ReputationEvent.objects.create(
        user_id=user_id,
        points=amount,
        reason=reason,
        source_key=source_key,
        question=question,
        answer=answer,
        created_at=now,
    )
    refresh_reputation(user_id)
    return event


@transaction.atomic
def reverse(events: Iterable[ReputationEvent]) -> list[ReputationEvent]:
    """Append a compensating row for each event not yet reversed; cancels exactly its points."""
    pending = [e for e in events if e.reason != Reason.REVERSAL]
    lock_members(e.user_id for e in pending)
    reversals = []
    now = timezone.now()
    for event in pending:
        if ReputationEvent.objects.filter(reverses=event).exists():
            continue
        reversals.append(
            ReputationEvent.objects.create(
                user_id=event.user_id,
                points=-event.points,
                reason=Reason.REVERSAL,
                source_key=f"reversal:{event.pk}",
                question_id=event.question_id,
                answer_id=event.answer_id,
                reverses=event,
                created_at=now,
            )
        )
    for user_id in sorted({e.user_id for e in reversals}):
        refresh_reputation(user_id)
    return reversals


def reverse_source(source_key: str) -> list[ReputationEvent]:
    """Reverse everything a source event (a vote, an acceptance) awarded, including any
    re-award after its post was restored (``vote:17@restored-…``)."""
    same_source = Q(source_key=source_key) | Q(source_key__startswith=f"{source_key}@")
    return reverse(ReputationEvent.objects.filter(same_source, reversed_by__isnull=True))


def reverse_post(post: Question | Answer) -> list[ReputationEvent]:
    """Reverse everything a post earned or cost (used when it is deleted)."""
    owner = Q(question=post, answer__isnull=True) if isinstance(post, Question) else Q(answer=post)
    return reverse(
        ReputationEvent.objects.filter(owner, reversed_by__isnull=True).exclude(reason=Reason.REVERSAL)
    )


def ledger_total(user_id: int) -> int:
    return ReputationEvent.objects.filter(user_id=user_id).aggregate(total=Sum("points"))["total"] or 0


def refresh_reputation(user_id: int) -> int:
    """Write the member's denormalized reputation from the ledger and record new ranks."""
    reputation = reputation_from_total(ledger_total(user_id))
    User.objects.filter(pk=user_id).update(reputation=reputation)
    _record_ranks(user_id, reputation)
    return reputation


def _record_ranks(user_id: int, reputation: int) -> None:
    """Note each rank reached for the first time; its notice goes out once, ever."""
    earned = [rank for rank in ranks()[1:] if reputation >= rank.threshold]
    if not earned:
        return
    known = set(RankReached.objects.filter(user_id=user_id).values_list("rank", flat=True))
    now = timezone.now()
    for rank in earned:
        if rank.name in known:
            continue
        RankReached.objects.create(user_id=user_id, rank=rank.name, reached_at=now)
        outbox.record("notify.rank_reached", {"user_id": user_id, "rank": rank.name})


def adjust_reputation(user: User, *, points: int, source_key: str) -> ReputationEvent | None:
    """A staff adjustment (or a seeded starting balance): one ledger row like any other."""
    return award(user.pk, reason=Reason.ADJUSTMENT, source_key=f"adjustment:{source_key}", points=points)
