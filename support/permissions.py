"""May this user do that in support? ``can_*`` for templates, ``check_*`` raising
PermissionDenied with the reason for views and actions (as in community.permissions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import PRODUCT_MANAGER, has_role, is_advocate, is_support_staff
from community.permissions import can_write

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from community.models import Question
    from support.models import Digest, FeedbackItem

    Viewer: TypeAlias = User | AnonymousUser


def _require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


def can_work_queue(user: Viewer) -> bool:
    """The queue, escalations, internal notes and the dashboard: support staff only."""
    return can_write(user) and is_support_staff(user)


def check_can_work_queue(user: Viewer) -> None:
    _require(can_work_queue(user), _("Only support staff can see this."))


def help_offered_at(question: Question) -> datetime:
    return question.created_at + timedelta(hours=settings.SUPPORT_NEED_HELP_AFTER_HOURS)


def can_ask_for_help(user: Viewer, question: Question) -> bool:
    """The asker's "I still need help", offered once the question is old enough and
    while it is not solved."""
    return bool(
        can_write(user)
        and question.author_id == user.pk
        and not question.is_deleted
        and question.import_site_id is None
        and question.accepted_answer_id is None
        and timezone.now() >= help_offered_at(question)
    )


def check_can_ask_for_help(user: Viewer, question: Question) -> None:
    _require(
        can_ask_for_help(user, question),
        _("Only the asker can ask for staff help, once the question is %(hours)s hours old and not solved.")
        % {"hours": settings.SUPPORT_NEED_HELP_AFTER_HOURS},
    )


def can_escalate(user: Viewer, question: Question) -> bool:
    """Advocates (and staff) send a thread to support with a reason."""
    return bool(
        can_write(user) and is_advocate(user) and not question.is_deleted and question.import_site_id is None
    )


def check_can_escalate(user: Viewer, question: Question) -> None:
    _require(can_escalate(user, question), _("Only advocates and staff can escalate a thread to support."))


def can_triage_feedback(user: Viewer) -> bool:
    """The feedback inboxes: product managers and support staff."""
    return bool(can_write(user) and (has_role(user, PRODUCT_MANAGER) or is_support_staff(user)))


def check_can_triage_feedback(user: Viewer) -> None:
    _require(
        can_triage_feedback(user), _("Only product managers and support staff can see feedback inboxes.")
    )


def can_open_feedback_item(user: Viewer, item: FeedbackItem) -> bool:
    """A feedback item's page: items of the person's teams, and triage items (no team)."""
    from support.querysets import teams_visible_to

    return can_triage_feedback(user) and (
        item.team_id is None or teams_visible_to(user).filter(pk=item.team_id).exists()
    )


def check_can_open_feedback_item(user: Viewer, item: FeedbackItem) -> None:
    check_can_triage_feedback(user)
    _require(can_open_feedback_item(user, item), _("This item belongs to another team."))


def can_read_digest(user: Viewer, digest: Digest) -> bool:
    from support.querysets import teams_visible_to

    return teams_visible_to(user).filter(pk=digest.team_id).exists()


def check_can_read_digest(user: Viewer, digest: Digest) -> None:
    check_can_triage_feedback(user)
    _require(can_read_digest(user, digest), _("This digest belongs to another team."))


def can_answer_feedback(user: Viewer, item: FeedbackItem) -> bool:
    """A public status on an item: its team's product managers (admins too); triage items
    belong to no team yet, so any product manager or support staff."""
    if not can_triage_feedback(user):
        return False
    if item.team is None or user.is_superuser:
        return True
    return item.team.members.filter(pk=user.pk or 0).exists()
