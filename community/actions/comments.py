"""Commenting on questions and answers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.actions import outbox
from community.actions.audit import audit_if_moderated
from community.actions.soft_delete import reinstate, withdraw
from community.extensions import thread_event
from community.markdown import render_markdown
from community.models import Answer, Comment, Question
from community.querysets import resubmitted


@transaction.atomic
def add_comment(
    post: Question | Answer, *, author: User, body: str, official: bool = False, private: bool = False
) -> Comment:
    """Add a comment and queue notices to the thread's followers and the answer's author.
    ``official``: a support staff comment for the company (counts as a first reply)."""
    permissions.check_can_comment(author, post)
    if official:
        permissions.check_can_post_officially(author)
    if private:  # only the author, the asker and support staff will see it
        permissions.check_can_post_privately(author, post.thread)
    now = timezone.now()
    target = {"question": post} if isinstance(post, Question) else {"answer": post}
    Question.objects.select_for_update().filter(pk=post.thread.pk).first()  # as answers do
    same = resubmitted(Comment.objects.filter(**target), author=author, body=body, now=now)
    if same is not None:
        return same  # type: ignore[no-any-return]
    comment = Comment.objects.create(
        **target,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        is_official=official,
        is_private=private,
    )
    question = post.thread
    activity: dict[str, object] = {"last_activity_at": now}
    if author.pk == question.author_id:
        activity["asker_active_at"] = now
    Question.objects.filter(pk=question.pk).update(**activity)
    outbox.record("notify.comment_posted", {"comment_id": comment.pk})
    thread_event("comment_posted", question, by=author, post=comment)
    return comment


@transaction.atomic
def delete_comment(comment: Comment, *, by: User) -> None:
    permissions.check_can_delete(by, comment)
    if withdraw(comment, by=by):
        audit_if_moderated("delete", comment, by=by)


@transaction.atomic
def restore_comment(comment: Comment, *, by: User) -> None:
    permissions.check_can_restore(by, comment)
    if reinstate(comment, by=by):
        audit_if_moderated("undelete", comment, by=by)
