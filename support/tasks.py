"""Thin Celery tasks over the support actions."""

from __future__ import annotations

from celery import shared_task

from support.actions.digests import retry_webhooks, run_digests
from support.actions.escalations import sweep
from support.actions.incidents import sweep_incidents
from support.actions.webhooks import retry_due


@shared_task(name="support.sweep_escalations")
def sweep_escalations_task() -> dict[str, int]:
    return sweep()


@shared_task(name="support.build_digests")
def build_digests_task() -> int:
    return run_digests()


@shared_task(name="support.retry_webhooks")
def retry_webhooks_task() -> int:
    return retry_webhooks()


@shared_task(name="support.sweep_incidents")
def sweep_incidents_task() -> dict[str, int]:
    return sweep_incidents()


@shared_task(name="support.retry_event_deliveries")
def retry_event_deliveries_task() -> int:
    return retry_due()
