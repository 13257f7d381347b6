"""What several support views share."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from support import permissions


def staff_member(request: HttpRequest) -> User:
    """The signed-in support staff member; anyone else is refused (403)."""
    permissions.check_can_work_queue(request.user)
    return request.user  # type: ignore[return-value]
