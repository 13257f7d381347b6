from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from community import permissions
from community.extensions import work_queues
from community.models import Notification, ReviewKind
from community.querysets import review_counts


def header(request: HttpRequest) -> dict[str, Any]:
    """The header's counts and links, each computed only if a template shows it. The links
    ask the permission layer (never ``is_staff`` in a template)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
        "can_review": SimpleLazyObject(lambda: permissions.can_review(user)),
        "works_a_queue": SimpleLazyObject(lambda: any(queue.works_it(user) for queue in work_queues())),
        "can_use_admin": SimpleLazyObject(lambda: permissions.can_use_admin(user)),
        "review_badges": SimpleLazyObject(lambda: _review_badges(user)),
    }


def _review_badges(user: Any) -> dict[str, Any]:
    """Open items per review queue (one query per request), for the header's count badges
    and the tabs of /review/."""
    if not permissions.can_review(user):
        return {"total": 0, "queues": []}
    found = review_counts(user)
    return {"total": sum(found.values()), "queues": [(k, label, found[k]) for k, label in ReviewKind.choices]}
