"""Hiding and showing posts. Deletion is soft: the row stays and moderators can restore it.

``hide``/``show`` flip the row; ``withdraw``/``reinstate`` do that with every effect a
deletion has, and are what deleting, removing as spam, hiding by flags and review
decisions all call, so the effects are written once."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community.actions.acceptance import detach_hidden_answer
from community.actions.reputation import reverse_post
from community.actions.search import queue_reindex
from community.actions.votes import reaward_votes
from community.extensions import thread_event
from community.models import Answer, Comment, Question


def hide(post: Question | Answer | Comment, *, by: User | None) -> bool:
    """Mark the post deleted. A conditional update, so of two racing deletions only one
    reports True (and only that one moves counters and reputation)."""
    hidden = (
        type(post)
        .objects.filter(pk=post.pk, is_deleted=False)
        .update(is_deleted=True, deleted_at=timezone.now(), deleted_by=by)
    )
    post.refresh_from_db()
    return bool(hidden)


def show(post: Question | Answer | Comment) -> bool:
    """Undo ``hide``; True only for the call that actually restored it."""
    shown = (
        type(post)
        .objects.filter(pk=post.pk, is_deleted=True)
        .update(is_deleted=False, deleted_at=None, deleted_by=None)
    )
    post.refresh_from_db()
    return bool(shown)


def withdraw(post: Question | Answer | Comment, *, by: User | None) -> bool:
    """Hide the post with every effect of deletion: an answer loses its acceptance and its
    place in the count, the reputation a question's or answer's votes moved is reversed,
    the index forgets it, and listeners hear of a deleted question. ``by`` is None when
    members' flags hid it. True only for the call that hid it."""
    if not hide(post, by=by):
        return False
    if isinstance(post, Answer):
        detach_hidden_answer(post)
    if isinstance(post, Question | Answer):
        reverse_post(post)
    queue_reindex(post.thread.pk)
    if isinstance(post, Question):
        thread_event("question_deleted", post, by=by)
    return True


def reinstate(post: Question | Answer | Comment, *, by: User | None) -> bool:
    """Undo ``withdraw``: counts, votes' reputation (and no spam penalty), index, listeners."""
    from community.actions.spam import cancel_spam_penalty  # spam removal withdraws, too

    if not show(post):
        return False
    if isinstance(post, Answer):
        Question.objects.filter(pk=post.question_id).update(answer_count=F("answer_count") + 1)
    if isinstance(post, Question | Answer):
        cancel_spam_penalty(post)
        reaward_votes(post)
    queue_reindex(post.thread.pk)
    if isinstance(post, Question):
        thread_event("question_restored", post, by=by)
    return True
