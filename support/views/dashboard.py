"""The support dashboard: deflection, reply times and escalations for a period, as a page
with charts or as CSV."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from community.charts import series_chart
from community.exports import csv_download
from support.dashboard import Dashboard, knowledge_gaps, measure
from support.forms import DashboardForm, GapsForm
from support.views.helpers import staff_member


def _period(data: dict[str, Any]) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    if data.get("since") or data.get("until"):
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or until - timedelta(days=30)
        return (
            datetime.combine(since, time.min, tzinfo=zone),
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
        )
    end = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=zone)
    return end - timedelta(days=data.get("period") or 30), end


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    staff_member(request)
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return render(request, "support/dashboard.html", {"form": form}, status=400)
    start, end = _period(form.cleaned_data)
    board = measure(start, end)
    if form.cleaned_data["format"] == "csv":
        return _csv(board)
    labels = [row.day.strftime("%b %-d") for row in board.days]
    charts = {
        "daily": series_chart(
            "bar",
            labels,
            {
                "Solved without staff": [row.solved_without_staff for row in board.days],
                "Escalated to staff": [row.escalated for row in board.days],
                "Other questions": [
                    row.asked - row.solved_without_staff - row.escalated for row in board.days
                ],
            },
            title="Questions asked per day",
            stacked=True,
            nonce=str(request.csp_nonce),  # type: ignore[attr-defined]
        ),
        "outcomes": series_chart(
            "bar",
            [row.week.strftime("%b %-d") for row in board.weeks],
            {
                "Successful": [row.deflected for row in board.weeks],
                "Potential": [row.potential for row in board.weeks],
                "Failed (asked anyway)": [row.asked_anyway for row in board.weeks],
            },
            title="Attempts to ask that saw suggestions, per week",
            stacked=True,
            nonce=str(request.csp_nonce),  # type: ignore[attr-defined]
        ),
        "value": series_chart(
            "bar",
            [row.week.strftime("%b %-d") for row in board.weeks],
            {
                "Incidents detected": [row.incidents for row in board.weeks],
                "Articles written": [row.articles for row in board.weeks],
                "Helpful votes on articles": [row.helpful for row in board.weeks],
            },
            title="Crises seen early and knowledge gleaned, per week",
            nonce=str(request.csp_nonce),  # type: ignore[attr-defined]
        ),
        "triage": series_chart(
            "bar",
            [label for label, _ in board.triage],
            {"Decisions": [row["all"] for _, row in board.triage]},
            title="Triage tree outcomes",
            nonce=str(request.csp_nonce),  # type: ignore[attr-defined]
        ),
        "backlog": series_chart(
            "bar",
            [label for label, _ in board.backlog],
            {"Open escalations": [count for _, count in board.backlog]},
            title="Open escalations by age",
            nonce=str(request.csp_nonce),  # type: ignore[attr-defined]
        ),
    }
    context = {
        "form": form,
        "board": board,
        "charts": charts,
        "currency": settings.SUPPORT_CURRENCY,
        "cost_per_ticket": settings.SUPPORT_COST_PER_TICKET,
        "wait_minutes": settings.COMMUNITY_DEFLECTION_WAIT_MINUTES,
    }
    return render(request, "support/dashboard.html", context)


def _csv(board: Dashboard) -> HttpResponse:
    response, writer = csv_download(f"askwell-support-{board.start:%Y-%m-%d}-{board.end:%Y-%m-%d}.csv")
    writer.writerow(["day", "asked", "solved_without_staff", "escalated"])
    for row in board.days:
        writer.writerow([row.day.isoformat(), row.asked, row.solved_without_staff, row.escalated])
    writer.writerow([])
    writer.writerow(["metric", "value"])
    for name, value in [
        ("questions asked", board.asked),
        ("deflection rate (solved without staff)", board.deflection_rate),
        ("solved rate", board.solved_rate),
        ("escalation rate", board.escalation_rate),
        ("SLA breaches", board.breaches),
        ("first reply, community, median hours", board.first_reply("community", 0.5)),
        ("first reply, community, p90 hours", board.first_reply("community", 0.9)),
        ("first reply, staff, median hours", board.first_reply("staff", 0.5)),
        ("first reply, staff, p90 hours", board.first_reply("staff", 0.9)),
        *[(f"deflection events: {label}", count) for label, count in board.deflection.items()],
        ("deflection outcomes: successful", board.outcomes.deflected),
        ("deflection outcomes: failed (asked anyway)", board.outcomes.asked_anyway),
        ("deflection outcomes: potential", board.outcomes.potential),
        ("estimated cost saved", board.outcomes.saved),
        ("incidents detected", board.incidents_detected),
        ("incidents with an official status", len(board.minutes_to_status)),
        ("first signal to first official status, median minutes", board.minutes_to_status_median),
        ("knowledge articles written", board.articles_created),
        ("helpful votes on those articles", board.articles_helpful),
        ("not helpful votes on those articles", board.articles_not_helpful),
        ("helpful votes on any article in the period", board.helpful_votes),
        ("accepted community answers", board.accepted_community),
        ("of those, by advocates", board.accepted_advocates),
        ("advocates' share of accepted community answers", board.advocate_share),
    ]:
        writer.writerow(
            [name, "" if value is None else (round(value, 4) if isinstance(value, float) else value)]
        )
    writer.writerow([])
    writer.writerow(["first questions", "published", "stayed open", "answered"])
    for coaching in board.coaching:
        writer.writerow([coaching.label, coaching.asked, coaching.survived, coaching.answered])
    writer.writerow([])
    writer.writerow(["triage outcome", "escalations", "reviews", "mentions", "all"])
    for label, by_kind in board.triage:
        counts = [by_kind.get(kind, 0) for kind in ("escalation", "review", "mention", "all")]
        writer.writerow([label, *counts])
    writer.writerow([])
    writer.writerow(
        ["plan", "escalations", "breached", "first staff reply p90 hours", "resolution p90 hours"]
    )
    for plan in board.sla_by_plan:
        p90s = [_blank(plan.first_reply_p90), _blank(plan.resolution_p90)]
        writer.writerow([plan.plan, plan.escalations, plan.breached, *p90s])
    writer.writerow([])
    writer.writerow(["week", "successful", "failed", "potential", "incidents", "articles", "helpful votes"])
    for week in board.weeks:
        writer.writerow([
            week.week.isoformat(), week.deflected, week.asked_anyway, week.potential, week.incidents,
            week.articles, week.helpful,
        ])  # fmt: skip
    writer.writerow([])
    writer.writerow(["top community answerer", "username", "accepted", "answers"])
    for answerer in board.top_answerers:
        name = answerer["author__display_name"] or answerer["author__username"]
        writer.writerow([name, answerer["author__username"], answerer["accepted"], answerer["answers"]])
    return response


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


@login_required
def knowledge_gaps_view(request: HttpRequest) -> HttpResponse:
    """What readers search for and do not find, or search for right before asking: the
    articles to write next."""
    staff_member(request)
    form = GapsForm(request.GET)
    if not form.is_valid():
        return render(request, "support/knowledge_gaps.html", {"form": form}, status=400)
    mondays, gaps = knowledge_gaps(form.cleaned_data["weeks"] or 4)
    rows = [(gap, [gap.weeks.get(monday, (0, 0)) for monday in mondays]) for gap in gaps]
    return render(request, "support/knowledge_gaps.html", {"form": form, "mondays": mondays, "rows": rows})
