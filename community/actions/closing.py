"""Closing and reopening questions (by votes of privileged members, or at once by a
moderator), and locking threads.

A vote counts while it is active: closing spends the close votes (and the "leave open"
votes of reviewers), reopening spends the reopen votes, so the next round starts from
zero. Each close or reopen is audited and its asker told why.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions.audit import audit, tell_author
from community.actions.duplicates import link_duplicate
from community.actions.moderation import open_review
from community.actions.queues import QueueConflict, transition
from community.extensions import thread_event
from community.models import (
    CloseReason,
    CloseVote,
    CloseVoteKind,
    LinkKind,
    Question,
    QuestionLink,
    ReviewItem,
    ReviewKind,
    ReviewState,
)

CLOSE_REASONS = dict(CloseReason.choices)


def _lock(question: Question) -> Question:
    """Take the question's row lock for this transaction, so that votes on one question are
    counted one after another (on PostgreSQL two simultaneous third votes would otherwise
    each see two; SQLite serializes writers anyway)."""
    return Question.objects.select_for_update().get(pk=question.pk)


def _active(question: Question, kind: str) -> list[CloseVote]:
    return list(CloseVote.objects.filter(question=question, kind=kind, is_active=True))


def _cast(
    question: Question, *, by: User, kind: str, reason: str = "", duplicate_of: Question | None = None
) -> None:
    try:
        with transaction.atomic():
            CloseVote.objects.create(
                question=question, voter=by, kind=kind, reason=reason, duplicate_of=duplicate_of,
                created_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:
        raise PermissionDenied(
            f"You have already voted “{CloseVoteKind(kind).label.lower()}” here."
        ) from None


def _settle(question: Question, kind: str, *, by: User | None, resolution: str) -> None:
    """Finish the question's open item in the ``kind`` review queue, if any."""
    for item in ReviewItem.objects.open().filter(question=question, kind=kind):
        try:
            transition(item, ReviewState.DONE, by=by, note=resolution, extra={"resolution": resolution})
        except QueueConflict:  # a reviewer finished it at the same moment
            continue


def _check_reason(question: Question, reason: str, duplicate_of: Question | None) -> None:
    if reason not in CLOSE_REASONS:
        raise PermissionDenied("Choose why it should be closed.")
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None:
            raise PermissionDenied("Say which question it duplicates.")
        if duplicate_of.pk == question.pk or duplicate_of.is_deleted:
            raise PermissionDenied("A question cannot duplicate itself or a deleted question.")


@transaction.atomic
def vote_to_close(
    question: Question, *, by: User, reason: str, duplicate_of: Question | None = None, note: str = ""
) -> Question:
    """A moderator closes at once. A privileged member's vote counts; once
    ``COMMUNITY_CLOSE_VOTES`` votes are in, the question closes for the reason most of them
    gave (the earliest on a tie). Each vote brings the question to the close-votes queue."""
    permissions.check_can_vote_close(by, question)
    question = _lock(question)
    if question.closed_at is not None:
        raise PermissionDenied("This question is already closed.")
    _check_reason(question, reason, duplicate_of)
    if permissions.is_moderator(by):
        return close_question(question, by=by, reason=reason, duplicate_of=duplicate_of, note=note)
    _cast(question, by=by, kind=CloseVoteKind.CLOSE, reason=reason, duplicate_of=duplicate_of)
    votes = _active(question, CloseVoteKind.CLOSE)
    if len(votes) >= settings.COMMUNITY_CLOSE_VOTES:
        # A duplicate vote whose original was deleted since no longer names a reason.
        valid = [vote for vote in votes if vote.reason != CloseReason.DUPLICATE or vote.duplicate_of_id]
        reasons = Counter(vote.reason for vote in valid)
        top = max(reasons.values(), default=0)
        winner = next((vote for vote in valid if reasons[vote.reason] == top), None)
        if winner is not None:
            originals = Counter(vote.duplicate_of_id for vote in valid if vote.duplicate_of_id)
            original = (
                Question.objects.get(pk=originals.most_common(1)[0][0])
                if winner.reason == CloseReason.DUPLICATE
                else None
            )
            return close_question(
                question, by=by, reason=winner.reason, duplicate_of=original,
                note=note or f"closed by {len(votes)} votes",
            )  # fmt: skip
    item = open_review(question, kind=ReviewKind.CLOSE, note="close vote")
    ReviewItem.objects.filter(pk=item.pk).update(priority=len(votes), updated_at=timezone.now())
    item.skipped_by.add(by)  # they have had their say on this item
    return question


