"""Thin Celery tasks over the support actions."""

from __future__ import annotations

from celery import shared_task

from support.actions.escalations import sweep


@shared_task(name="support.sweep_escalations")
def sweep_escalations_task() -> dict[str, int]:
    return sweep()
