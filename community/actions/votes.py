"""Voting on questions and answers, and the reputation each vote moves."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions.reputation import award, lock_members, reverse_source
from community.models import Answer, Question, Vote
from community.reputation import Reason, serial_votes


def _post_filter(post: Question | Answer) -> dict[str, Question | Answer]:
    return {"question": post} if isinstance(post, Question) else {"answer": post}


@transaction.atomic
def cast_vote(post: Question | Answer, *, by: User, value: int) -> int:
    """Vote up (+1) or down (−1). Casting the same vote again withdraws it; the other
    direction replaces it (a new vote row, so each cast is its own ledger event).

    Awards or reverses the reputation the vote carries. Returns the member's vote after
    the change (+1, −1 or 0) and updates ``post.score``.
    """
    if value not in (Vote.UP, Vote.DOWN):
        raise ValueError("A vote is +1 or -1")
    target = _post_filter(post)
    previous = Vote.objects.filter(user=by, **target).first()
    withdrawing = previous is not None and previous.value == value
    if not withdrawing:
        permissions.check_can_vote(by, post, value)
    lock_members([by.pk, post.author_id])
    delta = 0
    result = 0 if withdrawing else value
    if previous is not None and Vote.objects.filter(pk=previous.pk).delete()[0]:
        # Conditional delete: of two racing withdrawals only one changes the score.
        delta -= previous.value
        reverse_source(f"vote:{previous.pk}")
    if result:
        try:
            with transaction.atomic():
                vote = Vote.objects.create(user=by, value=value, created_at=timezone.now(), **target)
        except IntegrityError:
            # A concurrent request from the same member voted first; theirs stands.
            result = Vote.objects.filter(user=by, **target).values_list("value", flat=True).first() or 0
        else:
            delta += value
            award_for_vote(vote, post)
    if delta:
        type(post).objects.filter(pk=post.pk).update(score=F("score") + delta)
    post.refresh_from_db(fields=["score"])
    return result


def award_for_vote(vote: Vote, post: Question | Answer, *, generation: str = "") -> None:
    """The ledger rows one vote makes. ``generation`` distinguishes a re-award after a
    deleted post is restored from the original (each is its own source event)."""
    source = f"vote:{vote.pk}{generation}"
    question = post.thread
    answer = post if isinstance(post, Answer) else None
    if vote.value > 0:
        reason = Reason.QUESTION_UPVOTED if answer is None else Reason.ANSWER_UPVOTED
        award(post.author_id, reason=reason, source_key=source, question=question, answer=answer)
        return
    award(
        post.author_id, reason=Reason.DOWNVOTE_RECEIVED, source_key=source, question=question, answer=answer
    )
    if answer is not None:
        award(vote.user_id, reason=Reason.DOWNVOTE_CAST, source_key=source, question=question, answer=answer)


def reaward_votes(post: Question | Answer) -> None:
    """After a deleted post is restored, its standing votes count again."""
    generation = f"@restored-{timezone.now().timestamp():.6f}"
    for vote in Vote.objects.filter(**_post_filter(post)):
        award_for_vote(vote, post, generation=generation)


def reverse_serial_votes(*, since: datetime | None = None) -> int:
    """Find bursts of one member voting on one author's posts and remove those votes,
    with the score and reputation they moved. Returns how many votes were removed."""
    since = since or timezone.now() - timedelta(days=1)
    window = timedelta(minutes=settings.COMMUNITY_SERIAL_VOTES_WINDOW_MINUTES)
    by_pair: dict[tuple[int, int], list[tuple[int, datetime]]] = defaultdict(list)
    recent = Vote.objects.filter(created_at__gte=since - window).annotate(
        author=Coalesce("question__author", "answer__author")
    )
    for vote_id, voter, author, created_at in recent.values_list("pk", "user", "author", "created_at"):
        by_pair[(voter, author)].append((vote_id, created_at))
    flagged: set[int] = set()
    for votes in by_pair.values():
        flagged |= serial_votes(votes, threshold=settings.COMMUNITY_SERIAL_VOTES_THRESHOLD, window=window)
    removed = 0
    for vote in Vote.objects.filter(pk__in=flagged).select_related("question", "answer"):
        removed += _remove_vote(vote)
    return removed


@transaction.atomic
def _remove_vote(vote: Vote) -> int:
    post: Question | Answer = vote.question or vote.answer  # type: ignore[assignment]
    lock_members([vote.user_id, post.author_id])
    if not Vote.objects.filter(pk=vote.pk).delete()[0]:
        return 0  # already gone
    type(post).objects.filter(pk=post.pk).update(score=F("score") - vote.value)
    reverse_source(f"vote:{vote.pk}")
    return 1
