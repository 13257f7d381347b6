"""Answer blocks rendered once and shared by every reader they look the same to.

A thread page signed in spends most of its time rendering the answers (each with its vote
widget, actions, author card and comments). An answer block is stored under a key made
of everything it shows: the answer, its author's card, its comments and their authors,
whether it is the accepted one, and what this reader may do with it (the permission
outcomes, their vote, the vote refusals), the times as they read now and the reader's time
zone. Two readers who would see the same block share one copy; any change to what the
block shows is a new key, so a stored block is never stale (old keys expire). The CSRF
token is the one personal value inside: blocks are rendered with a placeholder, replaced
by the reader's own token each time one is served.

Everything ``community/_answer.html`` (and the partials it includes) shows must be part of
``answer_key``; tests/community/test_fragments.py renders threads both ways, in many
states, and fails when they differ.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.timesince import timesince

from community import permissions

CSRF_MARKER = "\x00askwell-csrf\x00"
ANSWER_RULES = (
    permissions.can_accept,
    permissions.can_mark_helped,
    permissions.can_edit,
    permissions.can_delete,
    permissions.can_remove_spam,
    permissions.can_restore,
    permissions.can_redact,
    permissions.can_flag,
    permissions.can_comment,
    lambda user, answer: permissions.can_post_privately(user, answer.question),
)
COMMENT_RULES = (permissions.can_delete, permissions.can_restore, permissions.can_flag)


def enabled() -> bool:
    return settings.COMMUNITY_FRAGMENT_CACHE_SECONDS > 0


def _member(m: Any) -> tuple[Any, ...]:
    return (
        m.pk,
        m.username,
        m.public_name,
        m.reputation,
        tuple(m.role_badges),
        m.avatar.name if m.avatar else "",
    )


def _imported(post: Any) -> tuple[Any, ...]:
    if not post.import_site_id:
        return ()
    return (post.import_site_id, post.import_site.domain, post.source_url, post.licence, post.licence_url)


def _vote_refusal(user: Any, post: Any, value: int) -> str:
    from community.templatetags.community import vote_refusal

    return vote_refusal(user, post, value)


def answer_key(answer: Any, question: Any, user: Any, path: str) -> str:
    """The key of one answer block as this reader sees it (see the module)."""
    now = timezone.now()
    comments = tuple(
        (
            c.pk, c.is_deleted, c.is_official, c.is_private, c.body_html, _member(c.author),
            c.created_at.isoformat(), timesince(c.created_at, now), _imported(c),
            tuple(rule(user, c) for rule in COMMENT_RULES),
        )
        for c in answer.visible_comments
    )  # fmt: skip
    parts = (
        answer.pk, answer.is_deleted, answer.is_official, answer.is_private, question.is_private,
        answer.helped_asker_at is not None,
        answer.body_html, answer.score, answer.created_at.isoformat(),
        answer.edited_at and answer.edited_at.isoformat(),
        answer.edited_at and timesince(answer.edited_at, now),
        _member(answer.author), _imported(answer),
        answer.pk == question.accepted_answer_id, comments,
        user.is_authenticated, getattr(answer, "my_vote", None), _vote_refusal(user, answer, 1),
        _vote_refusal(user, answer, -1), tuple(rule(user, answer) for rule in ANSWER_RULES),
        path, timezone.get_current_timezone_name(),
    )  # fmt: skip
    return (
        "askwell:fragment:answer:" + hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
    )


def stored_blocks(keys: list[str]) -> dict[str, str]:
    """The stored blocks among these keys, in one cache read."""
    return caches[settings.COMMUNITY_PAGE_CACHE].get_many(keys) if enabled() and keys else {}


def store_block(key: str, html: str) -> None:
    caches[settings.COMMUNITY_PAGE_CACHE].set(key, html, timeout=settings.COMMUNITY_FRAGMENT_CACHE_SECONDS)
