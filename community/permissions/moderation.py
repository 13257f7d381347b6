"""Rules of moderation: spam, duplicates, flags, the review queues, the audit log, close
votes, locks and redaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.roles import PRODUCT_MANAGER, has_role, is_advocate, is_support_staff
from community.permissions.base import _is_author, _require, can_write, check_can_write, holds, is_moderator

if TYPE_CHECKING:
    from community.models import Answer, Question
    from community.permissions.base import Post, Viewer

__all__ = [
    "can_flag",
    "can_lock",
    "can_merge",
    "can_read_audit_log",
    "can_redact",
    "can_remove_spam",
    "can_review",
    "can_vote_close",
    "check_can_flag",
    "check_can_lock",
    "check_can_merge",
    "check_can_read_audit_log",
    "check_can_redact",
    "check_can_remove_spam",
    "check_can_review",
    "check_can_vote_close",
]


def can_remove_spam(user: Viewer, post: Question | Answer) -> bool:
    """Advocates (earned, appointed or MVP) and staff remove spam; never their own post."""
    return can_write(user) and not post.is_deleted and is_advocate(user) and not _is_author(user, post)


def check_can_remove_spam(user: Viewer, post: Question | Answer) -> None:
    _require(can_remove_spam(user, post), _("Only advocates and staff can remove a post as spam."))


def can_merge(user: Viewer, question: Question, into: Question | None = None) -> bool:
    """Marking a thread a duplicate and merging it (into another live question, when one
    is named): advocates, staff and product managers."""
    return (
        can_write(user)
        and not question.is_deleted
        and (is_advocate(user) or has_role(user, PRODUCT_MANAGER))
        and (into is None or (into.pk != question.pk and not into.is_deleted))
    )


def check_can_merge(user: Viewer, duplicate: Question, into: Question | None = None) -> None:
    check_can_write(user)
    _require(
        is_advocate(user) or has_role(user, PRODUCT_MANAGER),
        _("Only advocates, staff and product managers can merge duplicates."),
    )
    _require(not duplicate.is_deleted, _("This question has been deleted."))
    if into is not None:
        _require(duplicate.pk != into.pk, _("A question cannot be a duplicate of itself."))
        _require(not into.is_deleted, _("That question has been deleted."))


def can_flag(user: Viewer, post: Post) -> bool:
    """Any member may flag someone else's post, once."""
    return can_write(user) and not post.is_deleted and not _is_author(user, post)


def check_can_flag(user: Viewer, post: Post) -> None:
    check_can_write(user)
    _require(not _is_author(user, post), _("You cannot flag your own post; edit or delete it instead."))
    _require(not post.is_deleted, _("This post has already been removed."))


def can_review(user: Viewer) -> bool:
    """The review queue: the review privilege, advocates (earned, appointed, MVP) and staff."""
    return can_write(user) and (holds(user, "review_and_close") or is_advocate(user))


def check_can_review(user: Viewer) -> None:
    _require(can_review(user), _("The review queue needs %(points)s reputation, or an advocate's role.")
             % {"points": settings.COMMUNITY_PRIVILEGES["review_and_close"]})  # fmt: skip


def can_read_audit_log(user: Viewer) -> bool:
    return is_support_staff(user)


def check_can_read_audit_log(user: Viewer) -> None:
    _require(can_read_audit_log(user), _("Only staff can read the audit log."))


def can_vote_close(user: Viewer, question: Question) -> bool:
    """Close votes (and reopen votes): the close privilege; a moderator's vote closes at once."""
    return (
        can_write(user)
        and not question.is_deleted
        and question.locked_at is None
        and (holds(user, "review_and_close") or is_moderator(user))
    )


def check_can_vote_close(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not question.is_deleted, _("This question has been deleted."))
    _require(question.locked_at is None, _("This thread is locked."))
    _require(
        holds(user, "review_and_close") or is_moderator(user),
        _("Voting to close or reopen needs %(points)s reputation.")
        % {"points": settings.COMMUNITY_PRIVILEGES["review_and_close"]},
    )


def can_lock(user: Viewer, question: Question) -> bool:
    return can_write(user) and not question.is_deleted and is_moderator(user)


def check_can_lock(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(is_moderator(user), _("Only advocates, MVPs and staff can lock threads."))
    _require(not question.is_deleted, _("This question has been deleted."))


def can_redact(user: Viewer, post: Post) -> bool:
    return can_write(user) and is_moderator(user)


def check_can_redact(user: Viewer, post: Post) -> None:
    check_can_write(user)
    _require(is_moderator(user), _("Only advocates, MVPs and staff can redact posts."))
