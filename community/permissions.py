"""May this user do that to this object? One answer, used by views and templates alike.

Each rule is a ``can_*`` boolean (for templates) paired with a ``check_*`` that raises
``PermissionDenied`` with the reason (for views and actions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import is_advocate, is_support_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from community.models import Answer, Comment, Question

    Viewer: TypeAlias = User | AnonymousUser
    Post: TypeAlias = Question | Answer | Comment


def _require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


def can_see_deleted(user: Viewer) -> bool:
    return is_support_staff(user)


def can_moderate(user: Viewer) -> bool:
    """Edit others' posts and restore deleted ones: advocates and staff."""
    return is_advocate(user)


def _is_author(user: Viewer, post: Post) -> bool:
    return user.is_authenticated and post.author_id == user.pk


def can_write(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def check_can_write(user: Viewer) -> None:
    _require(can_write(user), _("Log in to take part."))


def can_vote(user: Viewer, post: Question | Answer) -> bool:
    return can_write(user) and not post.is_deleted and not _is_author(user, post)


def check_can_vote(user: Viewer, post: Question | Answer) -> None:
    check_can_write(user)
    _require(not _is_author(user, post), _("You cannot vote on your own post."))
    _require(not post.is_deleted, _("This post has been deleted."))


def can_edit(user: Viewer, post: Question | Answer) -> bool:
    return can_write(user) and not post.is_deleted and (_is_author(user, post) or can_moderate(user))


def check_can_edit(user: Viewer, post: Question | Answer) -> None:
    check_can_write(user)
    _require(not post.is_deleted, _("This post has been deleted."))
    _require(_is_author(user, post) or can_moderate(user), _("You can only edit your own posts."))


def can_delete(user: Viewer, post: Post) -> bool:
    return can_write(user) and not post.is_deleted and (_is_author(user, post) or can_see_deleted(user))


def check_can_delete(user: Viewer, post: Post) -> None:
    check_can_write(user)
    _require(not post.is_deleted, _("This post is already deleted."))
    _require(_is_author(user, post) or can_see_deleted(user), _("You can only delete your own posts."))


def can_restore(user: Viewer, post: Post) -> bool:
    return post.is_deleted and can_see_deleted(user)


def check_can_restore(user: Viewer, post: Post) -> None:
    _require(can_restore(user, post), _("Only staff can restore deleted posts."))


def can_accept(user: Viewer, answer: Answer) -> bool:
    question = answer.question
    return (
        can_write(user)
        and not answer.is_deleted
        and not question.is_deleted
        and (_is_author(user, question) or is_support_staff(user))
    )


def check_can_accept(user: Viewer, answer: Answer) -> None:
    check_can_write(user)
    _require(not answer.is_deleted and not answer.question.is_deleted, _("This post has been deleted."))
    _require(
        _is_author(user, answer.question) or is_support_staff(user),
        _("Only the person who asked, or support staff, can accept an answer."),
    )


def can_answer(user: Viewer, question: Question) -> bool:
    return can_write(user) and not question.is_deleted


def check_can_answer(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not question.is_deleted, _("This question has been deleted."))


def can_comment(user: Viewer, post: Question | Answer) -> bool:
    return can_write(user) and not post.is_deleted


def check_can_comment(user: Viewer, post: Question | Answer) -> None:
    check_can_write(user)
    _require(not post.is_deleted, _("This post has been deleted."))


def can_me_too(user: Viewer, question: Question) -> bool:
    return can_write(user) and not question.is_deleted and not _is_author(user, question)


def check_can_me_too(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not _is_author(user, question), _("This is your own question."))
    _require(not question.is_deleted, _("This question has been deleted."))
