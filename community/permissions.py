"""May this user do that to this object? One answer, used by views and templates alike.

Each rule is a ``can_*`` boolean (for templates) paired with a ``check_*`` that raises
``PermissionDenied`` with the reason (for views and actions).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import PRODUCT_MANAGER, has_role, is_advocate, is_appointed_advocate, is_support_staff
from community.reputation import has_privilege

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from community.models import Answer, Article, Comment, Question

    Viewer: TypeAlias = User | AnonymousUser
    Post: TypeAlias = Question | Answer | Comment


def _require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


def is_moderator(user: Viewer) -> bool:
    """A moderator: an Advocate (earned or appointed), an MVP, or staff."""
    return is_advocate(user)


def can_see_deleted(user: Viewer) -> bool:
    """Deleted posts stay visible to moderators, who can undelete them."""
    return is_moderator(user)


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


def can_see_suspension_reason(user: Viewer, member: User) -> bool:
    """The member themself, and support staff (who suspend), read why a member is suspended."""
    return bool(user.is_authenticated and (user.pk == member.pk or is_support_staff(user)))


def can_suspend(user: Viewer, member: User) -> bool:
    return can_write(user) and is_support_staff(user) and user.pk != member.pk and not member.is_superuser


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
        and question.closed_at is None
        and question.locked_at is None
    )


def check_can_answer(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not question.is_deleted, _("This question has been deleted."))
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


def can_nominate_mvp(user: Viewer) -> bool:
    return can_write(user) and is_support_staff(user)


def check_can_nominate_mvp(user: Viewer) -> None:
    _require(can_nominate_mvp(user), _("Only staff can nominate MVPs."))


def can_award_mvp(user: Viewer) -> bool:
    return can_write(user) and user.is_superuser


def check_can_award_mvp(user: Viewer) -> None:
    _require(can_award_mvp(user), _("Only an admin can award or decline an MVP nomination."))


def can_remove_spam(user: Viewer, post: Question | Answer) -> bool:
    """Advocates (earned, appointed or MVP) and staff remove spam; never their own post."""
    return can_write(user) and not post.is_deleted and is_advocate(user) and not _is_author(user, post)


def check_can_remove_spam(user: Viewer, post: Question | Answer) -> None:
    _require(can_remove_spam(user, post), _("Only advocates and staff can remove a post as spam."))


def can_say_solved_it(user: Viewer, question: Question) -> bool:
    """ "This solved it": for members reading someone else's thread."""
    return can_write(user) and not question.is_deleted and not _is_author(user, question)


def check_can_say_solved_it(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(not _is_author(user, question), _("This is your own question; accept an answer instead."))
    _require(not question.is_deleted, _("This question has been deleted."))


def can_capture_article(user: Viewer, question: Question) -> bool:
    """Staff and advocates turn a solved thread into a knowledge article."""
    return (
        can_write(user)
        and is_advocate(user)
        and not question.is_deleted
        and question.accepted_answer_id is not None
    )


def check_can_capture_article(user: Viewer, question: Question) -> None:
    check_can_write(user)
    _require(is_advocate(user), _("Only advocates and staff can capture knowledge articles."))
    _require(not question.is_deleted, _("This question has been deleted."))
    _require(
        question.accepted_answer_id is not None,
        _("Only a solved thread (one with an accepted answer) can become an article."),
    )


def can_edit_article(user: Viewer, article: Article) -> bool:
    return can_write(user) and is_advocate(user) and not article.is_deleted


def check_can_edit_article(user: Viewer, article: Article) -> None:
    _require(can_edit_article(user, article), _("Only advocates and staff can edit knowledge articles."))


def can_review_article(user: Viewer, article: Article | None = None) -> bool:
    return can_write(user) and is_support_staff(user)


def check_can_review_article(user: Viewer, article: Article | None = None) -> None:
    _require(can_review_article(user), _("Only support staff review knowledge articles."))


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
