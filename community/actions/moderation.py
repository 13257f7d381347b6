"""Flags, hiding and reinstating posts, review items, and telling authors what moderators did."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions import outbox
from community.actions.audit import audit
from community.actions.soft_delete import withdraw
from community.extensions import thread_event
from community.models import (
    Answer,
    Comment,
    Flag,
    FlagReason,
    Question,
    ReviewItem,
    ReviewKind,
    ReviewState,
)
from community.models.moderation import HIDING_REASONS, on_post

Post = Question | Answer | Comment


@transaction.atomic
def flag_post(
    post: Post, *, by: User, reason: str, detail: str = "", duplicate_of: Question | None = None
) -> Flag:
    """Flag a post for review (once per member and post). Enough spam or abuse flags from
    members with flag weight hide it at once, pending review; "needs staff" also goes to
    support."""
    permissions.check_can_flag(by, post)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                **on_post(post), flagger=by, reason=reason, detail=detail[:500], duplicate_of=duplicate_of,
                created_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:
        raise PermissionDenied("You have already flagged this post.") from None
    item = open_review(post)
    ReviewItem.objects.filter(pk=item.pk).update(priority=F("priority") + 1, updated_at=timezone.now())
    weighted = [
        f
        for f in Flag.objects.filter(**on_post(post), reason__in=HIDING_REASONS, outcome="").select_related(
            "flagger"
        )
        if permissions.holds(f.flagger, "flag_weight")
    ]
    if (
        reason in HIDING_REASONS
        and len(weighted) >= settings.COMMUNITY_FLAGS_TO_HIDE
        and withdraw(post, by=None)
    ):
        audit("hidden_by_flags", post, by=None, reason=f"{len(weighted)} spam or abuse flags; pending review")
    if reason == FlagReason.NEEDS_STAFF:
        thread_event("needs_staff", post.thread, by=by, post=flag)
    return flag


def open_review(post: Post, *, kind: str = ReviewKind.FLAG, note: str = "flagged") -> ReviewItem:
    """The post's open item in the ``kind`` queue, created if there is none (at most one
    per post and queue, however many people race to open it)."""
    now = timezone.now()
    current = ReviewItem.objects.open().filter(**on_post(post), kind=kind).first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                **on_post(post), kind=kind, state=ReviewState.OPEN, created_at=now, updated_at=now
            )
            item.history.create(at=now, actor=None, from_state="", to_state=ReviewState.OPEN, note=note)
            return item
    except IntegrityError:
        return ReviewItem.objects.open().get(**on_post(post), kind=kind)


@outbox.handler("notify.moderated")
def notify_moderated(payload: dict[str, Any]) -> None:
    from community.actions.notifications import notify
    from community.models import NotificationEvent

    author = User.objects.filter(pk=payload["author_id"], is_active=True).first()
    question = Question.objects.filter(pk=payload["question_id"]).first()
    if author is None or question is None:
        return
    what = payload.get("what", "removed your post")
    notify(
        [author],
        event=NotificationEvent.MODERATED,
        actor=None,
        target=question,
        text=f"A moderator {what} on “{question.title}”: {payload['reason']}",
        url=reverse("community:notifications"),
        dedupe_key=f"moderated:{payload['question_id']}:{payload['author_id']}:{what[:40]}:"
        f"{payload['reason'][:50]}",
    )
