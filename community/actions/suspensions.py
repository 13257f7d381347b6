"""Suspending a member for a period, with a reason they see (staff)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions.audit import audit


@transaction.atomic
def suspend_member(member: User, *, by: User, days: int, reason: str) -> User:
    """Until the end of the period the member can read but not write anywhere."""
    if not permissions.can_suspend(by, member):
        raise PermissionDenied("Only staff can suspend a member (never themselves or an admin).")
    before = {"suspended_until": member.suspended_until.isoformat() if member.suspended_until else None}
    until = timezone.now() + timedelta(days=days)
    User.objects.filter(pk=member.pk).update(suspended_until=until, suspension_reason=reason[:300])
    member.refresh_from_db()
    audit(
        "suspension",
        member,
        by=by,
        reason=reason,
        before=before,
        after={"suspended_until": until.isoformat()},
    )
    return member


@transaction.atomic
def lift_suspension(member: User, *, by: User) -> User:
    if not permissions.can_suspend(by, member):
        raise PermissionDenied("Only staff can lift a suspension.")
    User.objects.filter(pk=member.pk).update(suspended_until=None, suspension_reason="")
    member.refresh_from_db()
    audit("suspension_lifted", member, by=by)
    return member
