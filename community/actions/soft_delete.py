"""Hiding and showing posts. Deletion is soft: the row stays and staff can restore it."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from community.models import Answer, Comment, Question


def hide(post: Question | Answer | Comment, *, by: User) -> bool:
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
