"""Recording a walk of the triage tree (community/triage_tree.py) on something a person
is handling: an escalation, a review item, a mention."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.models import User
from community.models import TriageDecision
from community.triage_tree import BadPath, walk


def record_decision(
    target: models.Model, *, kind: str, path: list[str], note: str, by: User
) -> TriageDecision:
    """The walk's outcome on ``target`` (the caller loaded it for ``by``, who may handle it).
    Raises ``BadPath`` for a walk that does not reach an outcome."""
    _, _, outcome = walk(path)
    if outcome is None:
        raise BadPath("Answer every step before recording: the walk has not reached an outcome yet.")
    fields: dict[str, Any] = {
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
    }
    return TriageDecision.objects.create(
        **fields, kind=kind, path=list(path), outcome=outcome.key, note=note[:500], by=by, at=timezone.now()
    )


def decisions_on(target: models.Model) -> Any:
    return TriageDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("by")
