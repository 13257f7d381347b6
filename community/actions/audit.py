"""The audit log: one row per moderation action (who, what, on what, why, when, and what
changed). Actions call ``audit`` in their own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.models import User
from community.models import AuditEntry


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
    """Audit an action on a post when someone other than its author did it (moderation)."""
    if by.pk != post.author_id:
        audit(action, post, by=by, **details)
