"""What every rule starts from: who may write at all, who moderates, earned privileges,
and the Django admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import PRODUCT_MANAGER, has_role, is_advocate, is_appointed_advocate, is_support_staff
from community.reputation import has_privilege

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from community.models import Answer, Comment, Question

    Viewer: TypeAlias = User | AnonymousUser
    Post: TypeAlias = Question | Answer | Comment

# Roles are answered here too (``permissions.is_advocate(user)``), as they always were.
__all__ = [
    "can_change_privacy",
    "can_coach",
    "can_moderate",
    "can_post_privately",
    "can_see_deleted",
    "can_see_private",
    "can_use_admin",
    "can_use_staff_api",
    "can_write",
    "check_can_change_privacy",
    "check_can_coach",
    "check_can_post_privately",
    "check_can_use_staff_api",
    "check_can_write",
    "holds",
    "is_advocate",
    "is_moderator",
    "is_rate_limit_exempt",
    "is_support_staff",
]


def _require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


def is_moderator(user: Viewer) -> bool:
    """A moderator: an Advocate (earned or appointed), an MVP, or staff."""
    return is_advocate(user)


def can_see_deleted(user: Viewer) -> bool:
    """Deleted posts stay visible to moderators, who can undelete them."""
    return is_moderator(user)


def can_see_private(user: Viewer) -> bool:
    """Every private post (account details, invoices): support staff. Others see only the
    private posts of threads they asked and the ones they wrote (``querysets.visible_to``)."""
    return is_support_staff(user)


def can_post_privately(user: Viewer, question: Question) -> bool:
    """Marking an answer or comment private ("only the asker and support staff"): the
    thread's asker and support staff. Any member may ask a private question."""
    return can_write(user) and (is_support_staff(user) or question.author_id == user.pk)


def check_can_post_privately(user: Viewer, question: Question) -> None:
    _require(
        can_post_privately(user, question), _("Only the asker and support staff can post privately here.")
    )


def can_coach(user: Viewer) -> bool:
    """Coaching first questions before they are published: those who work the review
    queues (the review privilege, advocates, MVPs and staff)."""
    return can_write(user) and (holds(user, "review_and_close") or is_advocate(user))


def check_can_coach(user: Viewer) -> None:
    _require(can_coach(user), _("Coaching is for those who work the review queues (advocates, staff)."))


def can_use_staff_api(user: Viewer) -> bool:
    """A token with the staff scope (the support and product endpoints): support staff and
    product managers."""
    return can_write(user) and (is_support_staff(user) or has_role(user, PRODUCT_MANAGER))


def check_can_use_staff_api(user: Viewer) -> None:
    _require(can_use_staff_api(user), _("The staff scope is for support staff and product managers."))


def can_change_privacy(user: Viewer) -> bool:
    """Making a whole thread private or public again: support staff."""
    return can_write(user) and is_support_staff(user)


def check_can_change_privacy(user: Viewer) -> None:
    _require(can_change_privacy(user), _("Only support staff can make a thread private or public."))


def _locked_for(user: Viewer, post: Post) -> bool:
    """A locked thread takes no new posts, edits or votes (moderators may still edit)."""
    return post.thread.locked_at is not None and not is_moderator(user)


def _check_not_locked(user: Viewer, post: Post) -> None:
    _require(not _locked_for(user, post), _("This thread is locked: %(reason)s")
             % {"reason": post.thread.lock_reason or _("a moderator locked it.")})  # fmt: skip


def holds(user: Viewer, privilege: str) -> bool:
    """A privilege earned with reputation; appointed advocates and staff hold them all."""
    if not user.is_authenticated:
        return False
    return is_appointed_advocate(user) or has_privilege(user.reputation, privilege)  # type: ignore[union-attr]


def can_moderate(user: Viewer) -> bool:
    """Edit others' posts: the privilege, or an Advocate (earned or appointed)."""
    return holds(user, "edit_others_posts") or is_advocate(user)


def _is_author(user: Viewer, post: Post) -> bool:
    return user.is_authenticated and post.author_id == user.pk


def can_write(user: Viewer) -> bool:
    """Logged in, active and not suspended: everything that writes starts here."""
    return bool(user.is_authenticated and user.is_active and not user.is_suspended)  # type: ignore[union-attr]


def check_can_write(user: Viewer) -> None:
    if user.is_authenticated and user.is_suspended:  # type: ignore[union-attr]
        raise PermissionDenied(
            _("Your account is suspended until %(until)s: %(reason)s")
            % {"until": f"{user.suspended_until:%B %-d, %Y}", "reason": user.suspension_reason}  # type: ignore[union-attr]
        )
    _require(can_write(user), _("Log in to take part."))


def can_use_admin(user: Viewer) -> bool:
    """Django's admin site (configuration and look-ups): its own staff flag decides."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_rate_limit_exempt(user: Viewer) -> bool:
    """Staff (support, product managers, admins), appointed advocates and MVPs post as
    often as their work needs, as in Discourse; limits by rank hold for everyone else."""
    if not user.is_authenticated:
        return False
    appointed = is_appointed_advocate(user) or has_role(user, PRODUCT_MANAGER)
    return appointed or bool(user.is_mvp)  # type: ignore[union-attr]
