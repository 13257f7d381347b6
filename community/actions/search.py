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
from typing import Any

from django.db.models import Prefetch
from django.utils.html import strip_tags

from community.actions import outbox
from community.models import Answer, Question
from community.search import SearchDocument, get_engine


def queue_reindex(question_id: int) -> None:
    """Record that a thread's search entry must be rewritten (or removed) after commit."""
    outbox.record("search.index", {"question_id": question_id})


def _plain(rendered_html: str) -> str:
    return html.unescape(strip_tags(rendered_html))


def thread_version(question: Question) -> str:
    """Changes whenever the indexed document would change."""
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
        )
    )


def document_for(question: Question) -> SearchDocument:
    """The search document of a thread: the question and its visible answers."""
    answers = getattr(question, "indexed_answers", None)
    if answers is None:
        answers = list(question.answers.filter(is_deleted=False))
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
        created_at=question.created_at,
        version=thread_version(question),
    )


def _threads() -> Any:
    visible_answers = Prefetch(
        "answers", queryset=Answer.objects.filter(is_deleted=False), to_attr="indexed_answers"
    )
    # django-stubs cannot see taggit's manager as prefetchable; it is.
    return Question.objects.select_related("category").prefetch_related("tags", visible_answers)  # type: ignore[misc]


@outbox.handler("search.index")
def apply_reindex(payload: dict[str, Any]) -> None:
    question = _threads().filter(pk=payload["question_id"]).first()
    if question is None or question.is_deleted:
        get_engine().remove([f"question:{payload['question_id']}"])
        return
    get_engine().index([document_for(question)])


def reconcile(*, batch: int = 500) -> dict[str, int]:
    """Compare the index with the database; add missing, rewrite stale, drop deleted."""
    engine = get_engine()
    indexed = engine.versions()
    live = {
        f"question:{pk}": pk for pk in Question.objects.filter(is_deleted=False).values_list("pk", flat=True)
    }
    stale_or_missing = []
    for question in _threads().filter(is_deleted=False).iterator(chunk_size=batch):
        if indexed.get(f"question:{question.pk}") != thread_version(question):
            stale_or_missing.append(document_for(question))
            if len(stale_or_missing) >= batch:
                engine.index(stale_or_missing)
                stale_or_missing = []
    engine.index(stale_or_missing)
    gone = [key for key in indexed if key.startswith("question:") and key not in live]
    engine.remove(gone)
    missing = sum(1 for key in live if key not in indexed)
    return {"missing": missing, "removed": len(gone)}


def rebuild(*, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Empty the index and write every visible thread again. Returns how many."""
    engine = get_engine()
    engine.clear()
    total = Question.objects.filter(is_deleted=False).count()
    done = 0
    pending: list[SearchDocument] = []
    for question in _threads().filter(is_deleted=False).order_by("pk").iterator(chunk_size=batch):
        pending.append(document_for(question))
        if len(pending) >= batch:
            engine.index(pending)
            done += len(pending)
            pending = []
            if progress:
                progress(done, total)
    engine.index(pending)
    done += len(pending)
    if progress:
        progress(done, total)
    return done
