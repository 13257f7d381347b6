"""Capturing, editing, rating and reviewing knowledge articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import support_staff_members
from community import permissions
from community.actions import outbox
from community.actions.search import queue_reindex_article
from community.markdown import render_markdown
from community.models import (
    Answer,
    Article,
    ArticleFeedback,
    ArticleRevision,
    NotificationEvent,
    Question,
)

# Articles built from CC BY-SA sources are CC BY-SA too; 4.0 may adapt 2.5 and 3.0 work
# (BY-SA's "same or later version" clause), so one licence covers any mix of sources.
SHARE_ALIKE = "CC BY-SA 4.0"


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    summary: str
    body: str
    tags: list[str]
    review_by: date


def default_review_date(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=settings.COMMUNITY_ARTICLE_REVIEW_DAYS)


def _credit(post: Question | Answer, what: str) -> str:
    name = post.author.public_name
    if post.import_site_id is not None and post.import_site is not None:
        return (
            f"{what} by {name} on {post.import_site.domain} ({post.source_url}), "
            f"licensed under {post.licence or 'CC BY-SA'}"
        )
    return f"{what} by {name}"


def sources_of(question: Question) -> tuple[str, str]:
    """The attribution (Markdown) and licence an article built from this thread carries."""
    accepted = question.accepted_answer
    parts = [_credit(question, f"the question “{question.title}”")]
    if accepted is not None:
        parts.append(_credit(accepted, "the accepted answer"))
    imported = question.import_site_id is not None or (accepted is not None and accepted.import_site_id)
    attribution = "Adapted from " + "; and ".join(parts) + "."
    return attribution, SHARE_ALIKE if imported else ""


def prefill(question: Question) -> dict[str, Any]:
    """The capture form's starting point: the question, then the accepted answer."""
    accepted = question.accepted_answer
    summary = " ".join(question.body.split())[:200]
    body = f"## The question\n\n{question.body.strip()}\n"
    if accepted is not None:
        body += f"\n## The answer\n\n{accepted.body.strip()}\n"
    return {
        "title": question.title,
        "summary": summary,
        "body": body,
        "tags": " ".join(sorted(question.tags.names())),
        "review_by": default_review_date(),
    }


def _record_revision(article: Article, *, by: User, at: datetime, note: str = "") -> None:
    last = ArticleRevision.objects.filter(article=article).aggregate(last=Max("number"))["last"] or 0
    ArticleRevision.objects.create(
        article=article,
        number=last + 1,
        author=by,
        title=article.title,
        summary=article.summary,
        body=article.body,
        tags=" ".join(sorted(article.tags.names())),
        note=note[:300],
        created_at=at,
    )


@transaction.atomic
def capture_article(question: Question, *, by: User, draft: ArticleDraft) -> Article:
    permissions.check_can_capture_article(by, question)
    now = timezone.now()
    attribution, licence = sources_of(question)
    article = Article.objects.create(
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
        body_html=render_markdown(draft.body),
        author=by,
        source_question=question,
        attribution=attribution,
        licence=licence,
        created_at=now,
        updated_at=now,
        review_by=draft.review_by,
    )
    article.tags.set(draft.tags)
    _record_revision(article, by=by, at=now, note="Captured from the thread")
    queue_reindex_article(article.pk)
    return article


@transaction.atomic
def edit_article(article: Article, *, by: User, draft: ArticleDraft, note: str = "") -> Article:
    permissions.check_can_edit_article(by, article)
    now = timezone.now()
    article.title, article.summary, article.body = draft.title, draft.summary, draft.body
    article.body_html = render_markdown(draft.body)
    article.review_by = draft.review_by
    article.updated_at = now
    article.save()
    article.tags.set(draft.tags)
    _record_revision(article, by=by, at=now, note=note)
    queue_reindex_article(article.pk)
    return article


@transaction.atomic
def mark_reviewed(article: Article, *, by: User) -> Article:
    """Staff checked the article is still true: the next review is a period away."""
    permissions.check_can_review_article(by)
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(reviewed_at=now, review_by=default_review_date())
    article.refresh_from_db()
    return article


@transaction.atomic
def rate_article(
    article: Article, *, user: object, session_key: str, helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """Record (or change) one reader's "was this helpful?"; counters follow with F()."""
    member = user if isinstance(user, User) else None
    who = Q(user=member) if member is not None else Q(user__isnull=True, session_key=session_key)
    previous = ArticleFeedback.objects.select_for_update().filter(who, article=article).first()
    if previous is not None:
        if previous.helpful != helpful:
            _count(article, previous.helpful, -1)
            _count(article, helpful, +1)
        previous.helpful = helpful
        previous.comment = comment or previous.comment
        previous.save(update_fields=["helpful", "comment"])
        return previous
    try:
        with transaction.atomic():
            feedback = ArticleFeedback.objects.create(
                article=article,
                user=member,
                session_key="" if member else session_key,
                helpful=helpful,
                comment=comment,
                created_at=timezone.now(),
            )
    except IntegrityError:  # the same reader's double submit: the first one counts
        return ArticleFeedback.objects.get(who, article=article)
    _count(article, helpful, +1)
    return feedback


def _count(article: Article, helpful: bool, delta: int) -> None:
    field = "helpful_count" if helpful else "not_helpful_count"
    Article.objects.filter(pk=article.pk).update(**{field: F(field) + delta})


def remind_reviews(*, today: date | None = None) -> int:
    """Queue one reminder per article whose review date has come (beat job). Each article
    is reminded once per review date: ``review_reminded_for`` remembers it, and the notice
    is keyed by article and date, so neither a rerun nor two runs at once remind twice."""
    today = today or timezone.localdate()
    due = Article.objects.filter(is_deleted=False, review_by__lte=today).exclude(
        review_reminded_for=F("review_by")
    )
    reminded = 0
    for pk, review_by in due.values_list("pk", "review_by"):
        with transaction.atomic():
            claimed = (
                Article.objects.filter(pk=pk, review_by=review_by)
                .exclude(review_reminded_for=review_by)
                .update(review_reminded_for=review_by)
            )
            if claimed:
                outbox.record("notify.article_review", {"article_id": pk, "review_by": review_by.isoformat()})
                reminded += 1
    return reminded


@outbox.handler("notify.article_review")
def notify_article_review(payload: dict[str, Any]) -> None:
    from community.actions.notifications import notify

    article = Article.objects.filter(pk=payload["article_id"], is_deleted=False).first()
    if article is None or article.review_by.isoformat() != payload["review_by"]:
        return  # deleted, or reviewed since the reminder was queued
    notify(
        support_staff_members(),
        event=NotificationEvent.ARTICLE_REVIEW,
        actor=None,
        target=article,
        text=f"Check the knowledge article “{article.title}” is still true "
        f"(review was due {article.review_by:%B %-d, %Y})",
        url=reverse("community:article_detail", kwargs={"pk": article.pk, "slug": article.slug}),
        dedupe_key=f"article-review:{article.pk}:{payload['review_by']}",
    )
