"""The review queues: which new posts go to review, and what reviewers do with an item.

Queues (``ReviewKind``): flagged posts; first posts of new members (and the next posts of
a member whose post was removed as spam), reviewed after publishing so nothing waits on
a reviewer; late answers on old questions; close votes; reopen votes. Every item is
claimed atomically (two reviewers never hold one item), decided with one of the verdicts
its queue allows, or skipped (it leaves that reviewer's view, not the queue).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import extensions, permissions
from community.actions.audit import audit, tell_author
from community.actions.closing import leave_as_is, vote_to_close, vote_to_reopen
from community.actions.moderation import open_review
from community.actions.queues import QueueConflict, claim, release, transition
from community.actions.soft_delete import reinstate, withdraw
from community.actions.spam import remove_as_spam
from community.models import (
    Answer,
    AuditEntry,
    Comment,
    Flag,
    FlagOutcome,
    Question,
    ReviewItem,
    ReviewKind,
    ReviewState,
)
from community.models.moderation import on_post

Post = Question | Answer | Comment

VERDICTS = {
    "approve": "Approve: it can stay as it is",
    "remove": "Remove it",
    "spam": "Remove it as spam (its author loses reputation)",
    "keep": "Keep it: decline the flags",
    "close": "Close the question",
    "leave_open": "Leave it open",
    "reopen": "Reopen the question",
    "leave_closed": "Leave it closed",
    "route_support": "Route to support (opens an escalation)",
    "route_feedback": "Route to product feedback (adds the feedback tag)",
}
DONE = {
    "approve": "Approved",
    "remove": "Removed",
    "spam": "Removed as spam",
    "keep": "Kept: the flags were declined",
    "close": "Closed",
    "leave_open": "Left open",
    "reopen": "Reopened",
    "leave_closed": "Left closed",
    "route_support": "Routed to support",
    "route_feedback": "Routed to product feedback",
}
_ROUTES = ("route_support", "route_feedback")
VERDICTS_FOR = {
    ReviewKind.FLAG: ("remove", "spam", "keep", "close", *_ROUTES),
    ReviewKind.FIRST_POST: ("approve", "remove", "spam", "close", *_ROUTES),
    ReviewKind.LATE_ANSWER: ("approve", "remove", "spam", *_ROUTES),
    ReviewKind.CLOSE: ("close", "leave_open"),
    ReviewKind.REOPEN: ("reopen", "leave_closed"),
}


def verdicts_for(item: ReviewItem) -> dict[str, str]:
    """The verdicts this item allows: closing is for questions, a comment is removed
    rather than charged as spam, and product feedback needs feedback tags to exist."""
    post = item.post
    allowed = []
    for verdict in VERDICTS_FOR[ReviewKind(item.kind)]:
        if verdict == "close" and item.kind != ReviewKind.CLOSE and not isinstance(post, Question):
            continue
        if verdict == "spam" and isinstance(post, Comment):
            continue
        if verdict == "route_feedback" and not extensions.feedback_tags():
            continue
        allowed.append(verdict)
    return {verdict: VERDICTS[verdict] for verdict in allowed}


def queue_new_post(post: Question | Answer) -> ReviewItem | None:
    """Send a new post to review when the rules say so (it is already published):

    - the author's post was removed as spam, and this is one of their next posts;
    - it is the author's first question, or first answer;
    - it is an answer on a question older than ``COMMUNITY_LATE_ANSWER_DAYS``, from a
      member without the review privilege.

    Moderators' posts and imported history never go to review."""
    author = post.author
    if post.import_site_id is not None or permissions.is_moderator(author):
        return None
    noun = "question" if isinstance(post, Question) else "answer"
    if User.objects.filter(pk=author.pk, posts_to_review__gt=0).update(
        posts_to_review=F("posts_to_review") - 1
    ):
        return open_review(post, kind=ReviewKind.FIRST_POST, note=f"a {noun} after a spam removal")
    earlier = type(post)._default_manager.filter(author=author, import_site__isnull=True).exclude(pk=post.pk)
    if not earlier.exists():
        return open_review(post, kind=ReviewKind.FIRST_POST, note=f"first {noun}")
    if isinstance(post, Answer) and not permissions.can_review(author):
        asked = post.question.created_at
        if asked < timezone.now() - timedelta(days=settings.COMMUNITY_LATE_ANSWER_DAYS):
            return open_review(
                post, kind=ReviewKind.LATE_ANSWER, note=f"answer {(timezone.now() - asked).days} days late"
            )
    return None


@transaction.atomic
def claim_review(item: ReviewItem, *, by: User) -> ReviewItem:
    permissions.check_can_review(by)
    return claim(item, by=by)


@transaction.atomic
def skip_review(item: ReviewItem, *, by: User) -> None:
    """Pass on an item: it leaves this reviewer's queue (and their hands), no one else's."""
    permissions.check_can_review(by)
    item.skipped_by.add(by)
    if item.assignee_id == by.pk and item.is_open:
        release(item, by=by)


