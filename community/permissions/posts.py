"""Rules on posts: tags, votes, edits, deletion, acceptance, answers, comments, "I have
this too", "this solved it" and official replies."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_advocate, is_support_staff
from community.permissions.base import (
    _check_not_locked,
    _is_author,
    _locked_for,
    _require,
    can_moderate,
    can_see_deleted,
    can_write,
    check_can_write,
    holds,
)

if TYPE_CHECKING:
    from community.models import Answer, Question
    from community.permissions.base import Post, Viewer

__all__ = [
    "VOTE_PRIVILEGES",
    "asker_is_silent",
    "can_accept",
    "can_answer",
    "can_comment",
    "can_create_tags",
    "can_delete",
    "can_edit",
    "can_mark_helped",
    "can_me_too",
    "can_post_officially",
    "can_restore",
    "can_say_solved_it",
    "can_use_tags",
    "can_vote",
    "can_vote_down",
    "check_can_accept",
    "check_can_answer",
    "check_can_comment",
    "check_can_delete",
    "check_can_edit",
    "check_can_mark_helped",
    "check_can_me_too",
    "check_can_post_officially",
    "check_can_restore",
    "check_can_say_solved_it",
    "check_can_use_tags",
    "check_can_vote",
]


def can_create_tags(user: Viewer) -> bool:
    return holds(user, "create_tags")


def _new_tags(tags: list[str]) -> list[str]:
    from taggit.models import Tag

    existing = set(Tag.objects.filter(name__in=tags).values_list("name", flat=True))
    return [tag for tag in tags if tag not in existing]


def can_use_tags(user: Viewer, tags: list[str]) -> bool:
    """Existing tags are free; creating one that does not exist yet is a privilege."""
    return not tags or can_create_tags(user) or not _new_tags(tags)


def check_can_use_tags(user: Viewer, tags: list[str]) -> None:
    if not tags or can_create_tags(user):
        return
    new = _new_tags(tags)
    _require(
        not new,
        _("New tags need %(points)s reputation, so choose from the existing tags instead of: %(new)s.")
        % {"points": settings.COMMUNITY_PRIVILEGES["create_tags"], "new": ", ".join(new)},
    )


VOTE_PRIVILEGES = {1: "vote_up", -1: "vote_down"}


def can_vote(user: Viewer, post: Question | Answer, value: int = 1) -> bool:
    return (
        can_write(user)
        and not post.is_deleted
        and post.thread.locked_at is None
        and not _is_author(user, post)
        and holds(user, VOTE_PRIVILEGES[value])
    )


def can_vote_down(user: Viewer, post: Question | Answer) -> bool:
    return can_vote(user, post, -1)


def check_can_vote(user: Viewer, post: Question | Answer, value: int = 1) -> None:
    check_can_write(user)
    _require(not _is_author(user, post), _("You cannot vote on your own post."))
    _require(not post.is_deleted, _("This post has been deleted."))
    _require(post.thread.locked_at is None, _("This thread is locked."))
    privilege = VOTE_PRIVILEGES[value]
    _require(
        holds(user, privilege),
        _("Voting %(direction)s needs %(points)s reputation; you have %(have)s.")
        % {
            "direction": "up" if value > 0 else "down",
            "points": settings.COMMUNITY_PRIVILEGES[privilege],
            "have": user.reputation,  # type: ignore[union-attr]
        },
    )


def can_edit(user: Viewer, post: Question | Answer) -> bool:
    return (
        can_write(user)
        and not post.is_deleted
        and not _locked_for(user, post)
        and (_is_author(user, post) or can_moderate(user))
    )


def check_can_edit(user: Viewer, post: Question | Answer) -> None:
    check_can_write(user)
    _require(not post.is_deleted, _("This post has been deleted."))
    _check_not_locked(user, post)
    _require(_is_author(user, post) or can_moderate(user), _("You can only edit your own posts."))


def can_delete(user: Viewer, post: Post) -> bool:
    return can_write(user) and not post.is_deleted and (_is_author(user, post) or can_see_deleted(user))


def check_can_delete(user: Viewer, post: Post) -> None:
    check_can_write(user)
    _require(not post.is_deleted, _("This post is already deleted."))
    _require(_is_author(user, post) or can_see_deleted(user), _("You can only delete your own posts."))


def can_restore(user: Viewer, post: Post) -> bool:
    return can_write(user) and post.is_deleted and can_see_deleted(user)


def check_can_restore(user: Viewer, post: Post) -> None:
    check_can_write(user)
    _require(can_restore(user, post), _("Only moderators can restore deleted posts."))


def asker_is_silent(question: Question) -> bool:
    """The asker has not been active on their question for the configured number of days."""
    quiet_since = timezone.now() - timedelta(days=settings.COMMUNITY_ADVOCATE_ACCEPT_AFTER_DAYS)
    return (question.asker_active_at or question.created_at) <= quiet_since


def _may_accept_on(user: Viewer, answer: Answer) -> bool:
    question = answer.question
    if _is_author(user, question) or is_support_staff(user):
        return True
    # Advocates accept for askers who went silent, so solved threads get marked solved.
    return is_advocate(user) and not _is_author(user, answer) and asker_is_silent(question)


def can_accept(user: Viewer, answer: Answer) -> bool:
    question = answer.question
    return (
        can_write(user) and not answer.is_deleted and not question.is_deleted and _may_accept_on(user, answer)
    )


def check_can_accept(user: Viewer, answer: Answer) -> None:
    check_can_write(user)
    _require(not answer.is_deleted and not answer.question.is_deleted, _("This post has been deleted."))
    _require(
        _may_accept_on(user, answer),
        _(
            "Only the person who asked, or support staff, can accept an answer "
            "(advocates can once the asker has been silent for %(days)s days)."
        )
        % {"days": settings.COMMUNITY_ADVOCATE_ACCEPT_AFTER_DAYS},
    )


def can_answer(user: Viewer, question: Question) -> bool:
    return (
        can_write(user)
        and not question.is_deleted
        and not question.in_coaching
        and question.closed_at is None
        and question.locked_at is None
    )


def check_can_answer(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not question.is_deleted, _("This question has been deleted."))
    _require(
        not question.in_coaching,
        _("This question is still being coached: it takes answers once it is published."),
    )
    _require(question.locked_at is None, _("This thread is locked: it takes no new answers."))
    _require(
        question.closed_at is None,
        _("This question is closed (%(reason)s): it takes no new answers.")
        % {"reason": question.get_close_reason_display().lower()},
    )


def _comments_freely_on(user: Viewer, post: Question | Answer) -> bool:
    """Everyone may comment on their own posts and on answers to their own questions."""
    question = post.thread
    return _is_author(user, post) or _is_author(user, question) or holds(user, "comment_anywhere")


def can_comment(user: Viewer, post: Question | Answer) -> bool:
    return (
        can_write(user)
        and not post.is_deleted
        and post.thread.locked_at is None
        and _comments_freely_on(user, post)
    )


def check_can_comment(user: Viewer, post: Question | Answer) -> None:
    check_can_write(user)
    _require(not post.is_deleted, _("This post has been deleted."))
    _require(post.thread.locked_at is None, _("This thread is locked: it takes no new comments."))
    _require(
        _comments_freely_on(user, post),
        _("Commenting on others' posts needs %(points)s reputation; you can always answer.")
        % {"points": settings.COMMUNITY_PRIVILEGES["comment_anywhere"]},
    )


def can_me_too(user: Viewer, question: Question) -> bool:
    return can_write(user) and not question.is_deleted and not _is_author(user, question)


def check_can_me_too(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not _is_author(user, question), _("This is your own question."))
    _require(not question.is_deleted, _("This question has been deleted."))


def can_say_solved_it(user: Viewer, question: Question) -> bool:
    """ "This solved it": for members reading someone else's thread."""
    return can_write(user) and not question.is_deleted and not _is_author(user, question)


def check_can_say_solved_it(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not _is_author(user, question), _("This is your own question; accept an answer instead."))
    _require(not question.is_deleted, _("This question has been deleted."))


def can_post_officially(user: Viewer) -> bool:
    """Official answers and comments speak for the company: support staff only."""
    return can_write(user) and is_support_staff(user)


def check_can_post_officially(user: Viewer) -> None:
    _require(can_post_officially(user), _("Only support staff can post official replies."))


def can_mark_helped(user: Viewer, answer: Answer) -> bool:
    """The asker says an official answer helped them."""
    return (
        can_write(user)
        and answer.is_official
        and answer.helped_asker_at is None
        and not answer.is_deleted
        and answer.question.author_id == user.pk
    )


def check_can_mark_helped(user: Viewer, answer: Answer) -> None:
    _require(can_mark_helped(user, answer), _("Only the asker can say an official answer helped."))
