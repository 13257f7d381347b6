"""Recording deflection, so the support dashboard can report real deflection."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.models import Article, DeflectionEvent, DeflectionKind, Question


def _who(user: object) -> User | None:
    return user if isinstance(user, User) else None


def record_hints_shown(*, user: object, session_key: str, typed: str, hits: list[tuple[str, int]]) -> None:
    """``hits``: the (kind, id) of each thread or article shown, kind "question" or "article"."""
    now = timezone.now()
    DeflectionEvent.objects.bulk_create(
        DeflectionEvent(
            kind=DeflectionKind.HINT_SHOWN,
            user=_who(user),
            session_key=session_key,
            question_id=pk if kind != "article" else None,
            article_id=pk if kind == "article" else None,
            typed=typed[:200],
            created_at=now,
        )
        for kind, pk in hits
    )


def record_hint_clicked(
    *, user: object, session_key: str, question: Question | None = None, article: Article | None = None
) -> DeflectionEvent:
    return DeflectionEvent.objects.create(
        kind=DeflectionKind.HINT_CLICKED,
        user=_who(user),
        session_key=session_key,
        question=question,
        article=article,
        created_at=timezone.now(),
    )


@transaction.atomic
def record_solved_it(question: Question, *, by: User) -> bool:
    """A member says an existing thread solved their problem (once per member and thread)."""
    permissions.check_can_say_solved_it(by, question)
    try:
        with transaction.atomic():
            DeflectionEvent.objects.create(
                kind=DeflectionKind.SOLVED_IT, user=by, question=question, created_at=timezone.now()
            )
    except IntegrityError:
        return False
    return True


def settle_hint_clicks(*, now: datetime | None = None) -> int:
    """Judge clicks older than the wait: no question asked by that member or session since
    means the ask page was left after reading a hint. Returns how many were abandoned."""
    now = now or timezone.now()
    wait = timedelta(minutes=settings.COMMUNITY_DEFLECTION_WAIT_MINUTES)
    abandoned = 0
    clicks = DeflectionEvent.objects.filter(
        kind=DeflectionKind.HINT_CLICKED, settled_at__isnull=True, created_at__lte=now - wait
    )
    for click in clicks.iterator():
        asked = Question.objects.filter(
            created_at__gte=click.created_at, created_at__lte=click.created_at + wait
        )
        asked_after = click.user_id is not None and asked.filter(author_id=click.user_id).exists()
        with transaction.atomic():
            if not DeflectionEvent.objects.filter(pk=click.pk, settled_at__isnull=True).update(
                settled_at=now
            ):
                continue  # another run settled it
            if not asked_after:
                DeflectionEvent.objects.create(
                    kind=DeflectionKind.ABANDONED_AFTER_CLICK,
                    user_id=click.user_id,
                    session_key=click.session_key,
                    question_id=click.question_id,
                    article_id=click.article_id,
                    created_at=now,
                )
                abandoned += 1
    return abandoned
