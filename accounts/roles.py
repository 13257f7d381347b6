"""Appointed roles. Each is a Django group created by a migration.

Rank (earned from reputation) and role (appointed) are both answered in the permission
layers (``community.permissions``); nothing else inspects group names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

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
        # .all() so that a prefetch of "groups" on listed authors is used, not re-queried.
        cached = frozenset(group.name for group in user.groups.all())
        setattr(user, "_askwell_role_names", cached)  # noqa: B010 (a per-object cache)
    return cached


def has_role(user: User | AnonymousUser, role: str) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role in role_names(user)))


def is_support_staff(user: User | AnonymousUser) -> bool:
    return has_role(user, SUPPORT_STAFF)


def is_appointed_advocate(user: User | AnonymousUser) -> bool:
    return has_role(user, ADVOCATE) or is_support_staff(user)


def is_advocate(user: User | AnonymousUser) -> bool:
    """Appointed to the Advocate group, or earned it: both grant the same rights."""
    if not user.is_authenticated:
        return False
    earned = user.reputation >= settings.COMMUNITY_ADVOCATE_RANK_THRESHOLD  # type: ignore[union-attr]
    # MVPs hold advocate rights for their term.
    return earned or user.is_mvp or is_appointed_advocate(user)  # type: ignore[union-attr]


def role_badges(user: User | AnonymousUser) -> list[str]:
    """Appointed roles shown beside a member's name (Admin, Support staff, ...)."""
    if not user.is_authenticated:
        return []
    badges = ["Admin"] if user.is_superuser else []
    badges += ["MVP"] if user.is_mvp else []  # type: ignore[union-attr]
    return badges + [role for role in (SUPPORT_STAFF, PRODUCT_MANAGER, ADVOCATE) if role in role_names(user)]


def support_staff_members() -> QuerySet[User]:
    """Active members who work support: the group, and admins."""
    from django.db.models import Q

    from accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=SUPPORT_STAFF) | Q(is_superuser=True))
        .distinct()
    )
