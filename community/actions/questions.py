"""Asking, editing, deleting and restoring questions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions.audit import audit_if_moderated
from community.actions.coaching import coaching_fields
from community.actions.engagement import follow_question
from community.actions.moderation import open_review
from community.actions.review import queue_new_post
from community.actions.revisions import record_revision
from community.actions.search import queue_reindex
from community.actions.soft_delete import reinstate, withdraw
from community.extensions import thread_event
from community.markdown import render_markdown
from community.models import Category, Question, ReviewKind
from community.querysets import resubmitted


@transaction.atomic
def ask_question(
    *, author: User, title: str, body: str, category: Category | None, tags: list[str], private: bool = False
) -> Question:
    """Create a question (revision 1) and make its author follow it. The same title and
    text from the same author moments ago (a double submit) returns that question.
    ``private``: visible only to the asker and support staff (never indexed, listed or
    reviewed by the community's moderators)."""
    permissions.check_can_write(author)
    now = timezone.now()
    User.objects.select_for_update().filter(pk=author.pk).first()  # one author's asks in turn
    mine = Question.objects.filter(author=author, title=title)
    if (same := resubmitted(mine, author=author, body=body, now=now)) is not None:
        return same  # type: ignore[no-any-return]
    question = Question.objects.create(
        author=author,
        title=title,
        body=body,
        body_html=render_markdown(body),
        category=category,
        created_at=now,
        last_activity_at=now,
        asker_active_at=now,
        is_private=private,
        **({} if private else coaching_fields(author, now=now)),
    )
    permissions.check_can_use_tags(author, tags)
    question.tags.set(tags)
    record_revision(question, author=author, at=now)
    follow_question(question, user=author)
    queue_reindex(question.pk)
    thread_event("question_asked", question, by=author)
    if not (private or question.in_coaching):  # private: not the moderators' to read; coached instead
        queue_new_post(question)
    return question


@transaction.atomic
def set_privacy(question: Question, *, private: bool, by: User) -> bool:
    """Support staff make a thread private (only its asker and staff see it) or public
    again; the search index and the feedback routing follow. True when it changed. (Not
    in the moderators' audit log: its readers may not see the thread.)"""
    permissions.check_can_change_privacy(by)
    changed = Question.objects.filter(pk=question.pk, is_private=not private).update(is_private=private)
    question.is_private = private
    if changed:
        queue_reindex(question.pk)
        thread_event("question_edited", question, by=by)
    return bool(changed)


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
    audit_if_moderated(
        "edit",
        question,
        by=by,
        reason=summary,
        before={"title": question.title, "body": question.body[:2000]},
        after={"title": title, "body": body[:2000]},
    )
    now = timezone.now()
    question.title = title
    question.body = body
    question.body_html = render_markdown(body)
    question.category = category
    question.edited_at = now
    question.last_activity_at = now
    if by.pk == question.author_id:
        question.asker_active_at = now
    permissions.check_can_use_tags(by, tags)
    question.save()
    question.tags.set(tags)
    record_revision(question, author=by, at=now, summary=summary)
    queue_reindex(question.pk)
    thread_event("question_edited", question, by=by)
    if question.closed_at is not None and by.pk == question.author_id:
        # The asker improved a closed question: reviewers decide whether to reopen it.
        open_review(question, kind=ReviewKind.REOPEN, note="edited by the asker after closing")
    return question


@transaction.atomic
def delete_question(question: Question, *, by: User) -> None:
    """Soft-delete: the row stays, hidden from all but staff, and can be restored; the
    reputation its votes moved is reversed (and awarded again on restore)."""
    permissions.check_can_delete(by, question)
    if withdraw(question, by=by):
        audit_if_moderated("delete", question, by=by)


@transaction.atomic
def restore_question(question: Question, *, by: User) -> None:
    permissions.check_can_restore(by, question)
    if reinstate(question, by=by):
        audit_if_moderated("undelete", question, by=by)
