"""Voting on questions and answers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.models import Answer, Question, Vote


def _post_filter(post: Question | Answer) -> dict[str, Question | Answer]:
    return {"question": post} if isinstance(post, Question) else {"answer": post}


@transaction.atomic
def cast_vote(post: Question | Answer, *, by: User, value: int) -> int:
    """Vote up (+1) or down (−1). Casting the same vote again withdraws it; the other
    direction replaces it (a new vote row, so each cast is its own event).

    Returns the member's vote after the change (+1, −1 or 0) and updates ``post.score``.
    """
    if value not in (Vote.UP, Vote.DOWN):
        raise ValueError("A vote is +1 or -1")
    permissions.check_can_vote(by, post)
    model = type(post)
    target = _post_filter(post)
    previous = Vote.objects.filter(user=by, **target).first()
    delta = 0
    result = value
    if previous is not None:
        # Conditional delete: of two racing withdrawals only one changes the score.
        if Vote.objects.filter(pk=previous.pk).delete()[0]:
            delta -= previous.value
        if previous.value == value:
            result = 0
    if result:
        try:
            with transaction.atomic():
                Vote.objects.create(user=by, value=value, created_at=timezone.now(), **target)
        except IntegrityError:
            # A concurrent request from the same member voted first; theirs stands.
            result = Vote.objects.filter(user=by, **target).values_list("value", flat=True).first() or 0
        else:
            delta += value
    if delta:
        model.objects.filter(pk=post.pk).update(score=F("score") + delta)
    post.refresh_from_db(fields=["score"])
    return result
