"""Keeping the search index in step with the database.

Actions call ``queue_reindex`` inside their transaction: it writes an outbox row whose
topic starts with ``search.``, which the outbox hands to the dedicated ``search`` queue.
One worker with concurrency 1 consumes that queue, so it is the only writer of the
Whoosh index. ``reconcile`` (beat) repairs missing, stale and deleted entries;
``rebuild`` starts over.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.html import strip_tags

from community import pagecache
from community.actions import outbox
from community.models import Answer, Article, Question
from community.search import SearchDocument, get_engine, vectors
from community.search.selectors import related_to

# The threads the index holds: not deleted, not private, not still in coaching.
INDEXED = {"is_deleted": False, "is_private": False, "in_coaching": False}


def queue_reindex(question_id: int) -> None:
    """Record that a thread's search entry must be rewritten (or removed) after commit."""
    outbox.record("search.index", {"question_id": question_id})


# Threads per outbox item of a bulk reindex: one engine write (and one embedding batch) each.
BULK_CHUNK = 200


def queue_reindex_many(question_ids: list[int]) -> None:
    """Record that many threads were written at once (an import): they are indexed in
    chunks, then each one's related threads are worked out once, with all of them in the
    index. Cheaper than a ``queue_reindex`` each, which also refreshes every neighbour's
    related list (six searches a thread)."""
    ids = sorted(question_ids)
    for start in range(0, len(ids), BULK_CHUNK):
        outbox.record("search.index_many", {"question_ids": ids[start : start + BULK_CHUNK]})
    for start in range(0, len(ids), BULK_CHUNK):
        outbox.record("search.related", {"question_ids": ids[start : start + BULK_CHUNK]})


def queue_reindex_article(article_id: int) -> None:
    """The same for a knowledge article."""
    outbox.record("search.index", {"article_id": article_id})


def _plain(rendered_html: str) -> str:
    return html.unescape(strip_tags(rendered_html))


def _answers_of(question: Question) -> list[Answer]:
    answers = getattr(question, "indexed_answers", None)
    if answers is None:
        answers = list(question.answers.filter(is_deleted=False, is_private=False))
    return answers


def thread_version(question: Question) -> str:
    """Changes whenever the indexed document would change (votes included: they are not
    queued one by one, the reconcile job picks them up)."""
    return ":".join(
        str(part)
        for part in (
            question.created_at.timestamp(),
            question.last_activity_at.timestamp(),
            question.edited_at.timestamp() if question.edited_at else "",
            question.accepted_answer_id or "",
            question.answer_count,
            question.score,
            question.is_deleted,
            question.is_private,
            len(_answers_of(question)),  # public answers: one made private changes it
            max((answer.score for answer in _answers_of(question)), default=0),
        )
    )


def document_for(question: Question) -> SearchDocument:
    """The search document of a thread: the question and its public answers (a private
    thread, or one still in coaching, is never indexed)."""
    answers = _answers_of(question)
    body = "\n\n".join([_plain(question.body_html), *(_plain(a.body_html) for a in answers)])
    return SearchDocument(
        key=f"question:{question.pk}",
        kind="question",
        question_id=question.pk,
        title=question.title,
        body=body,
        tags=tuple(sorted(tag.name for tag in question.tags.all())),
        category=question.category.slug if question.category else "",
        solved=question.accepted_answer_id is not None,
        score=question.score,
        answer_score=max((answer.score for answer in answers), default=0),
        created_at=question.created_at,
        version=thread_version(question),
    )


def article_version(article: Article) -> str:
    return ":".join(
        str(part)
        for part in (article.updated_at.timestamp(), article.helpful_count, article.not_helpful_count)
    )


def document_for_article(article: Article) -> SearchDocument:
    """A knowledge article: its summary and body. It counts as solved (it is an answer),
    and readers' "helpful" minus "not helpful" is its score."""
    question = article.source_question
    return SearchDocument(
        key=f"article:{article.pk}",
        kind="article",
        question_id=article.pk,
        title=article.title,
        body=f"{article.summary}\n\n{_plain(article.body_html)}",
        tags=tuple(sorted(tag.name for tag in article.tags.all())),
        category=question.category.slug if question is not None and question.category else "",
        solved=True,
        score=article.helpful_count - article.not_helpful_count,
        created_at=article.created_at,
        version=article_version(article),
    )


def _articles() -> Any:
    return (
        Article.objects.filter(is_deleted=False)
        .select_related("source_question__category")
        .prefetch_related("tags")  # type: ignore[misc]  # taggit's manager is prefetchable
    )


def _threads() -> Any:
    visible_answers = Prefetch(
        "answers",
        queryset=Answer.objects.filter(is_deleted=False, is_private=False),
        to_attr="indexed_answers",
    )
    # django-stubs cannot see taggit's manager as prefetchable; it is.
    return Question.objects.select_related("category").prefetch_related("tags", visible_answers)  # type: ignore[misc]


