"""Incidents, for support staff only: the list, an incident's page (its signals as a
chart, the grouped threads, the official status), and the staff's work on it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.charts import series_chart
from community.models import MeToo, Question
from support import signals, triage
from support.actions import incidents as actions
from support.forms import IncidentFilterForm, IncidentStatusForm, IncidentThreadForm, IncidentTitleForm
from support.models import Incident, IncidentSignal, IncidentTrigger, Mention, ProductTeam
from support.views.helpers import staff_member

CHART_BEFORE = timedelta(hours=47)  # the chart's hours before the surge
CHART_AFTER = timedelta(hours=24)


@login_required
def incidents_view(request: HttpRequest) -> HttpResponse:
    staff_member(request)
    form = IncidentFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "support/incidents.html", {"form": form}, status=400)
    state = form.cleaned_data["state"]
    incidents = Incident.objects.select_related("team").annotate(thread_count=Count("threads"))
    if state != "all":
        incidents = incidents.filter(state=state or "open")
    page = Paginator(
        incidents.prefetch_related("triggers").order_by("-detected_at", "-pk"),
        settings.COMMUNITY_QUESTIONS_PER_PAGE,
    )
    return render(
        request,
        "support/incidents.html",
        {"form": form, "page": page.get_page(form.cleaned_data["page"] or 1), "state": state},
    )


def _incident(request: HttpRequest, pk: int) -> Incident:
    staff_member(request)
    return get_object_or_404(Incident.objects.select_related("team", "resolved_by"), pk=pk)


def _series_questions(series: str) -> QuerySet[Question]:
    kind, _, name = series.partition(":")
    questions = Question.objects.filter(is_deleted=False, import_site__isnull=True)
    if kind == "tag":
        return questions.filter(tags__name__iexact=name)
    if kind == "category":
        return questions.filter(category__slug=name)
    team = ProductTeam.objects.filter(slug=name).prefetch_related("categories").first()
    if team is None:
        return questions.none()
    return questions.filter(
        Q(tags__name__in=team.tag_names) | Q(category__in=team.categories.all())
    ).distinct()


def _hourly(trigger: IncidentTrigger, start: datetime, end: datetime) -> list[datetime]:
    """When the trigger's events happened between start and end."""
    kind, _, name = trigger.series.partition(":")
    if kind == "channel":
        mentions = Mention.objects.filter(
            source=name, inbound=True, created_at__gte=start, created_at__lt=end
        )
        if trigger.signal == IncidentSignal.NEGATIVE:
            mentions = mentions.filter(tone__lte=triage.NEGATIVE)
        return list(mentions.values_list("created_at", flat=True))
    questions = _series_questions(trigger.series)
    if trigger.signal == IncidentSignal.ME_TOO:
        return list(
            MeToo.objects.filter(
                question__in=questions.values("pk"), created_at__gte=start, created_at__lt=end
            ).values_list("created_at", flat=True)
        )
    questions = questions.filter(created_at__gte=start, created_at__lt=end)
    if trigger.signal == IncidentSignal.NEGATIVE:
        questions = questions.filter(tone_reading__tone__lte=triage.NEGATIVE)
    return list(questions.values_list("created_at", flat=True))


def _chart(incident: Incident, triggers: list[IncidentTrigger], nonce: str) -> str:
    """Each trigger's events per hour, from two days before the surge to a day after."""
    if not triggers:
        return ""
    start = incident.detected_at - signals.BUCKET - CHART_BEFORE
    end = min(timezone.now(), incident.detected_at + CHART_AFTER)
    hours = max(1, int((end - start) / signals.BUCKET))
    labels = [timezone.localtime(start + i * signals.BUCKET).strftime("%b %-d %H:00") for i in range(hours)]
    series: dict[str, list[float]] = {}
    for trigger in triggers[:4]:
        counts = Counter(int((at - start) / signals.BUCKET) for at in _hourly(trigger, start, end))
        series[f"{trigger.get_signal_display()}, {trigger.series_label}"] = [
            counts.get(i, 0) for i in range(hours)
        ]
    return series_chart("bar", labels, series, title="Events per hour around the surge", nonce=nonce)


@login_required
def incident_view(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    incident = _incident(request, pk)
    triggers = list(incident.triggers.all())
    threads = incident.threads.select_related("question__author", "question__category").filter(
        question__is_deleted=False
    )
    context = {
        "incident": incident,
        "triggers": triggers,
        "threads": threads,
        "updates": list(incident.updates.select_related("author")),
        "chart": _chart(incident, triggers, str(request.csp_nonce)),  # type: ignore[attr-defined]
        "status_form": forms.get("status_form") or IncidentStatusForm(prefix="status"),
        "title_form": forms.get("title_form")
        or IncidentTitleForm(prefix="title", initial={"title": incident.title}),
        "thread_form": forms.get("thread_form") or IncidentThreadForm(prefix="thread"),
        "minutes_to_status": (
            int((incident.first_status_at - incident.detected_at).total_seconds() // 60)
            if incident.first_status_at
            else None
        ),
    }
    return render(request, "support/incident.html", context, status=forms.get("status", 200))


@login_required
@require_POST
def status_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = IncidentStatusForm(request.POST, prefix="status")
    if not form.is_valid():
        return incident_view(request, pk, status_form=form, status=400)
    actions.post_status(
        incident, by=staff_member(request), stage=form.cleaned_data["stage"], body=form.cleaned_data["body"]
    )
    messages.success(request, "Official status posted on every grouped thread.")
    return redirect(incident)


@login_required
@require_POST
def resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    if actions.resolve(incident, by=staff_member(request)):
        messages.success(request, "Resolved: every asker and follower of its threads will hear it.")
    else:
        messages.info(request, "It was already resolved.")
    return redirect(incident)


@login_required
@require_POST
def title_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = IncidentTitleForm(request.POST, prefix="title")
    if not form.is_valid():
        return incident_view(request, pk, title_form=form, status=400)
    actions.rename(incident, form.cleaned_data["title"])
    messages.success(request, "Title changed.")
    return redirect(incident)


@login_required
@require_POST
def add_thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = IncidentThreadForm(request.POST, prefix="thread")
    if not form.is_valid():
        return incident_view(request, pk, thread_form=form, status=400)
    question = Question.objects.filter(pk=form.cleaned_data["question"], is_deleted=False).first()
    if question is None:
        form.add_error("question", "There is no such thread.")
        return incident_view(request, pk, thread_form=form, status=400)
    if actions.add_thread(incident, question):
        messages.success(request, f"Grouped “{question.title}”.")
    else:
        messages.info(request, "That thread was already grouped.")
    return redirect(incident)


@login_required
@require_POST
def remove_thread_view(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    incident = _incident(request, pk)
    actions.remove_thread(incident, question_id)
    messages.success(request, "Removed from the incident.")
    return redirect(incident)
