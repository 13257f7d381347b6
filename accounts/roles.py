"""Appointed roles. Each is a Django group created by a migration.

Rank (earned from reputation) and role (appointed) are both answered in the permission
layers (``community.permissions``); nothing else inspects group names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

ADVOCATE = "Advocate"
SUPPORT_STAFF = "Support staff"
PRODUCT_MANAGER = "Product manager"
ALL_ROLES = (ADVOCATE, SUPPORT_STAFF, PRODUCT_MANAGER)


def role_names(user: User | AnonymousUser) -> frozenset[str]:
    """The names of the user's groups, loaded once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_askwell_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, "_askwell_role_names", cached)  # noqa: B010 (a per-object cache)
    return cached


def has_role(user: User | AnonymousUser, role: str) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role in role_names(user)))


def is_support_staff(user: User | AnonymousUser) -> bool:
    return has_role(user, SUPPORT_STAFF)


def is_advocate(user: User | AnonymousUser) -> bool:
    return has_role(user, ADVOCATE) or is_support_staff(user)
