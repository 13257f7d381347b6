"""Thin Celery tasks over the outbox actions."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from community.actions import health, outbox
from community.actions.articles import remind_reviews
from community.actions.badges import award_badges
from community.actions.coaching import publish_due
from community.actions.deflection import settle_ask_attempts, settle_hint_clicks
from community.actions.mvp import sweep_mvp_terms
from community.actions.search import reconcile, refresh_stale_related, snapshot_vectors
from community.actions.votes import reverse_serial_votes


@shared_task(name="community.process_outbox_item")
def process_outbox_item_task(item_id: int) -> bool:
    return outbox.process(item_id)


@shared_task(name="community.requeue_pending_outbox")
def requeue_pending_outbox_task() -> int:
    """Beat's every-minute job: hand pending rows over again, record the heartbeat that
    /health/ reads, and raise the alarm when rows stay stuck."""
    health.beat_ran()
    health.alert_if_outbox_stuck()
    return outbox.requeue_pending()


@shared_task(name="community.award_badges")
def award_badges_task() -> int:
    return len(award_badges())


@shared_task(name="community.sweep_mvp_terms")
def sweep_mvp_terms_task() -> tuple[int, int]:
    return sweep_mvp_terms()


@shared_task(name="community.reverse_serial_votes")
def reverse_serial_votes_task() -> int:
    return reverse_serial_votes()


@shared_task(name="community.reconcile_search_index")
def reconcile_search_index_task() -> dict[str, int]:
    return reconcile()


@shared_task(name="community.refresh_related")
def refresh_related_task() -> int:
    return refresh_stale_related(batch=settings.COMMUNITY_RELATED_BATCH)


@shared_task(name="community.snapshot_vectors")
def snapshot_vectors_task() -> bool:
    return snapshot_vectors()


@shared_task(name="community.settle_deflection_clicks")
def settle_deflection_clicks_task() -> int:
    """Clicks left without asking, then each finished attempt's outcome class."""
    abandoned = settle_hint_clicks()
    settle_ask_attempts()
    return abandoned


@shared_task(name="community.publish_coached")
def publish_coached_task() -> int:
    return publish_due()


@shared_task(name="community.remind_article_reviews")
def remind_article_reviews_task() -> int:
    return remind_reviews()
