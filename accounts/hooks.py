"""Where accounts lets the apps above it in, without importing them (apps depend one way:
support → community → accounts).

- ``role changes``: an admin changed a member's groups, staff or admin flags; listeners
  (community's audit log) record it in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class RoleChange:
    user: User
    by: User
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str


RoleListener = Callable[[RoleChange], None]
_role_listeners: list[RoleListener] = []


def listen_to_role_changes(listener: RoleListener) -> None:
    if listener not in _role_listeners:
        _role_listeners.append(listener)


def role_changed(change: RoleChange) -> None:
    for listener in _role_listeners:
        listener(change)
