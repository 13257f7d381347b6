"""Merging a duplicate thread into the one it duplicates."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions.audit import audit
from community.extensions import thread_event
from community.models import CloseReason, Follow, LinkKind, MeToo, Question, QuestionLink


@transaction.atomic
def merge_duplicate(duplicate: Question, *, into: Question, by: User) -> Question:
    """Mark ``duplicate`` as a duplicate of ``into``: it is closed as a duplicate (when it
    is not closed yet) and its demand moves there. Returns ``into``."""
    from community.actions.closing import close_question

    permissions.check_can_merge(by, duplicate, into)
    if duplicate.closed_at is None:
        close_question(duplicate, by=by, reason=CloseReason.DUPLICATE, duplicate_of=into)
    else:
        link_duplicate(duplicate, into=into, by=by)
    into.refresh_from_db()
    return into


def link_duplicate(duplicate: Question, *, into: Question, by: User) -> None:
    """Link ``duplicate`` to its original and move its demand there: every "I have this
    too" and every follower of the duplicate now counts on the original (members already
    there, and its asker, are not counted twice)."""
    now = timezone.now()
    QuestionLink.objects.get_or_create(
        source=duplicate, target=into, kind=LinkKind.DUPLICATE, defaults={"created_at": now}
    )
    already = set(MeToo.objects.filter(question=into).values_list("user", flat=True)) | {into.author_id}
    moved = 0
    for me_too in MeToo.objects.filter(question=duplicate).exclude(user__in=already):
        MeToo.objects.create(user_id=me_too.user_id, question=into, created_at=me_too.created_at)
        moved += 1
    following = set(Follow.objects.filter(question=into).values_list("user", flat=True))
    Follow.objects.bulk_create(
        [
            Follow(user_id=follow.user_id, question=into, created_at=now)
            for follow in Follow.objects.filter(question=duplicate).exclude(user__in=following)
        ]
    )
    # The duplicate's asker has this too, on the original.
    if (
        duplicate.author_id not in already
        and not MeToo.objects.filter(question=into, user=duplicate.author).exists()
    ):
        MeToo.objects.create(user=duplicate.author, question=into, created_at=duplicate.created_at)
        moved += 1
    if duplicate.author_id not in following:
        Follow.objects.get_or_create(user=duplicate.author, question=into, defaults={"created_at": now})
    Question.objects.filter(pk=into.pk).update(me_too_count=F("me_too_count") + moved, last_activity_at=now)
    audit(
        "merge",
        duplicate,
        by=by,
        reason=f"duplicate of question {into.pk}",
        after={"into": into.pk, "moved": moved},
    )
    thread_event("question_merged", duplicate, by=by, post=into)
