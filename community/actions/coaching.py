"""Coaching before publishing (Stack Overflow's Staging Ground: reviewed first questions
stayed open 83 % of the time against 41 %). A first-time asker's question waits, seen
only by the asker, coaches (advocates) and support staff, while coaches comment with the
asker to make it answerable; a coach publishes it, or the timeout does, so that nobody
waits forever. Which questions go there is the coaching policy (staff set it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions import outbox
from community.actions.notifications import notify
from community.actions.search import queue_reindex
from community.extensions import thread_event
from community.models import Answer, CoachingMode, CoachingPolicy, NotificationEvent, Question


def policy() -> CoachingPolicy:
    return CoachingPolicy.objects.order_by("pk").first() or CoachingPolicy()


def needs_coaching(author: User, *, current: CoachingPolicy | None = None) -> bool:
    """Whether this member's next question goes to coaching (never an advocate's or staff's)."""
    rules = current or policy()
    if rules.mode == CoachingMode.OFF or permissions.is_advocate(author):
        return False
    asked = Question.objects.filter(author=author, import_site__isnull=True)
    if rules.mode == CoachingMode.FIRST_QUESTION:
        return not asked.exists()
    accepted = Answer.objects.filter(author=author, question__accepted_answer=F("pk")).count()
    solved = asked.filter(accepted_answer__isnull=False).count()
    return accepted + solved < rules.accepted_posts


def coaching_fields(author: User, *, now: datetime) -> dict[str, object]:
    """The fields a new question of this author starts with (none: published at once)."""
    rules = policy()
    if not needs_coaching(author, current=rules):
        return {}
    return {
        "in_coaching": True,
        "was_coached": True,
        "coaching_ends_at": now + timedelta(hours=rules.timeout_hours),
    }


@transaction.atomic
def set_policy(*, mode: str, accepted_posts: int, timeout_hours: int, by: User) -> CoachingPolicy:
    permissions.check_can_edit_site_pages(by)
    current = policy()
    current.mode, current.accepted_posts, current.timeout_hours = mode, accepted_posts, timeout_hours
    current.save()
    return current


def publish(question: Question, *, by: User | None, now: datetime | None = None) -> bool:
    """Publish a question in coaching: a coach approved it (``by``), or its time ran out
    (``by`` None). Once: two coaches at once, or a coach and the timeout, publish it once."""
    if by is not None:
        permissions.check_can_coach(by)
    now = now or timezone.now()
    with transaction.atomic():
        changed = Question.objects.filter(pk=question.pk, in_coaching=True).update(
            in_coaching=False, coached_at=now, coached_by=by, last_activity_at=now
        )
        if not changed:
            return False
        question.refresh_from_db()
        queue_reindex(question.pk)
        thread_event("question_edited", question, by=by)  # feedback routing, now that it is public
        outbox.record("coaching.published", {"question_id": question.pk})
    return True


def publish_due(*, now: datetime | None = None) -> int:
    """Beat: publish the questions whose coaching time ran out."""
    now = now or timezone.now()
    due = Question.objects.filter(in_coaching=True, coaching_ends_at__lte=now).filter(Q(is_deleted=False))
    return sum(publish(question, by=None, now=now) for question in due)


@outbox.handler("coaching.published")
def notify_published(payload: dict[str, Any]) -> None:
    question = (
        Question.objects.select_related("author", "coached_by").filter(pk=payload["question_id"]).first()
    )
    if question is None or question.in_coaching:
        return
    who = question.coached_by.public_name if question.coached_by else "The coaching time ended:"
    notify(
        [question.author],
        event=NotificationEvent.QUESTION_PUBLISHED,
        actor=question.coached_by,
        target=question,
        text=f"{who} published your question “{question.title}”"
        if question.coached_by
        else f"{who} your question “{question.title}” is published",
        url=question.get_absolute_url(),
        dedupe_key=f"coaching_published:{question.pk}",
    )
