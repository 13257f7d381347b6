"""The transactional outbox: derived work recorded with the change that causes it.

``record`` writes a row inside the caller's transaction and, once that transaction
commits, hands the row's id to Celery. If the broker is down the hand-over is logged and
skipped: the user's write has already succeeded, and ``requeue_pending`` (run by beat)
hands the row over again later. ``process`` runs the topic's handler at most once to
completion; handlers themselves are idempotent, so a row processed twice after a crash
does no harm. A failing handler is recorded on its row and retried with backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError
from django.db import transaction
from django.utils import timezone

from community.models import OutboxItem

logger = logging.getLogger("askwell.outbox")

Handler = Callable[[dict[str, Any]], None]

# Failures that the same row can never get past (a header that cannot be sent, a payload
# that does not fit its handler): retrying them only repeats the failure, so the row is
# given up at once, with an error in the log for whoever watches it. Anything else (a
# mail server, a broker, a locked database) is retried with backoff.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (BadHeaderError, ValueError, TypeError, LookupError)
_handlers: dict[str, Handler] = {}


def handler(topic: str) -> Callable[[Handler], Handler]:
    """Register the function that carries out an outbox topic (the extension point)."""

    def register(function: Handler) -> Handler:
        _handlers[topic] = function
        return function

    return register


def record(topic: str, payload: dict[str, Any]) -> OutboxItem:
    """Write an outbox row in the current transaction; enqueue it after commit."""
    if topic not in _handlers:
        raise ValueError(f"No outbox handler is registered for {topic!r}")
    now = timezone.now()
    item = OutboxItem.objects.create(topic=topic, payload=payload, created_at=now, available_at=now)
    transaction.on_commit(lambda: enqueue(item.pk, topic))
    return item


def queue_for(topic: str) -> str:
    """Search index updates go to their own queue, whose single worker is the index's
    only writer; everything else to the default queue."""
    return "search" if topic.startswith("search.") else "celery"


def enqueue(item_id: int, topic: str) -> bool:
    """Hand one row to the broker. Never raises: a broker outage must not fail a write."""
    from community.tasks import process_outbox_item_task

    try:
        process_outbox_item_task.apply_async(args=(item_id,), queue=queue_for(topic), retry=False)
    except Exception:  # the broker's errors vary by transport; all mean "try later"
        logger.warning("Broker unavailable; outbox item %s stays pending", item_id, exc_info=True)
        return False
    return True


def process(item_id: int) -> bool:
    """Run the handler for one pending row and mark it processed. Returns whether it ran."""
    item = OutboxItem.objects.filter(pk=item_id, processed_at__isnull=True).first()
    if item is None:
        return False
    try:
        _handlers[item.topic](item.payload)
    except Exception as error:  # recorded on the row; beat retries after the backoff
        attempts = item.attempts + 1
        if isinstance(error, PERMANENT_ERRORS):
            logger.exception("Outbox item %s (%s) can never succeed; given up", item.pk, item.topic)
            attempts = max(attempts, settings.COMMUNITY_OUTBOX_MAX_ATTEMPTS)
        else:
            logger.exception("Outbox item %s (%s) failed", item.pk, item.topic)
        backoff = timedelta(seconds=min(3600, 30 * 2**attempts))
        OutboxItem.objects.filter(pk=item.pk).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            available_at=timezone.now() + backoff,
        )
        return False
    OutboxItem.objects.filter(pk=item.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), attempts=item.attempts + 1, last_error=""
    )
    return True


def requeue_pending(*, now: Any = None, limit: int = 500) -> int:
    """Hand over again every row still pending past its retry delay. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.COMMUNITY_OUTBOX_RETRY_AFTER_SECONDS)
    rows = list(
        OutboxItem.objects.filter(
            processed_at__isnull=True,
            available_at__lte=cutoff,
            attempts__lt=settings.COMMUNITY_OUTBOX_MAX_ATTEMPTS,
        )
        .order_by("pk")
        .values_list("pk", "topic")[:limit]
    )
    return sum(1 for item_id, topic in rows if enqueue(item_id, topic))
