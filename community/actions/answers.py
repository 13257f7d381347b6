"""Answering, editing, deleting, restoring and accepting answers."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions import outbox
from community.actions.acceptance import revoke_acceptance
from community.actions.audit import audit_if_moderated
from community.actions.engagement import follow_question
from community.actions.reputation import award
from community.actions.review import queue_new_post
from community.actions.revisions import record_revision
from community.actions.search import queue_reindex
from community.actions.soft_delete import reinstate, withdraw
from community.extensions import thread_event
from community.markdown import render_markdown
from community.models import Acceptance, Answer, Question
from community.querysets import resubmitted
from community.reputation import Reason


@transaction.atomic
def post_answer(
    question: Question, *, author: User, body: str, official: bool = False, private: bool = False
) -> Answer:
    """Create an answer, count it, follow the question, and queue the followers' notice.
    ``official``: support staff answering for the company (shown as "Official"). The same
    text from the same author moments ago (a double submit) returns that answer instead."""
    permissions.check_can_answer(author, question)
    if official:
        permissions.check_can_post_officially(author)
    if private:  # only the author, the asker and support staff will see it
        permissions.check_can_post_privately(author, question)
    now = timezone.now()
    # The question's row lock serialises answers to it (votes and close votes take the
    # same lock first), so a form sent twice at once sees its first copy and returns it.
    Question.objects.select_for_update().filter(pk=question.pk).first()
    same = resubmitted(Answer.objects.filter(question=question), author=author, body=body, now=now)
    if same is not None:
        return same  # type: ignore[no-any-return]
    answer = Answer.objects.create(
        question=question,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        is_official=official,
        is_private=private,
    )
    record_revision(answer, author=author, at=now)
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1, last_activity_at=now)
    follow_question(question, user=author)
    outbox.record("notify.answer_posted", {"answer_id": answer.pk})
    queue_reindex(question.pk)
    thread_event("answer_posted", question, by=author, post=answer)
    if not (private or question.is_private):  # not the community moderators' to read
        queue_new_post(answer)
    return answer


@transaction.atomic
def edit_answer(answer: Answer, *, by: User, body: str, summary: str = "") -> Answer:
    permissions.check_can_edit(by, answer)
    if answer.body == body:
        return answer
    audit_if_moderated(
        "edit",
        answer,
        by=by,
        reason=summary,
        before={"body": answer.body[:2000]},
        after={"body": body[:2000]},
    )
    now = timezone.now()
    answer.body = body
    answer.body_html = render_markdown(body)
    answer.edited_at = now
    answer.save(update_fields=["body", "body_html", "edited_at"])
    Question.objects.filter(pk=answer.question_id).update(last_activity_at=now)
    record_revision(answer, author=by, at=now, summary=summary)
    queue_reindex(answer.question_id)
    return answer


@transaction.atomic
def delete_answer(answer: Answer, *, by: User) -> None:
    """Soft-delete; an accepted answer loses the mark, the question's count drops, and the
    reputation the answer earned or cost is reversed."""
    permissions.check_can_delete(by, answer)
    if withdraw(answer, by=by):
        audit_if_moderated("delete", answer, by=by)


@transaction.atomic
def restore_answer(answer: Answer, *, by: User) -> None:
    permissions.check_can_restore(by, answer)
    if reinstate(answer, by=by):
        audit_if_moderated("undelete", answer, by=by)


@transaction.atomic
def accept_answer(answer: Answer, *, by: User) -> Question:
    """Mark the answer accepted, moving the mark from any other. Awards the answer's
    author and the asker who accepted (never for one's own answer); queues the notice."""
    permissions.check_can_accept(by, answer)
    # Lock the question so that two acceptances of one question happen one after the other.
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    live = Acceptance.objects.filter(question=question, revoked_at__isnull=True).first()
    if live is not None and live.answer_id == answer.pk:
        return question
    if live is not None:
        revoke_acceptance(live)
    now = timezone.now()
    activity = {"accepted_answer": answer, "last_activity_at": now}
    if by.pk == question.author_id:
        activity["asker_active_at"] = now
    Question.objects.filter(pk=question.pk).update(**activity)
    acceptance = Acceptance.objects.create(question=question, answer=answer, accepted_by=by, created_at=now)
    source = f"acceptance:{acceptance.pk}"
    if answer.author_id != by.pk:
        award(
            answer.author_id,
            reason=Reason.ANSWER_ACCEPTED,
            source_key=source,
            question=question,
            answer=answer,
        )
        if by.pk == question.author_id:
            award(
                by.pk, reason=Reason.ACCEPTED_AN_ANSWER, source_key=source, question=question, answer=answer
            )
    outbox.record(
        "notify.answer_accepted", {"answer_id": answer.pk, "by_id": by.pk, "acceptance": acceptance.pk}
    )
    queue_reindex(question.pk)
    thread_event("answer_accepted", question, by=by, post=answer)
    answer.question.refresh_from_db()
    return answer.question


@transaction.atomic
def unaccept_answer(answer: Answer, *, by: User) -> Question:
    permissions.check_can_accept(by, answer)
    live = Acceptance.objects.filter(answer=answer, revoked_at__isnull=True).first()
    if live is not None:
        revoke_acceptance(live)
    Question.objects.filter(pk=answer.question_id, accepted_answer=answer).update(accepted_answer=None)
    queue_reindex(answer.question_id)
    answer.question.refresh_from_db()
    return answer.question


@transaction.atomic
def mark_helped(answer: Answer, *, by: User) -> Answer:
    """The asker says an official answer helped (support resolves the escalation on it)."""
    permissions.check_can_mark_helped(by, answer)
    now = timezone.now()
    if Answer.objects.filter(pk=answer.pk, helped_asker_at__isnull=True).update(helped_asker_at=now):
        Question.objects.filter(pk=answer.question_id).update(asker_active_at=now, last_activity_at=now)
        thread_event("official_reply_helpful", answer.question, by=by, post=answer)
    answer.refresh_from_db()
    return answer
