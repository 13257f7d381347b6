"""Revision snapshots, written by the post actions whenever a post is created or edited."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from accounts.models import User
from community.models import Answer, Question, Revision


def record_revision(post: Question | Answer, *, author: User, at: datetime, summary: str = "") -> Revision:
    owner = {"question": post} if isinstance(post, Question) else {"answer": post}
    last = Revision.objects.filter(**owner).aggregate(last=Max("number"))["last"] or 0
    return Revision.objects.create(
        **owner,
        number=last + 1,
        author=author,
        title=post.title if isinstance(post, Question) else "",
        body=post.body,
        tags=" ".join(sorted(post.tags.names())) if isinstance(post, Question) else "",
        summary=summary,
        created_at=at,
    )
