"""The audit log: one row per moderation action (who, what, on what, why, when, and what
changed), and the notice to the author of the post it touched. Actions call these in
their own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.hooks import RoleChange
from accounts.models import User
from community.actions import outbox
from community.models import Answer, AuditEntry, Comment, Question

Post = Question | Answer | Comment

# What an author is told a moderator did, by audit action (for edits and deletions by others).
TOLD = {"edit": "edited your post", "delete": "deleted your post", "undelete": "restored your post"}


def audit(
    action: str,
    target: models.Model,
    *,
    by: User | None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=by,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        reason=reason[:500],
        before=before or {},
        after=after or {},
        at=timezone.now(),
    )


def audit_if_moderated(action: str, post: Any, *, by: User, **details: Any) -> None:
    """Audit an action on a post when someone other than its author did it (moderation),
    and tell the author."""
    if by.pk != post.author_id:
        audit(action, post, by=by, **details)
        if action in TOLD:
            tell_author(post, what=TOLD[action], reason=details.get("reason") or "no reason given")


def tell_author(post: Post, *, what: str, reason: str) -> None:
    """Notify the post's author that a moderator acted on it, and why (after commit)."""
    outbox.record(
        "notify.moderated",
        {"author_id": post.author_id, "what": what, "reason": reason, "question_id": post.thread.pk},
    )


def audit_role_change(change: RoleChange) -> None:
    """An admin changed someone's roles (the accounts hook): an audit row with before/after."""
    audit(
        "role_change",
        change.user,
        by=change.by,
        reason=change.reason,
        before=change.before,
        after=change.after,
    )