@transaction.atomic
def close_question(
    question: Question, *, by: User, reason: str, duplicate_of: Question | None = None, note: str = ""
) -> Question:
    """Close the question (no new answers). A duplicate links to its original, which then
    lists it, and its demand moves there. Called once votes agree, or by a moderator."""
    _check_reason(question, reason, duplicate_of)
    now = timezone.now()
    if not Question.objects.filter(pk=question.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=by, close_reason=reason, close_note=note[:500]
    ):
        raise PermissionDenied("This question is already closed.")
    CloseVote.objects.filter(question=question, is_active=True).update(is_active=False)
    _settle(question, ReviewKind.CLOSE, by=by, resolution="closed")
    question.refresh_from_db()
    if reason == CloseReason.DUPLICATE and duplicate_of is not None:
        link_duplicate(question, into=duplicate_of, by=by)
    why = CLOSE_REASONS[reason] + (f": {note}" if note else "")
    after = {"closed": True, "reason": reason, "duplicate_of": duplicate_of.pk if duplicate_of else None}
    audit("close", question, by=by, reason=why, before={"closed": False}, after=after)
    tell_author(question, what="closed your question", reason=why)
    thread_event("question_closed", question, by=by)
    return question


@transaction.atomic
def vote_to_reopen(question: Question, *, by: User, note: str = "") -> Question:
    """The same rule the other way: a moderator reopens at once, otherwise votes add up."""
    permissions.check_can_vote_close(by, question)
    question = _lock(question)
    if question.closed_at is None:
        raise PermissionDenied("This question is open.")
    if permissions.is_moderator(by):
        return reopen_question(question, by=by, note=note)
    _cast(question, by=by, kind=CloseVoteKind.REOPEN)
    votes = _active(question, CloseVoteKind.REOPEN)
    if len(votes) >= settings.COMMUNITY_CLOSE_VOTES:
        return reopen_question(question, by=by, note=note or f"reopened by {len(votes)} votes")
    item = open_review(question, kind=ReviewKind.REOPEN, note="reopen vote")
    ReviewItem.objects.filter(pk=item.pk).update(priority=len(votes), updated_at=timezone.now())
    item.skipped_by.add(by)
    return question


@transaction.atomic
def reopen_question(question: Question, *, by: User, note: str = "") -> Question:
    """Reopen: answers are welcome again. A duplicate stops pointing at its original (the
    demand that moved there stays)."""
    before = {"closed": True, "reason": question.close_reason}
    if not Question.objects.filter(pk=question.pk, closed_at__isnull=False).update(
        closed_at=None, closed_by=None, close_reason="", close_note=""
    ):
        raise PermissionDenied("This question is open.")
    if before["reason"] == CloseReason.DUPLICATE:
        QuestionLink.objects.filter(source=question, kind=LinkKind.DUPLICATE).delete()
    CloseVote.objects.filter(question=question, is_active=True).update(is_active=False)
    _settle(question, ReviewKind.REOPEN, by=by, resolution="reopened")
    question.refresh_from_db()
    why = note or "reopened"
    audit("reopen", question, by=by, reason=why, before=before, after={"closed": False})
    tell_author(question, what="reopened your question", reason=why)
    return question


@transaction.atomic
def leave_as_is(question: Question, *, by: User, kind: str) -> Question:
    """A reviewer's "leave open" (close queue) or "leave closed" (reopen queue). A
    moderator's settles the item at once; otherwise ``COMMUNITY_CLOSE_VOTES`` of them do,
    and the votes the other way are spent."""
    permissions.check_can_vote_close(by, question)
    question = _lock(question)
    vote_kind, spent = (
        (CloseVoteKind.LEAVE_OPEN, CloseVoteKind.CLOSE)
        if kind == ReviewKind.CLOSE
        else (CloseVoteKind.LEAVE_CLOSED, CloseVoteKind.REOPEN)
    )
    _cast(question, by=by, kind=vote_kind)
    if permissions.is_moderator(by) or len(_active(question, vote_kind)) >= settings.COMMUNITY_CLOSE_VOTES:
        CloseVote.objects.filter(question=question, kind__in=[vote_kind, spent], is_active=True).update(
            is_active=False
        )
        _settle(question, kind, by=by, resolution=vote_kind)
        audit(vote_kind, question, by=by, reason=f"{CloseVoteKind(vote_kind).label} by review")
    return question


@transaction.atomic
def lock_thread(question: Question, *, by: User, reason: str) -> Question:
    """No new answers, comments, edits or votes until a moderator unlocks it."""
    permissions.check_can_lock(by, question)
    reason = reason.strip()
    if not reason:
        raise PermissionDenied("Say why the thread is locked; its readers see it.")
    if not Question.objects.filter(pk=question.pk, locked_at__isnull=True).update(
        locked_at=timezone.now(), locked_by=by, lock_reason=reason[:500]
    ):
        raise PermissionDenied("This thread is already locked.")
    question.refresh_from_db()
    audit("lock", question, by=by, reason=reason, before={"locked": False}, after={"locked": True})
    tell_author(question, what="locked your thread", reason=reason)
    return question


@transaction.atomic
def unlock_thread(question: Question, *, by: User, reason: str = "") -> Question:
    permissions.check_can_lock(by, question)
    if not Question.objects.filter(pk=question.pk, locked_at__isnull=False).update(
        locked_at=None, locked_by=None, lock_reason=""
    ):
        raise PermissionDenied("This thread is not locked.")
    question.refresh_from_db()
    audit(
        "unlock",
        question,
        by=by,
        reason=reason or "unlocked",
        before={"locked": True},
        after={"locked": False},
    )
    tell_author(question, what="unlocked your thread", reason=reason or "it takes posts again")
    return question
