"""Asking, editing, deleting and restoring questions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions.engagement import follow_question
from community.actions.revisions import record_revision
from community.markdown import render_markdown
from community.models import Category, Question


@transaction.atomic
def ask_question(
    *, author: User, title: str, body: str, category: Category | None, tags: list[str]
) -> Question:
    """Create a question (revision 1) and make its author follow it."""
    permissions.check_can_write(author)
    now = timezone.now()
    question = Question.objects.create(
        author=author,
        title=title,
        body=body,
        body_html=render_markdown(body),
        category=category,
        created_at=now,
        last_activity_at=now,
    )
    question.tags.set(tags)
    record_revision(question, author=author, at=now)
    follow_question(question, user=author)
    return question


@transaction.atomic
def edit_question(
    question: Question,
    *,
    by: User,
    title: str,
    body: str,
    category: Category | None,
    tags: list[str],
    summary: str = "",
) -> Question:
    """Apply an edit and keep it as a new revision. An edit that changes nothing is a no-op."""
    permissions.check_can_edit(by, question)
    unchanged = (
        question.title == title
        and question.body == body
        and question.category_id == (category.pk if category else None)
        and sorted(question.tags.names()) == sorted(tags)
    )
    if unchanged:
        return question
    now = timezone.now()
    question.title = title
    question.body = body
    question.body_html = render_markdown(body)
    question.category = category
    question.edited_at = now
    question.last_activity_at = now
    question.save()
    question.tags.set(tags)
    record_revision(question, author=by, at=now, summary=summary)
    return question


@transaction.atomic
def delete_question(question: Question, *, by: User) -> None:
    """Soft-delete: the row stays, hidden from all but staff, and can be restored."""
    permissions.check_can_delete(by, question)
    Question.objects.filter(pk=question.pk).update(is_deleted=True, deleted_at=timezone.now(), deleted_by=by)
    question.refresh_from_db()


@transaction.atomic
def restore_question(question: Question, *, by: User) -> None:
    permissions.check_can_restore(by, question)
    Question.objects.filter(pk=question.pk).update(is_deleted=False, deleted_at=None, deleted_by=None)
    question.refresh_from_db()
