"""Incidents: the beat sweep that opens them from the signals, grouping threads into
them, the official status, and resolving.

The sweep (every SUPPORT_INCIDENT_SWEEP_SECONDS) reads the trailing week of new
questions, "I have this too" and negative tone, per tag, category and product team,
and hands them to ``support.signals.sweep``. A surging series opens an incident (or
joins the open one about the same threads: a tag, its category and its team surge
together), grouping the threads of the surging hour; later threads join when the
similar-question ranking the search worker keeps on each question (``related_keys``)
lists a grouped thread. Alerts go out through the outbox, after the commit.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from taggit.models import TaggedItem

from accounts.models import User
from accounts.roles import support_staff_members
from community.actions import outbox
from community.actions.notifications import notify, readers_of
from community.models import Category, Follow, MeToo, NotificationEvent, Question
from support import signals, triage
from support.actions import webhooks
from support.actions.digests import post_signed
from support.actions.feedback import owning_teams
from support.models import (
    GroupedBy,
    Incident,
    IncidentSignal,
    IncidentStage,
    IncidentState,
    IncidentThread,
    IncidentTrigger,
    IncidentUpdate,
    Mention,
    ProductTeam,
    ToneReading,
)
from support.models.incidents import series_label
from support.models.webhooks import WebhookEvent

logger = logging.getLogger("askwell.support")

# A surge joins an open incident when at least this share of its threads are grouped there.
SAME_THREADS = 0.5
TONE_BATCH = 2000  # questions whose tone one sweep reads, at most

_TITLES = {
    IncidentSignal.QUESTIONS: "Surge of new questions in {series}",
    IncidentSignal.ME_TOO: "Surge of “I have this too” in {series}",
    IncidentSignal.NEGATIVE: "Surge of unhappy questions in {series}",
    IncidentSignal.MENTIONS: "Surge of mentions on {series}",
}


class _Threads:
    """What the sweep knows of the threads in its window: each one's series."""

    def __init__(self, rows: Iterable[dict[str, Any]], teams: list[ProductTeam]) -> None:
        self.created: dict[int, datetime] = {}
        self.series: dict[int, list[str]] = {}
        rows = list(rows)
        ids = [row["pk"] for row in rows]
        tags: dict[int, set[str]] = defaultdict(set)
        for object_id, name in TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Question), object_id__in=ids
        ).values_list("object_id", "tag__name"):
            tags[object_id].add(name.lower())
        owners = [(team, team.tag_names, {c.pk for c in team.categories.all()}) for team in teams]
        for row in rows:
            pk, category_id = row["pk"], row["category_id"]
            keys = [f"tag:{name}" for name in sorted(tags[pk])]
            if row["category__slug"]:
                keys.append(f"category:{row['category__slug']}")
            keys += [
                f"team:{team.slug}"
                for team, names, categories in owners
                if names & tags[pk] or category_id in categories
            ]
            self.created[pk] = row["created_at"]
            self.series[pk] = keys


def _window_questions(start: datetime, now: datetime) -> Any:
    return Question.objects.filter(is_deleted=False, import_site__isnull=True).filter(
        created_at__gte=start, created_at__lt=now
    )


def read_tones(questions: Any) -> int:
    """Read the tone of the window's questions not read yet (a bounded batch per sweep)."""
    unread = questions.filter(tone_reading__isnull=True).values_list("pk", "title", "body")[:TONE_BATCH]
    readings = [
        ToneReading(question_id=pk, tone=triage.tone(f"{title}\n{body}")) for pk, title, body in unread
    ]
    ToneReading.objects.bulk_create(readings, ignore_conflicts=True)
    return len(readings)


def _history(series: set[str], start: datetime, teams: list[ProductTeam]) -> dict[str, datetime]:
    """When each series began, as far as the sweep needs it: before the window (judged)
    or not (too young to have a baseline)."""
    older = Question.objects.filter(created_at__lt=start, import_site__isnull=True, is_deleted=False)
    tag_names = {s.removeprefix("tag:") for s in series if s.startswith("tag:")}
    tag_names |= {name for team in teams for name in team.tag_names}
    old_tags = {
        name.lower()
        for name in TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Question),
            tag__name__in=tag_names,
            object_id__in=older.values("pk"),
        )
        .values_list("tag__name", flat=True)
        .distinct()
    }
    old_categories = set(
        older.filter(category__isnull=False).values_list("category__slug", flat=True).distinct()
    )
    old = {f"tag:{name}" for name in old_tags} | {f"category:{slug}" for slug in old_categories}
    for team in teams:
        if team.tag_names & old_tags or {c.slug for c in team.categories.all()} & old_categories:
            old.add(f"team:{team.slug}")
    before = start - timedelta(seconds=1)
    return {
        f"{signal}|{name}": before if name in old else start
        for name in series
        for signal in IncidentSignal.values
    }


