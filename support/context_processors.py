"""Header links for support's people (lazy: computed only if the header shows them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from support.permissions import can_triage_feedback, can_work_queue


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_triage_feedback": False, "can_work_queue": False}
    return {
        "can_triage_feedback": SimpleLazyObject(lambda: can_triage_feedback(user)),
        "can_work_queue": SimpleLazyObject(lambda: can_work_queue(user)),
    }
