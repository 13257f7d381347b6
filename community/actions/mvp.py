"""Nominating, awarding and expiring MVP terms."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions import outbox
from community.actions.audit import audit
from community.models import MvpNomination, MvpTerm, NominationStatus


@transaction.atomic
def nominate_mvp(member: User, *, by: User, citation: str) -> MvpNomination:
    """Staff put a member forward, saying why; an admin decides."""
    permissions.check_can_nominate_mvp(by)
    return MvpNomination.objects.create(
        member=member, nominated_by=by, citation=citation, created_at=timezone.now()
    )


@transaction.atomic
def award_mvp(nomination: MvpNomination, *, by: User, days: int | None = None) -> MvpTerm:
    """Start an MVP term (default one year) from a pending nomination; queue the notice."""
    permissions.check_can_award_mvp(by)
    now = timezone.now()
    decided = MvpNomination.objects.filter(pk=nomination.pk, status=NominationStatus.PENDING).update(
        status=NominationStatus.AWARDED, decided_by=by, decided_at=now
    )
    if not decided:
        raise PermissionDenied("This nomination has already been decided.")
    term = MvpTerm.objects.create(
        member=nomination.member,
        nomination=nomination,
        citation=nomination.citation,
        awarded_by=by,
        starts_at=now,
        ends_at=now + timedelta(days=days or settings.COMMUNITY_MVP_TERM_DAYS),
    )
    _refresh_mvp_until(nomination.member_id, now)
    audit("role_change", nomination.member, by=by, reason=f"MVP awarded: {nomination.citation[:300]}",
          before={"mvp": False}, after={"mvp": True, "until": term.ends_at.isoformat()})  # fmt: skip
    outbox.record("notify.mvp", {"term_id": term.pk, "what": "awarded"})
    return term


@transaction.atomic
def decline_nomination(nomination: MvpNomination, *, by: User) -> None:
    permissions.check_can_award_mvp(by)
    MvpNomination.objects.filter(pk=nomination.pk, status=NominationStatus.PENDING).update(
        status=NominationStatus.DECLINED, decided_by=by, decided_at=timezone.now()
    )


def _refresh_mvp_until(member_id: int, now: datetime) -> None:
    """The member's MVP status follows their latest live term (None when there is none)."""
    latest = MvpTerm.objects.filter(member_id=member_id, expired_at__isnull=True, ends_at__gt=now).aggregate(
        end=Max("ends_at")
    )["end"]
    User.objects.filter(pk=member_id).update(mvp_until=latest)


@transaction.atomic
def sweep_mvp_terms(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind members 30 days (a setting) before their term ends, once; expire ended terms.

    Returns (reminded, expired). Both steps are conditional updates, so overlapping runs
    neither remind twice nor expire twice.
    """
    now = now or timezone.now()
    reminded = 0
    soon = now + timedelta(days=settings.COMMUNITY_MVP_REMINDER_DAYS)
    for term in MvpTerm.objects.filter(
        expired_at__isnull=True, reminder_sent_at__isnull=True, ends_at__lte=soon
    ):
        if term.ends_at > now and MvpTerm.objects.filter(pk=term.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            outbox.record("notify.mvp", {"term_id": term.pk, "what": "ending"})
            reminded += 1
    expired = 0
    for term in MvpTerm.objects.filter(expired_at__isnull=True, ends_at__lte=now):
        if MvpTerm.objects.filter(pk=term.pk, expired_at__isnull=True).update(expired_at=now):
            _refresh_mvp_until(term.member_id, now)
            expired += 1
    return reminded, expired
