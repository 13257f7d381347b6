"""The support dashboard's numbers: the community as a value centre.

``measure(start, end)`` reads the questions asked in the period (imported history
excluded) with a fixed number of queries, whatever the period's size, and returns plain
data; the percentiles and rates are pure functions over it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.roles import ADVOCATE, SUPPORT_STAFF
from community.actions.gaps import week_of
from community.models import (
    Answer,
    Article,
    ArticleFeedback,
    DeflectionEvent,
    DeflectionKind,
    Question,
    SearchGap,
    TriageDecision,
)
from community.models.deflection import OUTCOMES
from community.triage_tree import OUTCOMES as TRIAGE_OUTCOMES
from support.models import Escalation, EscalationReason, Incident
from support.querysets import first_official_comment_at, first_on_question

BACKLOG_BUCKETS = [("under 4 h", 4), ("4–24 h", 24), ("1–3 days", 72), ("over 3 days", None)]


def percentile(values: list[float], share: float) -> float | None:
    """The ``share`` percentile (0–1) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class DayRow:
    day: date
    asked: int = 0
    solved_without_staff: int = 0
    escalated: int = 0


@dataclass
class WeekRow:
    """One week's attempts to ask that saw suggestions, by outcome class
    (community.actions.deflection.settle_ask_attempts)."""

    week: date  # its Monday
    deflected: int = 0
    asked_anyway: int = 0
    potential: int = 0
    incidents: int = 0  # detected that week
    articles: int = 0  # knowledge articles written that week
    helpful: int = 0  # "this helped" votes on articles that week

    @property
    def attempts(self) -> int:
        return self.deflected + self.asked_anyway + self.potential

    @property
    def rate(self) -> float | None:
        """Successful deflections as a share of every attempt that saw a suggestion."""
        return rate(self.deflected, self.attempts)

    @property
    def saved(self) -> float:
        return self.deflected * settings.SUPPORT_COST_PER_TICKET


@dataclass
class CoachingRow:
    """First questions asked in the period, coached or not: how many stayed open (not
    deleted, not closed) and how many were answered."""

    label: str
    asked: int = 0
    survived: int = 0
    answered: int = 0

    @property
    def survival_rate(self) -> float | None:
        return rate(self.survived, self.asked)

    @property
    def answer_rate(self) -> float | None:
        return rate(self.answered, self.asked)


@dataclass
class PlanRow:
    """The escalations of one customer plan in the period, against their SLA."""

    plan: str
    escalations: int = 0
    breached: int = 0
    first_replies: list[float] = field(default_factory=list)  # hours to the first staff reply
    resolutions: list[float] = field(default_factory=list)  # hours to resolved

    @property
    def first_reply_p90(self) -> float | None:
        found = percentile(self.first_replies, 0.9)
        return None if found is None else round(found, 1)

    @property
    def resolution_p90(self) -> float | None:
        found = percentile(self.resolutions, 0.9)
        return None if found is None else round(found, 1)


