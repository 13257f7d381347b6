"""Header links for support's people, and what customers can expect from support (both
lazy: computed only on the pages that show them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from support.expectations import Expectation, expectation
from support.permissions import can_triage_feedback, can_work_queue


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_triage_feedback": False, "can_work_queue": False}
    return {
        "can_triage_feedback": SimpleLazyObject(lambda: can_triage_feedback(user)),
        "can_work_queue": SimpleLazyObject(lambda: can_work_queue(user)),
    }


def _expectations() -> list[Expectation]:
    """The site's default first, then each category whose policy says otherwise."""
    from support.actions.escalations import default_policy
    from support.models import SlaPolicy

    found = [expectation(default_policy())]
    for row in SlaPolicy.objects.select_related("category").order_by("category__name"):
        own = expectation(row.as_policy(), category=row.category.name)
        if (own.reply_within, own.hours) != (found[0].reply_within, found[0].hours):
            found.append(own)
    return found


def expectations(request: HttpRequest) -> dict[str, Any]:
    return {"support_expectations": SimpleLazyObject(_expectations)}