def gather(now: datetime) -> tuple[list[tuple[str, datetime]], dict[str, datetime], dict[str, set[int]]]:
    """The events of the trailing window ("signal|series", when), when each series began,
    and the threads of each series' latest hour (``now`` minus one bucket to ``now``)."""
    start = now - signals.BUCKET - signals.WINDOW
    teams = list(ProductTeam.objects.prefetch_related("categories"))
    questions = _window_questions(start, now)
    read_tones(questions)
    rows = list(questions.values("pk", "created_at", "category_id", "category__slug", "tone_reading__tone"))
    me_toos = list(
        MeToo.objects.filter(
            created_at__gte=start, created_at__lt=now, question__is_deleted=False, question__import_site=None
        ).values_list("question_id", "created_at")
    )
    mentioned = {pk for pk, _ in me_toos} - {row["pk"] for row in rows}
    more = Question.objects.filter(pk__in=mentioned).values(
        "pk", "created_at", "category_id", "category__slug"
    )
    threads = _Threads([*rows, *(dict(row) for row in more)], teams)
    events: list[tuple[str, datetime]] = []
    latest: dict[str, set[int]] = defaultdict(set)
    hour = now - signals.BUCKET

    def add(signal: str, pk: int, at: datetime) -> None:
        for series in threads.series[pk]:
            key = f"{signal}|{series}"
            events.append((key, at))
            if at >= hour:
                latest[key].add(pk)

    for row in rows:
        add(IncidentSignal.QUESTIONS, row["pk"], row["created_at"])
        tone = row["tone_reading__tone"]
        if tone is not None and tone <= triage.NEGATIVE:
            add(IncidentSignal.NEGATIVE, row["pk"], row["created_at"])
    for pk, at in me_toos:
        add(IncidentSignal.ME_TOO, pk, at)
    all_series = {series for keys in threads.series.values() for series in keys}
    history = _history(all_series, start, teams)
    # Mentions outside, per channel: how many, and how many unhappy.
    channels: set[str] = set()
    for source, at, tone in Mention.objects.filter(
        inbound=True, created_at__gte=start, created_at__lt=now
    ).values_list("source", "created_at", "tone"):
        channels.add(source)
        events.append((f"{IncidentSignal.MENTIONS}|channel:{source}", at))
        if tone is not None and tone <= triage.NEGATIVE:
            events.append((f"{IncidentSignal.NEGATIVE}|channel:{source}", at))
    older = set(
        Mention.objects.filter(inbound=True, created_at__lt=start, source__in=channels)
        .values_list("source", flat=True)
        .distinct()
    )
    before = start - timedelta(seconds=1)
    for source in channels:
        for signal in (IncidentSignal.MENTIONS, IncidentSignal.NEGATIVE):
            history[f"{signal}|channel:{source}"] = before if source in older else start
    return events, history, latest


def sweep_incidents(*, now: datetime | None = None) -> dict[str, int]:
    """One sweep (beat job): open or extend incidents for the series surging in the hour
    before ``now``, then group new threads similar to the grouped ones."""
    now = now or timezone.now()
    events, history, latest = gather(now)
    # The most specific series first (a tag, then a category, then a team): the incident
    # is named after it, and the wider series surging with it join it.
    surges = sorted(signals.sweep(events, now=now, history=history), key=_specific_first)
    opened = extended = 0
    for surge in surges:
        made = _record_surge(surge, latest[surge.key], now=now)
        opened += made
        extended += not made
    grouped = group_similar(now=now)
    if surges:
        logger.info("Incident sweep: %s surges, %s opened, %s threads grouped", len(surges), opened, grouped)
    return {"surges": len(surges), "opened": opened, "extended": extended, "grouped": grouped}


def _specific_first(surge: signals.Surge) -> tuple[int, float]:
    kind = surge.key.partition("|")[2].partition(":")[0]
    return ({"tag": 0, "category": 1, "team": 2}.get(kind, 3), -surge.z)


def _team_for(series: str) -> ProductTeam | None:
    """The team an incident of this series belongs to: the team itself, or the first team
    owning the tag or category (as feedback is routed)."""
    kind, _, name = series.partition(":")
    if kind == "team":
        return ProductTeam.objects.filter(slug=name).first()
    if kind == "tag":
        owners = owning_teams({name}, None)
    elif kind == "category" and (
        category_id := Category.objects.filter(slug=name).values_list("pk", flat=True).first()
    ):
        owners = owning_teams(set(), category_id)
    else:
        return None
    return owners[0] if owners else None


