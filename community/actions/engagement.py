"""Following questions and saying "I have this too"."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.models import Follow, MeToo, Question


def follow_question(question: Question, *, user: User) -> bool:
    """Follow (idempotent). Returns whether a new follow was created."""
    try:
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(
                user=user, question=question, defaults={"created_at": timezone.now()}
            )
    except IntegrityError:  # a concurrent request followed first
        return False
    return created


@transaction.atomic
def unfollow_question(question: Question, *, user: User) -> bool:
    deleted, _ = Follow.objects.filter(user=user, question=question).delete()
    return bool(deleted)


@transaction.atomic
def toggle_me_too(question: Question, *, user: User) -> bool:
    """Say, or take back, "I have this too". Returns whether the member now has it too.

    Saying it also follows the question, so the member hears when it is answered.
    """
    permissions.check_can_me_too(user, question)
    deleted, _ = MeToo.objects.filter(user=user, question=question).delete()
    if deleted:
        Question.objects.filter(pk=question.pk).update(me_too_count=F("me_too_count") - 1)
        question.refresh_from_db(fields=["me_too_count"])
        return False
    try:
        with transaction.atomic():
            MeToo.objects.create(user=user, question=question, created_at=timezone.now())
    except IntegrityError:  # double-click: the other request already counted it
        return True
    Question.objects.filter(pk=question.pk).update(me_too_count=F("me_too_count") + 1)
    question.refresh_from_db(fields=["me_too_count"])
    follow_question(question, user=user)
    return True