@transaction.atomic
def decide_review(
    item: ReviewItem,
    *,
    verdict: str,
    by: User,
    note: str = "",
    reason: str = "",
    duplicate_of: Question | None = None,
    tag: str = "",
) -> ReviewItem:
    """Settle an item with one of its verdicts. Flags: remove (flags helpful), spam (and
    the author pays the penalty), keep (flags declined; a post hidden by flags comes
    back). First posts and late answers: approve or remove. Close and reopen queues: the
    reviewer's vote (a moderator's settles it). Any post: route the thread to support or
    to product feedback. The author hears removals with the reason; every step is audited."""
    permissions.check_can_review(by)
    if not item.is_open:
        raise QueueConflict("It has been settled already.")
    if verdict not in verdicts_for(item):
        raise PermissionDenied("That is not one of this item's choices.")
    if item.assignee_id not in (None, by.pk):
        raise PermissionDenied("Another reviewer holds this item.")
    post = item.post
    thread = post.thread
    if item.kind in (ReviewKind.CLOSE, ReviewKind.REOPEN):
        return _vote(
            item, thread, verdict=verdict, by=by, note=note, reason=reason, duplicate_of=duplicate_of
        )
    before = {"is_deleted": post.is_deleted}
    if verdict == "spam":
        if post.is_deleted:
            reinstate(post, by=by)  # so the spam removal charges and reverses exactly once
        remove_as_spam(post, by=by)  # type: ignore[arg-type]  # verdicts_for excludes comments
    elif verdict == "remove":
        withdraw(post, by=by)
    elif verdict == "keep" and post.is_deleted and _hidden_by_flags(post):
        reinstate(post, by=by)
    elif verdict == "close" and thread.closed_at is None:
        vote_to_close(thread, by=by, reason=reason, duplicate_of=duplicate_of, note=note)
    elif verdict == "route_support":
        extensions.thread_event(
            "needs_staff", thread, by=by, post=SimpleNamespace(detail=note or "routed from review")
        )
    elif verdict == "route_feedback":
        _add_feedback_tag(thread, tag=tag, by=by)
    if item.kind == ReviewKind.FLAG:
        outcome = FlagOutcome.DECLINED if verdict == "keep" else FlagOutcome.HELPFUL
        Flag.objects.filter(**on_post(post), outcome="").update(
            outcome=outcome, decided_by=by, decided_at=timezone.now()
        )
    post.refresh_from_db()
    item = transition(item, ReviewState.DONE, by=by, note=DONE[verdict], extra={"resolution": verdict})
    action = f"flags_{verdict}" if item.kind == ReviewKind.FLAG else f"review_{verdict}"
    audit(
        action,
        post,
        by=by,
        reason=note or DONE[verdict],
        before=before,
        after={"is_deleted": post.is_deleted},
    )
    if verdict in ("remove", "spam"):
        tell_author(post, what="removed your post", reason=note or DONE[verdict])
        _settle_others(item, post, by=by, verdict=verdict)
    return item


def _settle_others(item: ReviewItem, post: Post, *, by: User, verdict: str) -> None:
    """A removed post leaves every queue: its other open items are done too (its flags
    were right)."""
    for other in ReviewItem.objects.open().filter(**on_post(post)).exclude(pk=item.pk):
        try:
            transition(other, ReviewState.DONE, by=by, note=f"{DONE[verdict]} from another queue",
                       extra={"resolution": verdict})  # fmt: skip
        except QueueConflict:
            continue
    Flag.objects.filter(**on_post(post), outcome="").update(
        outcome=FlagOutcome.HELPFUL, decided_by=by, decided_at=timezone.now()
    )


def _vote(
    item: ReviewItem, question: Question, *, verdict: str, by: User, note: str, reason: str,
    duplicate_of: Question | None,
) -> ReviewItem:  # fmt: skip
    if verdict == "close":
        vote_to_close(question, by=by, reason=reason, duplicate_of=duplicate_of, note=note)
    elif verdict == "reopen":
        vote_to_reopen(question, by=by, note=note)
    else:
        leave_as_is(question, by=by, kind=item.kind)
    item.refresh_from_db()
    if item.is_open:  # their vote is in; the item waits for the others
        item.skipped_by.add(by)
        if item.assignee_id == by.pk:
            release(item, by=by)
    return item


def _hidden_by_flags(post: Post) -> bool:
    return AuditEntry.objects.filter(
        action="hidden_by_flags", content_type=ContentType.objects.get_for_model(post), object_id=post.pk
    ).exists()


def _add_feedback_tag(question: Question, *, tag: str, by: User) -> None:
    from community.actions.questions import edit_question

    tags = extensions.feedback_tags()
    if tag not in tags:
        raise PermissionDenied(f"Choose one of the feedback tags: {', '.join(tags)}.")
    names = question.tags.names()
    if tag in names:
        return
    edit_question(
        question, by=by, title=question.title, body=question.body, category=question.category,
        tags=[*names, tag], summary="routed to product feedback from review",
    )  # fmt: skip
