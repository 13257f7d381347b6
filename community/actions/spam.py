"""Removing a post as spam: hidden like any deletion, and its author pays the penalty."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from accounts.models import User
from community import permissions
from community.actions.audit import audit
from community.actions.reputation import award, reverse_source
from community.actions.soft_delete import withdraw
from community.models import Answer, Question
from community.reputation import Reason


def spam_source(post: Question | Answer) -> str:
    return f"spam:{post._meta.model_name}:{post.pk}"


@transaction.atomic
def remove_as_spam(post: Question | Answer, *, by: User) -> None:
    """Hide the post, reverse what it earned, and charge its author the spam penalty
    (−100 by default). Restoring the post (staff) cancels the penalty."""
    permissions.check_can_remove_spam(by, post)
    if not withdraw(post, by=by):
        return
    audit("spam", post, by=by, reason="removed as spam")
    question = post.thread
    award(
        post.author_id,
        reason=Reason.POST_SPAM,
        source_key=spam_source(post),
        question=question,
        answer=post if isinstance(post, Answer) else None,
    )
    # Their next posts go to review (community.actions.review.queue_new_post).
    User.objects.filter(pk=post.author_id).update(posts_to_review=settings.COMMUNITY_SPAM_REVIEW_NEXT_POSTS)


def cancel_spam_penalty(post: Question | Answer) -> None:
    reverse_source(spam_source(post))
