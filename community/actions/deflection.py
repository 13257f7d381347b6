"""Recording deflection, so the support dashboard can report real deflection."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.models import Article, DeflectionEvent, DeflectionKind, Question
from community.models.deflection import OUTCOMES


def _who(user: object) -> User | None:
    return user if isinstance(user, User) else None


def _shown(
    kind: str, *, user: object, session_key: str, hit_kind: str, pk: int, typed: str, when: datetime
) -> DeflectionEvent:
    """An unsaved event: a thread (hit_kind "question") or an article shown while asking."""
    return DeflectionEvent(
        kind=kind,
        user=_who(user),
        session_key=session_key,
        question_id=pk if hit_kind != "article" else None,
        article_id=pk if hit_kind == "article" else None,
        typed=typed[:200],
        created_at=when,
    )


def record_hints_shown(*, user: object, session_key: str, typed: str, hits: list[tuple[str, int]]) -> None:
    """``hits``: the (kind, id) of each thread or article shown, kind "question" or "article"."""
    now = timezone.now()
    DeflectionEvent.objects.bulk_create(
        _shown(
            DeflectionKind.HINT_SHOWN,
            user=user,
            session_key=session_key,
            hit_kind=kind,
            pk=pk,
            typed=typed,
            when=now,
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


def record_card_shown(*, user: object, session_key: str, kind: str, pk: int, typed: str) -> None:
    shown = _shown(
        DeflectionKind.CARD_SHOWN,
        user=user,
        session_key=session_key,
        hit_kind=kind,
        pk=pk,
        typed=typed,
        when=timezone.now(),
    )
    shown.save()


def record_card_verdict(
    *,
    user: User,
    session_key: str,
    solved: bool,
    question: Question | None = None,
    article: Article | None = None,
) -> DeflectionEvent:
    """The customer's answer to "This may already be answered": it solved it, or it is not
    their problem. Both are kept; the attempt's outcome is judged later (below)."""
    return DeflectionEvent.objects.create(
        kind=DeflectionKind.CARD_SOLVED if solved else DeflectionKind.CARD_NOT_MINE,
        user=user,
        session_key=session_key,
        question=question,
        article=article,
        created_at=timezone.now(),
    )


SHOWN = (DeflectionKind.HINT_SHOWN, DeflectionKind.CARD_SHOWN)
SAID_SOLVED = {DeflectionKind.CARD_SOLVED, DeflectionKind.SOLVED_IT}


def settle_ask_attempts(*, now: datetime | None = None) -> dict[str, int]:
    """Beat: judge each attempt to ask that saw suggestions, once it is over (its first
    suggestion is COMMUNITY_DEFLECTION_WAIT_MINUTES old). An attempt is one reader's (a
    member's, or a visitor session's) suggestions within that wait of the first. Its
    outcome, recorded once at the time of its first suggestion: *failed* when they asked a
    question in it anyway; else *successful* when they said a suggestion solved it or
    opened one; else *potential* (saw, left without saying). A visitor cannot ask without
    signing in (a new session), so a visitor's attempt is never failed."""
    now = now or timezone.now()
    wait = timedelta(minutes=settings.COMMUNITY_DEFLECTION_WAIT_MINUTES)
    due = DeflectionEvent.objects.filter(kind__in=SHOWN, settled_at__isnull=True, created_at__lte=now - wait)
    by_reader: dict[tuple[str, Any], list[DeflectionEvent]] = {}
    for event in due.order_by("created_at", "pk").iterator():
        reader = ("user", event.user_id) if event.user_id else ("session", event.session_key)
        by_reader.setdefault(reader, []).append(event)
    counts = {kind.value: 0 for kind in OUTCOMES}
    for (who, key), events in by_reader.items():
        while events:
            start = events[0].created_at
            attempt = [e for e in events if e.created_at <= start + wait]
            events = events[len(attempt) :]
            outcome = _outcome(who, key, start, start + wait)
            with transaction.atomic():
                settled = DeflectionEvent.objects.filter(
                    pk__in=[e.pk for e in attempt], settled_at__isnull=True
                ).update(settled_at=now)
                if not settled:
                    continue  # another run judged it
                DeflectionEvent.objects.create(
                    kind=outcome,
                    user_id=key if who == "user" else None,
                    session_key="" if who == "user" else str(key),
                    question_id=attempt[0].question_id,
                    article_id=attempt[0].article_id,
                    typed=attempt[0].typed,
                    created_at=start,
                    settled_at=now,
                )
                counts[outcome] += 1
    return counts


def _outcome(who: str, key: Any, start: datetime, end: datetime) -> str:
    during = DeflectionEvent.objects.filter(created_at__gte=start, created_at__lte=end)
    during = (
        during.filter(user_id=key) if who == "user" else during.filter(session_key=key, user__isnull=True)
    )
    kinds = set(during.values_list("kind", flat=True))
    if (
        who == "user"
        and Question.objects.filter(author_id=key, created_at__gte=start, created_at__lte=end).exists()
    ):
        return DeflectionKind.ASKED_ANYWAY
    if kinds & SAID_SOLVED or DeflectionKind.HINT_CLICKED in kinds:
        return DeflectionKind.DEFLECTED
    return DeflectionKind.POTENTIAL
