"""Answering, editing, deleting, restoring and accepting answers."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions import outbox
from community.actions.engagement import follow_question
from community.actions.revisions import record_revision
from community.markdown import render_markdown
from community.models import Answer, Question


@transaction.atomic
def post_answer(question: Question, *, author: User, body: str) -> Answer:
    """Create an answer, count it, follow the question, and queue the followers' notice."""
    permissions.check_can_answer(author, question)
    now = timezone.now()
    answer = Answer.objects.create(
        question=question, author=author, body=body, body_html=render_markdown(body), created_at=now
    )
    record_revision(answer, author=author, at=now)
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1, last_activity_at=now)
    follow_question(question, user=author)
    outbox.record("notify.answer_posted", {"answer_id": answer.pk})
    return answer


@transaction.atomic
def edit_answer(answer: Answer, *, by: User, body: str, summary: str = "") -> Answer:
    permissions.check_can_edit(by, answer)
    if answer.body == body:
        return answer
    now = timezone.now()
    answer.body = body
    answer.body_html = render_markdown(body)
    answer.edited_at = now
    answer.save(update_fields=["body", "body_html", "edited_at"])
    Question.objects.filter(pk=answer.question_id).update(last_activity_at=now)
    record_revision(answer, author=by, at=now, summary=summary)
    return answer


@transaction.atomic
def delete_answer(answer: Answer, *, by: User) -> None:
    """Soft-delete; an accepted answer loses the mark, and the question's count drops."""
    permissions.check_can_delete(by, answer)
    hidden = Answer.objects.filter(pk=answer.pk, is_deleted=False).update(
        is_deleted=True, deleted_at=timezone.now(), deleted_by=by
    )
    if hidden:
        Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") - 1)
        Question.objects.filter(pk=answer.question_id, accepted_answer=answer).update(accepted_answer=None)
    answer.refresh_from_db()


@transaction.atomic
def restore_answer(answer: Answer, *, by: User) -> None:
    permissions.check_can_restore(by, answer)
    shown = Answer.objects.filter(pk=answer.pk, is_deleted=True).update(
        is_deleted=False, deleted_at=None, deleted_by=None
    )
    if shown:
        Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") + 1)
    answer.refresh_from_db()


@transaction.atomic
def accept_answer(answer: Answer, *, by: User) -> Question:
    """Mark the answer accepted (moving the mark from any other); queue the author's notice."""
    permissions.check_can_accept(by, answer)
    now = timezone.now()
    moved = (
        Question.objects.filter(pk=answer.question_id)
        .exclude(accepted_answer=answer)
        .update(accepted_answer=answer, last_activity_at=now)
    )
    if moved:
        outbox.record(
            "notify.answer_accepted",
            {"answer_id": answer.pk, "by_id": by.pk, "acceptance": now.isoformat()},
        )
    answer.question.refresh_from_db()
    return answer.question


@transaction.atomic
def unaccept_answer(answer: Answer, *, by: User) -> Question:
    permissions.check_can_accept(by, answer)
    Question.objects.filter(pk=answer.question_id, accepted_answer=answer).update(accepted_answer=None)
    answer.question.refresh_from_db()
    return answer.question