def _group(incident: Incident, question_ids: Iterable[int], how: str, now: datetime) -> int:
    rows = [
        IncidentThread(incident=incident, question_id=pk, grouped_by=how, added_at=now) for pk in question_ids
    ]
    before = incident.threads.count()
    IncidentThread.objects.bulk_create(rows, ignore_conflicts=True)
    return incident.threads.count() - before


@transaction.atomic
def _record_surge(surge: signals.Surge, threads: set[int], *, now: datetime) -> bool:
    """Extend the open incident of this series and signal, or join the one of this series
    or about the same threads, or open one (True when opened)."""
    signal, _, series = surge.key.partition("|")
    open_incidents = Incident.objects.filter(state=IncidentState.OPEN)
    trigger = (
        IncidentTrigger.objects.select_for_update()
        .filter(incident__in=open_incidents, series=series, signal=signal)
        .select_related("incident")
        .first()
    )
    if trigger is not None:
        trigger.last_at = now
        trigger.peak = max(trigger.peak, surge.count)
        trigger.save(update_fields=["last_at", "peak"])
        _group(trigger.incident, threads, GroupedBy.SIGNAL, now)
        return False
    # Another signal of the same series (its unhappy questions, say), or the same threads.
    same_series = IncidentTrigger.objects.filter(incident__in=open_incidents, series=series).first()
    incident = same_series.incident if same_series is not None else _incident_about(threads)
    opened = incident is None
    if incident is None:
        try:
            with transaction.atomic():
                incident = Incident.objects.create(
                    title=_TITLES[IncidentSignal(signal)].format(series=series_label(series)),
                    key=surge.key,
                    team=_team_for(series),
                    detected_at=surge.at,
                    last_grouped_at=now,
                )
        except IntegrityError:  # a concurrent sweep opened it first
            incident = Incident.objects.get(key=surge.key, state=IncidentState.OPEN)
            opened = False
    IncidentTrigger.objects.get_or_create(
        incident=incident,
        series=series,
        signal=signal,
        defaults={
            "first_at": surge.at, "last_at": surge.at, "count": surge.count, "peak": surge.count,
            "baseline": surge.baseline, "z": surge.z,
        },
    )  # fmt: skip
    _group(incident, threads, GroupedBy.SIGNAL, now)
    if opened:
        outbox.record("support.incident_opened", {"incident_id": incident.pk})
        webhooks.emit(WebhookEvent.INCIDENT_OPENED, _payload(incident, "incident.opened"))
    return opened


def _incident_about(threads: set[int]) -> Incident | None:
    """The open incident already grouping most of these threads, if any."""
    if not threads:
        return None
    shared: dict[int, int] = defaultdict(int)
    for incident_id in IncidentThread.objects.filter(
        incident__state=IncidentState.OPEN, question_id__in=threads
    ).values_list("incident_id", flat=True):
        shared[incident_id] += 1
    best = max(shared, key=lambda pk: shared[pk], default=None)
    if best is None or shared[best] < SAME_THREADS * len(threads):
        return None
    return Incident.objects.get(pk=best)


def group_similar(*, now: datetime | None = None) -> int:
    """Group the threads asked since an open incident began whose similar threads (kept by
    the search worker in ``related_keys``) include one it already groups. A thread whose
    similar threads are not worked out yet is looked at again by the next sweep;
    ``last_grouped_at`` records when the grouping last ran."""
    now = now or timezone.now()
    added = 0
    for incident in Incident.objects.filter(state=IncidentState.OPEN):
        grouped = {f"question:{pk}" for pk in incident.threads.values_list("question_id", flat=True)}
        candidates = (
            Question.objects.filter(is_deleted=False, created_at__gte=incident.detected_at - signals.BUCKET)
            .exclude(pk__in=incident.threads.values("question_id"))
            .exclude(related_at__isnull=True)
            .values_list("pk", "related_keys")
        )
        similar = [pk for pk, keys in candidates if grouped & set(keys or ())]
        with transaction.atomic():
            added += _group(incident, similar, GroupedBy.SIMILAR, now)
            Incident.objects.filter(pk=incident.pk).update(last_grouped_at=now)
    return added


# --- staff's work ---------------------------------------------------------------------
def post_status(incident: Incident, *, by: User, stage: str, body: str) -> IncidentUpdate:
    """An official status for every grouped thread; "resolved" resolves the incident."""
    now = timezone.now()
    with transaction.atomic():
        update = IncidentUpdate.objects.create(
            incident=incident, stage=stage, body=body, author=by, created_at=now
        )
        Incident.objects.filter(pk=incident.pk, first_status_at__isnull=True).update(first_status_at=now)
    if stage == IncidentStage.RESOLVED:
        resolve(incident, by=by)
    incident.refresh_from_db()
    return update


