"""Ending acceptances: shared by unaccepting, moving the mark, and hiding an answer."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from community.actions.reputation import reverse_source
from community.models import Acceptance, Answer, Question


def revoke_acceptance(acceptance: Acceptance) -> None:
    """End an acceptance and cancel exactly the reputation it awarded."""
    Acceptance.objects.filter(pk=acceptance.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    reverse_source(f"acceptance:{acceptance.pk}")


def detach_hidden_answer(answer: Answer) -> None:
    """An answer was just hidden (deleted or removed as spam): it stops counting toward
    its question and loses the accepted mark, with the points the acceptance gave."""
    Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") - 1)
    live = Acceptance.objects.filter(answer=answer, revoked_at__isnull=True).first()
    if live is not None:
        revoke_acceptance(live)
    Question.objects.filter(pk=answer.question_id, accepted_answer=answer).update(accepted_answer=None)
