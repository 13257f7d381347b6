"""Notification fan-out (run from the outbox, so after the triggering commit), and marking
notifications read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.mail import header_safe
from accounts.models import User
from community.actions import outbox
from community.models import (
    Answer,
    BadgeAward,
    Comment,
    Follow,
    MvpTerm,
    Notification,
    NotificationEvent,
    Question,
)

logger = logging.getLogger("askwell.notifications")


def notify(
    recipients: Iterable[User],
    *,
    event: str,
    actor: User | None,
    target: models.Model,
    text: str,
    url: str,
    dedupe_key: str,
) -> list[Notification]:
    """Create one notification per recipient (skipping any that already exist), then email.

    Idempotent: ``(recipient, dedupe_key)`` is unique, and only notifications not yet
    emailed are emailed, so a retried task neither duplicates rows nor resends mail.
    """
    content_type = ContentType.objects.get_for_model(target)
    now = timezone.now()
    created: list[Notification] = []
    for recipient in recipients:
        try:
            with transaction.atomic():
                notification, _ = Notification.objects.get_or_create(
                    recipient=recipient,
                    dedupe_key=dedupe_key,
                    defaults={
                        "event": event,
                        "actor": actor,
                        "content_type": content_type,
                        "object_id": target.pk,
                        "text": text[:400],
                        "url": url[:400],
                        "created_at": now,
                    },
                )
        except IntegrityError:  # a concurrent run created it first
            notification = Notification.objects.get(recipient=recipient, dedupe_key=dedupe_key)
        created.append(notification)
    for notification in created:
        if notification.emailed_at is None and notification.recipient.email:
            email_notification(notification)
    return created


def email_notification(notification: Notification) -> None:
    """Send one notification's email, then mark it sent (at-least-once delivery)."""
    context = {"notification": notification, "site_url": settings.SITE_URL}
    send_mail(
        subject=header_safe(f"[{settings.SITE_NAME}] {notification.text}"),
        message=render_to_string("community/email/notification.txt", context),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())


def readers_of(users: Iterable[User], post: Question | Answer | Comment) -> list[User]:
    """Those of ``users`` who may read ``post``: everyone for a public post in a public
    thread; for a private one, only those ``visible_to`` lets see it (its author, the
    asker, support staff), so a notification never carries it to anyone else."""
    users = list(users)
    answer = post.answer if isinstance(post, Comment) else post if isinstance(post, Answer) else None
    private = (
        (post.thread.is_private if not isinstance(post, Question) else post.is_private)
        or post.is_private
        or bool(answer is not None and answer.is_private)
    )
    if not private:
        return users
    model = type(post)
    return [user for user in users if model.objects.visible_to(user).filter(pk=post.pk).exists()]


def _followers_except(question_id: int, *excluded: int) -> list[User]:
    follower_ids = Follow.objects.filter(question_id=question_id).exclude(user_id__in=excluded)
    return list(User.objects.filter(pk__in=follower_ids.values("user_id"), is_active=True))


@outbox.handler("notify.answer_posted")
def notify_answer_posted(payload: dict[str, Any]) -> None:
    answer = Answer.objects.select_related("question", "author").filter(pk=payload["answer_id"]).first()
    if answer is None or answer.is_deleted or answer.question.is_deleted:
        return
    notify(
        readers_of(_followers_except(answer.question_id, answer.author_id), answer),
        event=NotificationEvent.ANSWER_POSTED,
        actor=answer.author,
        target=answer,
        text=f"{answer.author.public_name} answered “{answer.question.title}”",
        url=answer.get_absolute_url(),
        dedupe_key=f"answer_posted:{answer.pk}",
    )


@outbox.handler("notify.comment_posted")
def notify_comment_posted(payload: dict[str, Any]) -> None:
    comment = (
        Comment.objects.select_related("author", "question", "answer__question", "answer__author")
        .filter(pk=payload["comment_id"])
        .first()
    )
    if comment is None or comment.is_deleted:
        return
    thread = comment.thread
    recipients = _followers_except(thread.pk, comment.author_id)
    if comment.answer is not None and comment.answer.author_id != comment.author_id:
        # The answer's author hears about comments on their answer even if unfollowed.
        recipients = [user for user in recipients if user.pk != comment.answer.author_id]
        recipients.append(comment.answer.author)
    notify(
        readers_of(recipients, comment),
        event=NotificationEvent.COMMENT_POSTED,
        actor=comment.author,
        target=comment,
        text=f"{comment.author.public_name} commented on “{thread.title}”",
        url=comment.get_absolute_url(),
        dedupe_key=f"comment_posted:{comment.pk}",
    )


@outbox.handler("notify.answer_accepted")
def notify_answer_accepted(payload: dict[str, Any]) -> None:
    answer = Answer.objects.select_related("question", "author").filter(pk=payload["answer_id"]).first()
    if answer is None or answer.question.accepted_answer_id != answer.pk:
        return
    by_id = payload.get("by_id")
    accepter = User.objects.filter(pk=by_id).first() if by_id else None
    if accepter is not None and accepter.pk == answer.author_id:
        return
    notify(
        readers_of([answer.author], answer),
        event=NotificationEvent.ANSWER_ACCEPTED,
        actor=accepter,
        target=answer,
        text=f"Your answer to “{answer.question.title}” was accepted",
        url=answer.get_absolute_url(),
        dedupe_key=f"answer_accepted:{answer.pk}:{payload.get('acceptance', '')}",
    )


@outbox.handler("notify.rank_reached")
def notify_rank_reached(payload: dict[str, Any]) -> None:
    member = User.objects.filter(pk=payload["user_id"], is_active=True).first()
    if member is None:
        return
    notify(
        [member],
        event=NotificationEvent.RANK_REACHED,
        actor=None,
        target=member,
        text=f"You reached the rank {payload['rank']} — see what it unlocks",
        url=reverse("community:privileges"),
        dedupe_key=f"rank_reached:{payload['rank']}",
    )


@outbox.handler("notify.badge_awarded")
def notify_badge_awarded(payload: dict[str, Any]) -> None:
    award = BadgeAward.objects.select_related("user").filter(pk=payload["award_id"]).first()
    if award is None or not award.user.is_active:
        return
    notify(
        [award.user],
        event=NotificationEvent.BADGE_AWARDED,
        actor=None,
        target=award,
        text=f"You earned the badge “{award.label}”",
        url=reverse("community:badge_detail", kwargs={"slug": award.badge}),
        dedupe_key=f"badge_awarded:{award.pk}",
    )


@outbox.handler("notify.mvp")
def notify_mvp(payload: dict[str, Any]) -> None:
    term = MvpTerm.objects.select_related("member").filter(pk=payload["term_id"]).first()
    if term is None or not term.member.is_active:
        return
    text = (
        f"You are an MVP until {term.ends_at:%B %-d, %Y}: thank you for all your help"
        if payload["what"] == "awarded"
        else f"Your MVP term ends on {term.ends_at:%B %-d, %Y}"
    )
    notify(
        [term.member],
        event=NotificationEvent.MVP,
        actor=None,
        target=term,
        text=text,
        url=reverse("community:mvp_list"),
        dedupe_key=f"mvp:{payload['what']}:{term.pk}",
    )


def mark_read(user: User, *, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them, or the given ones)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
