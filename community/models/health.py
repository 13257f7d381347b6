"""Heartbeats: when a periodic job last ran, for the health endpoint (``/health/``)."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """``beat``: the outbox sweep that beat schedules every minute last ran on a worker, so
    beat and a worker are both alive. ``outbox-alert``: when staff were last warned of a
    stuck outbox (at most once an hour)."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
