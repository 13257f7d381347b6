"""Rules about members and knowledge: suspensions, the MVP program, knowledge articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accounts.roles import is_advocate, is_support_staff
from community.permissions.base import _require, can_write, check_can_write

if TYPE_CHECKING:
    from accounts.models import User
    from community.models import Article, Question
    from community.permissions.base import Viewer

__all__ = [
    "can_award_mvp",
    "can_capture_article",
    "can_edit_article",
    "can_edit_site_pages",
    "can_nominate_mvp",
    "can_review_article",
    "can_see_suspension_reason",
    "can_suspend",
    "check_can_award_mvp",
    "check_can_capture_article",
    "check_can_edit_article",
    "check_can_edit_site_pages",
    "check_can_nominate_mvp",
    "check_can_review_article",
]


def can_see_suspension_reason(user: Viewer, member: User) -> bool:
    """The member themself, and support staff (who suspend), read why a member is suspended."""
    return bool(user.is_authenticated and (user.pk == member.pk or is_support_staff(user)))


def can_suspend(user: Viewer, member: User) -> bool:
    return can_write(user) and is_support_staff(user) and user.pk != member.pk and not member.is_superuser


def can_nominate_mvp(user: Viewer) -> bool:
    return can_write(user) and is_support_staff(user)


def check_can_nominate_mvp(user: Viewer) -> None:
    _require(can_nominate_mvp(user), _("Only staff can nominate MVPs."))


def can_award_mvp(user: Viewer) -> bool:
    return can_write(user) and user.is_superuser


def check_can_award_mvp(user: Viewer) -> None:
    _require(can_award_mvp(user), _("Only an admin can award or decline an MVP nomination."))


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


def can_edit_site_pages(user: Viewer) -> bool:
    """The guidelines, the about page and the team page are written by support staff."""
    return can_write(user) and is_support_staff(user)


def check_can_edit_site_pages(user: Viewer) -> None:
    _require(can_edit_site_pages(user), _("Only support staff can edit the community's pages."))
