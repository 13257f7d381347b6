"""Heartbeats and the stuck-outbox alert (run by beat, through the outbox sweep task)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.utils import timezone

from community.models import Heartbeat, OutboxItem

logger = logging.getLogger("askwell.health")


def beat_ran(*, now: datetime | None = None) -> None:
    """Record that a beat-scheduled job ran on a worker (read by /health/)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": now or timezone.now()})


def stuck_outbox_rows(*, now: datetime | None = None) -> int:
    """Outbox rows still pending ``COMMUNITY_OUTBOX_ALERT_MINUTES`` after they were written."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.COMMUNITY_OUTBOX_ALERT_MINUTES)
    return OutboxItem.objects.filter(processed_at__isnull=True, created_at__lt=cutoff).count()


def alert_if_outbox_stuck(*, now: datetime | None = None) -> int:
    """Log an error whenever derived work (mail, index, digests) is stuck, and mail the
    admins about it at most once an hour. Returns how many rows are stuck."""
    now = now or timezone.now()
    stuck = stuck_outbox_rows(now=now)
    if not stuck:
        return 0
    message = (
        f"{stuck} outbox row(s) still pending after {settings.COMMUNITY_OUTBOX_ALERT_MINUTES} minutes: "
        "is a worker running and the broker reachable? (Admin → Outbox items shows their last error.)"
    )
    logger.error(message)
    last = Heartbeat.objects.filter(name="outbox-alert").values_list("at", flat=True).first()
    if last is None or now - last >= timedelta(hours=1):
        Heartbeat.objects.update_or_create(name="outbox-alert", defaults={"at": now})
        mail_admins("Askwell: derived work is stuck", message, fail_silently=True)
    return stuck