@transaction.atomic
def resolve(incident: Incident, *, by: User) -> bool:
    """Resolve an open incident and tell every asker and follower of its threads (once:
    a second resolve, or two at once, changes nothing)."""
    changed = Incident.objects.filter(pk=incident.pk, state=IncidentState.OPEN).update(
        state=IncidentState.RESOLVED, resolved_at=timezone.now(), resolved_by=by
    )
    if changed:
        outbox.record("support.incident_resolved", {"incident_id": incident.pk})
    incident.refresh_from_db()
    return bool(changed)


def add_thread(incident: Incident, question: Question) -> bool:
    return bool(_group(incident, [question.pk], GroupedBy.STAFF, timezone.now()))


def remove_thread(incident: Incident, question_id: int) -> bool:
    return bool(IncidentThread.objects.filter(incident=incident, question_id=question_id).delete()[0])


def rename(incident: Incident, title: str) -> None:
    Incident.objects.filter(pk=incident.pk).update(title=title)
    incident.title = title


# --- alerts (outbox handlers, after the commit) ----------------------------------------
def _payload(incident: Incident, event: str) -> dict[str, Any]:
    return {
        "event": event,
        "incident_id": incident.pk,
        "title": incident.title,
        "url": f"{settings.SITE_URL}{incident.get_absolute_url()}",
        "detected_at": incident.detected_at.isoformat(),
        "triggers": [
            {"series": t.series, "signal": t.signal, "count": t.count, "baseline": t.baseline, "z": t.z}
            for t in incident.triggers.all()
        ],
        "threads": [
            f"{settings.SITE_URL}{link.question.get_absolute_url()}"
            for link in incident.threads.select_related("question")
        ],
    }


@outbox.handler("support.incident_opened")
def alert_opened(payload: dict[str, Any]) -> None:
    """Support staff and the owning team hear of it on the site and by email, and the
    team's webhook (the digests' endpoint, signed the same way) gets it."""
    incident = Incident.objects.select_related("team").filter(pk=payload["incident_id"]).first()
    if incident is None:
        return
    team_members = list(incident.team.members.filter(is_active=True)) if incident.team else []
    staff = list(support_staff_members())
    notify(
        {user.pk: user for user in [*staff, *team_members]}.values(),
        event=NotificationEvent.INCIDENT_OPENED,
        actor=None,
        target=incident,
        text=f"Possible incident: {incident.title}",
        url=reverse("support:incident", kwargs={"pk": incident.pk}),
        dedupe_key=f"incident:{incident.pk}:opened",
    )
    team = incident.team
    if team is not None and team.webhook_url and incident.alert_delivered_at is None:
        body = json.dumps(_payload(incident, "incident.opened"), sort_keys=True).encode()
        status, error = post_signed(
            team.webhook_url, team.webhook_secret, body, delivery=f"incident-{incident.pk}"
        )
        delivered = status is not None and 200 <= status < 300
        Incident.objects.filter(pk=incident.pk).update(
            alert_delivered_at=timezone.now() if delivered else None,
            alert_error="" if delivered else (error or f"HTTP {status}")[:500],
        )
        if not delivered:
            raise ConnectionError(f"Incident webhook failed: {error or status}")  # the outbox retries


@outbox.handler("support.incident_resolved")
def notify_resolved(payload: dict[str, Any]) -> None:
    """Every asker and follower of a grouped thread hears it is resolved, once, with the
    last official status, on their own thread."""
    incident = Incident.objects.filter(pk=payload["incident_id"]).first()
    if incident is None:
        return
    links = incident.threads.select_related("question__author").filter(question__is_deleted=False)
    thread_of: dict[int, Question] = {}
    for link in links:
        thread_of.setdefault(link.question.author_id, link.question)
    for follow in Follow.objects.filter(question__in=[link.question_id for link in links]).select_related(
        "question"
    ):
        thread_of.setdefault(follow.user_id, follow.question)
    users = User.objects.filter(pk__in=thread_of, is_active=True)
    for user in users:
        question = thread_of[user.pk]
        notify(
            readers_of([user], question),
            event=NotificationEvent.INCIDENT_RESOLVED,
            actor=None,
            target=question,
            text=f"Resolved: {incident.title} (about “{question.title}”)",
            url=question.get_absolute_url(),
            dedupe_key=f"incident:{incident.pk}:resolved",
        )
