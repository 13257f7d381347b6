"""Thin Celery tasks over the outbox actions."""

from __future__ import annotations

from celery import shared_task

from community.actions import outbox


@shared_task(name="community.process_outbox_item")
def process_outbox_item_task(item_id: int) -> bool:
    return outbox.process(item_id)


@shared_task(name="community.requeue_pending_outbox")
def requeue_pending_outbox_task() -> int:
    return outbox.requeue_pending()
