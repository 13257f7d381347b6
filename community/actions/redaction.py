"""Redacting personal data (an e-mail address, a phone number, an account number) from a
post and from every earlier revision of it, so the history does not keep what the post
no longer shows."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace

from accounts.models import User
from community import extensions, permissions
from community.actions.audit import audit, tell_author
from community.actions.search import queue_reindex
from community.markdown import render_markdown
from community.models import Answer, AuditEntry, Comment, Notification, Question, Revision
from community.models.moderation import on_post

MARK = "[redacted]"


class RedactionError(ValueError):
    """The request cannot be carried out as given (the message says why)."""


MIN_LENGTH = 3


def scrub(value: Any, text: str) -> Any:
    """``value`` (text, or JSON-like data) with every occurrence of ``text`` redacted."""
    if isinstance(value, str):
        return value.replace(text, MARK)
    if isinstance(value, dict):
        return {key: scrub(item, text) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, text) for item in value]
    return value


@transaction.atomic
def redact(post: Question | Answer | Comment, *, by: User, text: str, reason: str) -> int:
    """Replace every occurrence of ``text`` with "[redacted]" in the post (title and body),
    in all its revisions, in the audit rows and the thread's notifications that quoted it, and
    in what other apps keep of the thread (support's stored digests). Returns
    how many places changed. The audit row of the redaction never holds the text."""
    permissions.check_can_redact(by, post)
    if len(text.strip()) < MIN_LENGTH:
        raise RedactionError(f"Give the exact text to redact (at least {MIN_LENGTH} characters).")
    if not reason.strip():
        raise RedactionError("Say why (the author is told).")
    changed = 0
    if isinstance(post, Question) and text in post.title:
        post.title = post.title.replace(text, MARK)
        changed += 1
    if text in post.body:
        post.body = post.body.replace(text, MARK)
        post.body_html = render_markdown(post.body)
        changed += 1
    if changed:
        post.save(
            update_fields=["title", "body", "body_html"]
            if isinstance(post, Question)
            else ["body", "body_html"]
        )
    if not isinstance(post, Comment):
        revisions = Revision.objects.filter(**on_post(post))
        for field in ("title", "body"):
            changed += revisions.filter(**{f"{field}__contains": text}).update(
                **{field: Replace(field, Value(text), Value(MARK))}
            )
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(post), object_id=post.pk
    )
    for entry in entries:
        before, after = scrub(entry.before, text), scrub(entry.after, text)
        if (before, after) != (entry.before, entry.after):
            AuditEntry.objects.filter(pk=entry.pk).update(before=before, after=after)
            changed += 1
    about_it = Q(content_type=ContentType.objects.get_for_model(Question), object_id=post.thread.pk) | Q(
        content_type=ContentType.objects.get_for_model(post), object_id=post.pk
    )
    changed += Notification.objects.filter(about_it, text__contains=text).update(
        text=Replace("text", Value(text), Value(MARK))
    )
    changed += extensions.redacted(post.thread, text)  # copies kept elsewhere (digests)
    if not changed:
        raise RedactionError(
            "That text is not in this post or its earlier revisions (it must match exactly)."
        )
    queue_reindex(post.thread.pk)
    audit("redact", post, by=by, reason=reason.strip(), after={"places": changed})
    tell_author(post, what="redacted personal data from your post", reason=reason.strip())
    return changed
