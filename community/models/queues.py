"""The shape every work queue shares (review queue, support escalations, feedback triage).

An item has a state, an optional assignee who claimed it, a due time, a priority and a
timestamped history of every transition. Each queue subclasses ``QueueItem`` with its own
fields, states and allowed transitions, and ``QueueEvent`` for its history (with a foreign
key named ``item``); ``community.actions.queues`` claims and moves items for all of them.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class QueueItem(models.Model):
    state = models.CharField(max_length=30, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    priority = models.IntegerField(default=0, db_index=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()

    # Filled in by each queue: its states, which of them are still open work, the state
    # a claim moves an item to, and which moves are allowed (state → states it may go to).
    STATES: ClassVar[type[models.TextChoices]]
    OPEN_STATES: ClassVar[tuple[str, ...]] = ()
    CLAIMED_STATE: ClassVar[str] = ""
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {}
    history_model: ClassVar[type[QueueEvent]]

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def get_state_display(self) -> str:  # type: ignore[override]  # state is a plain CharField here
        return str(self.STATES(self.state).label)


class QueueEvent(models.Model):
    """One transition of a queue item: who moved it, from what, to what, when, and why."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