@dataclass
class Dashboard:
    start: datetime
    end: datetime
    asked: int = 0
    solved: int = 0
    solved_without_staff: int = 0
    escalated: int = 0
    breaches: int = 0
    community_first_replies: list[float] = field(default_factory=list)  # hours
    staff_first_replies: list[float] = field(default_factory=list)
    backlog: list[tuple[str, int]] = field(default_factory=list)
    top_answerers: list[dict[str, Any]] = field(default_factory=list)
    deflection: dict[str, int] = field(default_factory=dict)
    days: list[DayRow] = field(default_factory=list)
    weeks: list[WeekRow] = field(default_factory=list)
    # Value: crises seen early, knowledge gleaned, what advocates carry.
    incidents_detected: int = 0
    minutes_to_status: list[float] = field(default_factory=list)  # first signal → first official status
    articles_created: int = 0
    articles_helpful: int = 0  # the helpful votes those articles have had
    articles_not_helpful: int = 0
    helpful_votes: int = 0  # helpful votes cast in the period, on any article
    accepted_community: int = 0  # accepted community answers written in the period
    accepted_advocates: int = 0  # of those, written by advocates
    sla_by_plan: list[PlanRow] = field(default_factory=list)
    # The triage tree: how often each branch's outcome was reached, on what.
    triage: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    coaching: list[CoachingRow] = field(default_factory=list)

    @property
    def minutes_to_status_median(self) -> float | None:
        found = percentile(self.minutes_to_status, 0.5)
        return None if found is None else round(found)

    @property
    def advocate_share(self) -> float | None:
        return rate(self.accepted_advocates, self.accepted_community)

    @property
    def outcomes(self) -> WeekRow:
        """The period's outcome classes, all weeks together."""
        total = WeekRow(self.start.date())
        for week in self.weeks:
            total.deflected += week.deflected
            total.asked_anyway += week.asked_anyway
            total.potential += week.potential
        return total

    @property
    def deflection_rate(self) -> float | None:
        return rate(self.solved_without_staff, self.asked)

    @property
    def solved_rate(self) -> float | None:
        return rate(self.solved, self.asked)

    @property
    def escalation_rate(self) -> float | None:
        return rate(self.escalated, self.asked)

    def first_reply(self, who: str, share: float) -> float | None:
        values = self.community_first_replies if who == "community" else self.staff_first_replies
        found = percentile(values, share)
        return None if found is None else round(found, 1)

    @property
    def community_median(self) -> float | None:
        return self.first_reply("community", 0.5)

    @property
    def community_p90(self) -> float | None:
        return self.first_reply("community", 0.9)

    @property
    def staff_median(self) -> float | None:
        return self.first_reply("staff", 0.5)

    @property
    def staff_p90(self) -> float | None:
        return self.first_reply("staff", 0.9)


def _staff_q(prefix: str) -> Q:
    return Q(**{f"{prefix}__groups__name": SUPPORT_STAFF}) | Q(**{f"{prefix}__is_superuser": True})


