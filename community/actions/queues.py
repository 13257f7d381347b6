"""Claiming and moving queue items, for every queue (see ``community.models.queues``).

Every change is a conditional UPDATE (``filter(state=…).update(…)``, then the row count):
of two people claiming at once, or two workers moving one item, exactly one wins, on
SQLite and PostgreSQL alike. Each change that happens is written to the item's history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.models.queues import QueueItem

Item = TypeVar("Item", bound=QueueItem)


class QueueConflict(Exception):
    """The item was not in a state that allows this (someone else moved it first)."""


def log(
    item: QueueItem,
    *,
    actor: User | None,
    from_state: str,
    to_state: str,
    note: str = "",
    at: datetime | None = None,
) -> None:
    # Each queue's history model has a foreign key named ``item`` (see QueueEvent).
    fields = {"item": item, "actor": actor, "from_state": from_state, "to_state": to_state}
    type(item).history_model._default_manager.create(**fields, at=at or timezone.now(), note=note[:300])


@transaction.atomic
def transition(
    item: Item, to_state: str, *, by: User | None, note: str = "", extra: dict[str, Any] | None = None
) -> Item:
    """Move the item to ``to_state`` if its current state allows it; raise QueueConflict if
    someone else moved it first. ``extra`` fields are written in the same UPDATE."""
    model = type(item)
    allowed = [state for state, targets in model.TRANSITIONS.items() if to_state in targets]
    now = timezone.now()
    fields = {"state": to_state, "updated_at": now, **(extra or {})}
    current = model._default_manager.filter(pk=item.pk).values_list("state", flat=True).first()
    if current not in allowed or not model._default_manager.filter(pk=item.pk, state=current).update(
        **fields
    ):
        raise QueueConflict(f"It is {current or 'gone'} now, so it cannot become {to_state}.")
    log(item, actor=by, from_state=current, to_state=to_state, note=note, at=now)
    item.refresh_from_db()
    return item


@transaction.atomic
def claim(item: Item, *, by: User) -> Item:
    """Take an unassigned open item: atomic, so two people never hold one item."""
    model = type(item)
    now = timezone.now()
    won = (
        model._default_manager.open()  # type: ignore[attr-defined]
        .filter(pk=item.pk, assignee__isnull=True)
        .update(assignee=by, claimed_at=now, state=model.CLAIMED_STATE, updated_at=now)
    )
    if not won:
        raise QueueConflict("Someone else has already claimed it, or it is closed.")
    log(item, actor=by, from_state=item.state, to_state=model.CLAIMED_STATE, note="claimed", at=now)
    item.refresh_from_db()
    return item


@transaction.atomic
def assign(item: Item, *, to: User, by: User) -> Item:
    """Give an open item to someone (or take it from whoever held it: a reassignment)."""
    model = type(item)
    now = timezone.now()
    before = model._default_manager.filter(pk=item.pk).values_list("state", "assignee").first()
    if before is None or before[0] not in model.OPEN_STATES:
        raise QueueConflict("Only open work can be assigned.")
    state = before[0] if before[0] != model.OPEN_STATES[0] else model.CLAIMED_STATE
    if not model._default_manager.filter(pk=item.pk, state=before[0], assignee=before[1]).update(
        assignee=to, claimed_at=now, state=state, updated_at=now
    ):
        raise QueueConflict("It changed while you were assigning it; try again.")
    log(item, actor=by, from_state=before[0], to_state=state, note=f"assigned to {to.public_name}", at=now)
    item.refresh_from_db()
    return item


@transaction.atomic
def release(item: Item, *, by: User) -> Item:
    """Give a claimed item back to the queue."""
    model = type(item)
    now = timezone.now()
    first = model.OPEN_STATES[0]
    held = model._default_manager.held_by(by).filter(pk=item.pk)  # type: ignore[attr-defined]
    if not held.order_by().update(assignee=None, claimed_at=None, state=first, updated_at=now):
        raise QueueConflict("Only the person holding it can release it.")
    log(item, actor=by, from_state=item.state, to_state=first, note="released", at=now)
    item.refresh_from_db()
    return item