@outbox.handler("search.index")
def apply_reindex(payload: dict[str, Any]) -> None:
    if "article_id" in payload:
        article = _articles().filter(pk=payload["article_id"]).first()
        if article is None:
            get_engine().remove([f"article:{payload['article_id']}"])
        else:
            get_engine().index([document_for_article(article)])
        pagecache.bump()
        return
    question = _threads().filter(pk=payload["question_id"]).first()
    if question is None or question.is_deleted or question.is_private or question.in_coaching:
        get_engine().remove([f"question:{payload['question_id']}"])
    else:
        get_engine().index([document_for(question)])
        # Its related threads, and theirs: what is related to it is likely to list it now.
        keys = refresh_related([question.pk])
        refresh_related(
            [int(key.split(":")[1]) for key in keys.get(question.pk, []) if key.startswith("question:")]
        )
    pagecache.bump()  # search results come from the index


@outbox.handler("search.index_many")
def apply_reindex_many(payload: dict[str, Any]) -> None:
    ids = payload["question_ids"]
    threads = list(_threads().filter(pk__in=ids, **INDEXED))
    engine = get_engine()
    engine.index([document_for(question) for question in threads])
    gone = set(ids) - {question.pk for question in threads}
    engine.remove([f"question:{pk}" for pk in sorted(gone)])
    pagecache.bump()


@outbox.handler("search.related")
def apply_refresh_related(payload: dict[str, Any]) -> None:
    refresh_related(payload["question_ids"])
    pagecache.bump()


def refresh_related(question_ids: list[int]) -> dict[int, list[str]]:
    """Work out the "Related questions" of these threads from the index and keep them on
    the question (its page reads them; it never searches). Returns the keys per thread."""
    now = timezone.now()
    found: dict[int, list[str]] = {}
    threads = Question.objects.filter(pk__in=question_ids, **INDEXED)
    for question in threads.only("pk", "title"):
        hits = related_to(question)
        found[question.pk] = [hit.key for hit in hits]
        Question.objects.filter(pk=question.pk).update(related_keys=found[question.pk], related_at=now)
    return found


def refresh_stale_related(*, batch: int) -> int:
    """Beat: the threads whose related list is missing or older than
    COMMUNITY_RELATED_MAX_AGE_HOURS (new threads elsewhere may belong in it), oldest first."""
    due = timezone.now() - timedelta(hours=settings.COMMUNITY_RELATED_MAX_AGE_HOURS)
    stale = (
        Question.objects.filter(**INDEXED)
        .filter(Q(related_at__isnull=True) | Q(related_at__lt=due))
        .order_by(F("related_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:batch]
    )
    return len(refresh_related(list(stale)))


def reconcile(*, batch: int = 500) -> dict[str, int]:
    """Compare the index with the database; add missing, rewrite stale, drop deleted."""
    engine = get_engine()
    indexed = engine.versions()
    public = Question.objects.filter(**INDEXED)
    live = {f"question:{pk}": pk for pk in public.values_list("pk", flat=True)}
    stale_or_missing = []
    rewritten = 0
    for question in _threads().filter(**INDEXED).iterator(chunk_size=batch):
        if indexed.get(f"question:{question.pk}") != thread_version(question):
            rewritten += 1
            stale_or_missing.append(document_for(question))
            if len(stale_or_missing) >= batch:
                engine.index(stale_or_missing)
                stale_or_missing = []
    live.update(
        {f"article:{pk}": pk for pk in Article.objects.filter(is_deleted=False).values_list("pk", flat=True)}
    )
    for article in _articles().iterator(chunk_size=batch):
        if indexed.get(f"article:{article.pk}") != article_version(article):
            rewritten += 1
            stale_or_missing.append(document_for_article(article))
    engine.index(stale_or_missing)
    gone = [key for key in indexed if key not in live]
    engine.remove(gone)
    missing = sum(1 for key in live if key not in indexed)
    if rewritten or gone:
        pagecache.bump()
    compacted = engine.compact(settings.COMMUNITY_SEARCH_MAX_PARTS)
    return {"missing": missing, "removed": len(gone), "compacted": int(compacted)}


def rebuild(*, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Empty the index and write every visible thread and article again. Returns how many."""
    engine = get_engine()
    engine.clear()
    total = Question.objects.filter(**INDEXED).count() + Article.objects.filter(is_deleted=False).count()
    done = 0
    pending: list[SearchDocument] = [document_for_article(article) for article in _articles()]
    for question in _threads().filter(**INDEXED).order_by("pk").iterator(chunk_size=batch):
        pending.append(document_for(question))
        if len(pending) >= batch:
            engine.index(pending)
            done += len(pending)
            pending = []
            if progress:
                progress(done, total)
    engine.index(pending)
    done += len(pending)
    engine.compact()  # one segment: what searches read fastest
    pagecache.bump()
    if progress:
        progress(done, total)
    return done


def snapshot_vectors() -> bool:
    """Beat, on the search queue: write the vectors' shared snapshot when the table moved
    on since the last one (community/search/vectors.py)."""
    if not settings.COMMUNITY_EMBEDDINGS:
        return False
    return vectors.write_snapshot()