def measure(start: datetime, end: datetime, *, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    board = Dashboard(start=start, end=end)
    # Questions are measured from native questions asked in the period.
    not_the_asker = Answer.objects.exclude(author=OuterRef("author"))
    first_community = first_on_question(not_the_asker.exclude(_staff_q("author")))
    first_staff_answer = first_on_question(not_the_asker.filter(Q(is_official=True) | _staff_q("author")))
    escalated = (
        Escalation.objects.filter(question=OuterRef("pk"))
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    accepted_by_staff = Q(accepted_answer__is_official=True) | _staff_q("accepted_answer__author")
    questions = (
        Question.objects.filter(
            import_site__isnull=True, is_deleted=False, created_at__gte=start, created_at__lt=end
        )
        .annotate(
            community_at=first_community,
            staff_answer_at=first_staff_answer,
            staff_comment_at=first_official_comment_at(),
            escalation_count=Subquery(escalated),
        )
        .values(
            "pk",
            "created_at",
            "accepted_answer_id",
            "community_at",
            "staff_answer_at",
            "staff_comment_at",
            "escalation_count",
        )
    )
    staff_accepted = set(
        Question.objects.filter(
            import_site__isnull=True, created_at__gte=start, created_at__lt=end, accepted_answer__isnull=False
        )
        .filter(accepted_by_staff)
        .values_list("pk", flat=True)
    )
    days: dict[date, DayRow] = {}
    for row in questions.iterator(chunk_size=2000):
        board.asked += 1
        day = timezone.localtime(row["created_at"]).date()
        bucket = days.setdefault(day, DayRow(day))
        bucket.asked += 1
        if row["accepted_answer_id"]:
            board.solved += 1
            if not row["escalation_count"] and row["pk"] not in staff_accepted:
                board.solved_without_staff += 1
                bucket.solved_without_staff += 1
        if row["escalation_count"]:
            board.escalated += 1
            bucket.escalated += 1
        if row["community_at"]:
            board.community_first_replies.append(
                (row["community_at"] - row["created_at"]).total_seconds() / 3600
            )
        staff_at = [t for t in (row["staff_answer_at"], row["staff_comment_at"]) if t]
        if staff_at:
            board.staff_first_replies.append((min(staff_at) - row["created_at"]).total_seconds() / 3600)
    board.days = _every_day(days, start, end)
    board.breaches = (
        Escalation.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(
            Q(reason__in=[EscalationReason.FIRST_REPLY, EscalationReason.SOLUTION])
            | Q(breached_at__isnull=False)
        )
        .count()
    )
    board.backlog = _backlog(now)
    board.top_answerers = [
        dict(row)
        for row in Answer.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            is_deleted=False,
            import_site__isnull=True,
            is_official=False,
        )
        .exclude(_staff_q("author"))
        .values("author__username", "author__display_name")
        .annotate(
            answers=Count("pk"),
            accepted=Count("pk", filter=Q(question__accepted_answer=F("pk"))),
        )
        .order_by("-accepted", "-answers", "author__username")[:10]
    ]
    board.deflection = _deflection(start, end)
    board.weeks = _weeks(start, end)
    _value(board, start, end)
    board.sla_by_plan = _sla_by_plan(start, end)
    board.triage = _triage(start, end)
    board.coaching = _coaching(start, end)
    return board


def _coaching(start: datetime, end: datetime) -> list[CoachingRow]:
    """Coached questions against the first questions that were not coached (before
    coaching was on, or with it off), asked in the period."""
    coached, uncoached = CoachingRow("Coached"), CoachingRow("First questions, not coached")
    earlier = Question.objects.filter(
        author=OuterRef("author"), created_at__lt=OuterRef("created_at"), import_site__isnull=True
    )
    rows = (
        Question.objects.filter(import_site__isnull=True, created_at__gte=start, created_at__lt=end)
        .filter(Q(was_coached=True) | ~Exists(earlier))
        .values_list("was_coached", "in_coaching", "is_deleted", "closed_at", "answer_count")
    )
    for was_coached, waiting, deleted, closed, answers in rows:
        if waiting:
            continue  # not published yet: not judged
        row = coached if was_coached else uncoached
        row.asked += 1
        row.survived += not deleted and closed is None
        row.answered += answers > 0
    return [coached, uncoached]


def _triage(start: datetime, end: datetime) -> list[tuple[str, dict[str, int]]]:
    """Each outcome of the triage tree, in the tree's order, with its count per kind of
    thing triaged (escalation, review, mention) and in all."""
    counts: dict[str, dict[str, int]] = {key: {"all": 0} for key in TRIAGE_OUTCOMES}
    for outcome, kind, n in (
        TriageDecision.objects.filter(at__gte=start, at__lt=end)
        .values_list("outcome", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row = counts.setdefault(outcome, {"all": 0})
        row[kind] = row.get(kind, 0) + n
        row["all"] += n
    labels = {key: outcome.label for key, outcome in TRIAGE_OUTCOMES.items()}
    return [(labels.get(key, key), row) for key, row in counts.items()]


def _sla_by_plan(start: datetime, end: datetime) -> list[PlanRow]:
    """Each plan's escalations opened in the period: how many, how many breached, and the
    90th percentile of the hours to the first staff reply and to resolution."""
    rows: dict[str, PlanRow] = {}
    escalations = (
        Escalation.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by("question__author__plan__position", "pk")
        .values_list(
            "question__author__plan__name", "created_at", "breached_at", "first_staff_reply_at", "resolved_at"
        )
    )
    for plan, created, breached, replied, resolved in escalations:
        row = rows.setdefault(plan or "No plan", PlanRow(plan or "No plan"))
        row.escalations += 1
        row.breached += breached is not None
        if replied is not None:
            row.first_replies.append(max(0.0, (replied - created).total_seconds() / 3600))
        if resolved is not None:
            row.resolutions.append(max(0.0, (resolved - created).total_seconds() / 3600))
    return list(rows.values())


def _value(board: Dashboard, start: datetime, end: datetime) -> None:
    """Incidents detected and how soon staff said something, articles written and how
    helpful readers found them, and the advocates' share of accepted answers."""
    weeks = {row.week: row for row in board.weeks}

    def week(at: datetime) -> WeekRow:
        monday = week_of(at)
        return weeks.setdefault(monday, WeekRow(monday))

    for detected, first_status in Incident.objects.filter(
        detected_at__gte=start, detected_at__lt=end
    ).values_list("detected_at", "first_status_at"):
        board.incidents_detected += 1
        week(detected).incidents += 1
        if first_status is not None:
            board.minutes_to_status.append(max(0.0, (first_status - detected).total_seconds() / 60))
    for created, helpful, not_helpful in Article.objects.filter(
        is_deleted=False, created_at__gte=start, created_at__lt=end
    ).values_list("created_at", "helpful_count", "not_helpful_count"):
        board.articles_created += 1
        board.articles_helpful += helpful
        board.articles_not_helpful += not_helpful
        week(created).articles += 1
    for voted in ArticleFeedback.objects.filter(
        helpful=True, created_at__gte=start, created_at__lt=end
    ).values_list("created_at", flat=True):
        board.helpful_votes += 1
        week(voted).helpful += 1
    advocate = Q(author__reputation__gte=settings.COMMUNITY_ADVOCATE_RANK_THRESHOLD) | Q(
        author__groups__name=ADVOCATE
    )
    accepted = (
        Answer.objects.filter(
            is_deleted=False,
            import_site__isnull=True,
            is_official=False,
            question__accepted_answer=F("pk"),
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(_staff_q("author"))
        .aggregate(all=Count("pk", distinct=True), advocates=Count("pk", filter=advocate, distinct=True))
    )
    board.accepted_community, board.accepted_advocates = accepted["all"], accepted["advocates"]
    board.weeks = [weeks[key] for key in sorted(weeks)]


def _weeks(start: datetime, end: datetime) -> list[WeekRow]:
    """Every week of the period (Monday first), with its attempts' outcome classes."""
    counts = (
        DeflectionEvent.objects.filter(created_at__gte=start, created_at__lt=end, kind__in=OUTCOMES)
        .annotate(week=TruncWeek("created_at"))
        .values("week", "kind")
        .annotate(n=Count("pk"))
    )
    weeks: dict[date, WeekRow] = {}
    monday = week_of(start)
    last = timezone.localtime(end - timedelta(seconds=1)).date()
    while monday <= last:
        weeks[monday] = WeekRow(monday)
        monday += timedelta(days=7)
    for row in counts:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        found = weeks.setdefault(week, WeekRow(week))
        setattr(found, str(row["kind"]), getattr(found, str(row["kind"])) + row["n"])
    return [weeks[key] for key in sorted(weeks)]


def _every_day(days: dict[date, DayRow], start: datetime, end: datetime) -> list[DayRow]:
    first, last = timezone.localtime(start).date(), timezone.localtime(end - timedelta(seconds=1)).date()
    out, day = [], first
    while day <= last:
        out.append(days.get(day, DayRow(day)))
        day += timedelta(days=1)
    return out


def _backlog(now: datetime) -> list[tuple[str, int]]:
    ages = Counter[str]()
    for created in Escalation.objects.open().values_list("created_at", flat=True):
        hours = (now - created).total_seconds() / 3600
        for label, limit in BACKLOG_BUCKETS:
            if limit is None or hours < limit:
                ages[label] += 1
                break
    return [(label, ages[label]) for label, _ in BACKLOG_BUCKETS]


def _deflection(start: datetime, end: datetime) -> dict[str, int]:
    counts = dict(
        DeflectionEvent.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {label: counts.get(kind, 0) for kind, label in DeflectionKind.choices if kind not in OUTCOMES}


@dataclass
class Gap:
    """One search text that left readers without an answer, over the weeks shown."""

    text: str
    weeks: dict[date, tuple[int, int]] = field(default_factory=dict)  # week: (no results, then asked)
    searches: int = 0
    no_results: int = 0
    then_asked: int = 0

    @property
    def misses(self) -> int:
        return self.no_results + self.then_asked


GAPS_SHOWN = 50


def knowledge_gaps(weeks: int, *, now: datetime | None = None) -> tuple[list[date], list[Gap]]:
    """The last ``weeks`` weeks (Mondays, oldest first) and the search texts that found
    nothing or were followed by a new question in them, most missed first (one query)."""
    this_monday = week_of(now or timezone.now())
    mondays = [this_monday - timedelta(days=7 * n) for n in range(weeks - 1, -1, -1)]
    gaps: dict[str, Gap] = {}
    rows = (
        SearchGap.objects.filter(week__gte=mondays[0])
        .filter(Q(no_results__gt=0) | Q(then_asked__gt=0))
        .values_list("text", "week", "searches", "no_results", "then_asked")
    )
    for text, week, searches, no_results, then_asked in rows:
        gap = gaps.setdefault(text, Gap(text))
        gap.weeks[week] = (no_results, then_asked)
        gap.searches += searches
        gap.no_results += no_results
        gap.then_asked += then_asked
    ranked = sorted(gaps.values(), key=lambda g: (-g.misses, -g.searches, g.text))
    return mondays, ranked[:GAPS_SHOWN]
