from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from community import permissions
from community.models import Notification


def header(request: HttpRequest) -> dict[str, Any]:
    """The unread notification count in the header, counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
        "can_review": SimpleLazyObject(lambda: permissions.can_review(user)),
    }
