"""Incidents: a problem spreading, seen in the signals before it becomes a crisis.

A beat job (``support.actions.incidents.sweep_incidents``) watches every series (a tag, a
category, a product team) for surges of new questions, "I have this too" and negative
tone (``support.signals``). A surge opens an incident, which groups the threads about it;
support staff post one official status that every grouped thread shows, and resolving it
tells every asker and follower of those threads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class IncidentSignal(models.TextChoices):
    QUESTIONS = "questions", "New questions"
    ME_TOO = "me_too", "“I have this too”"
    NEGATIVE = "negative", "Negative tone"
    MENTIONS = "mentions", "Mentions outside"


class IncidentState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class IncidentStage(models.TextChoices):
    """The stage an official status announces (as status pages word them)."""

    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Fix released, monitoring"
    RESOLVED = "resolved", "Resolved"


class Incident(models.Model):
    """``key`` is the series and signal that opened it ("questions|tag:billing"): at most
    one open incident per key (a partial unique constraint, so two sweeps at once cannot
    open two)."""

    title = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=IncidentState.choices, default=IncidentState.OPEN)
    team = models.ForeignKey(
        "support.ProductTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    detected_at = models.DateTimeField()  # the first signal: the end of the surging hour
    first_status_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_grouped_at = models.DateTimeField()  # when similar threads were last looked for
    # The alert to the owning team's webhook (the outbox retries it until delivered).
    alert_delivered_at = models.DateTimeField(null=True, blank=True)
    alert_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(state="open"), name="one_open_incident_per_series"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("support:incident", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == IncidentState.OPEN


class IncidentTrigger(models.Model):
    """A series surging within an incident: the one that opened it, and any other whose
    surge was about the same threads (a tag, its category and its team often surge
    together). Updated while the surge lasts."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="triggers")
    series = models.CharField(max_length=200)  # "tag:billing", "category:payments", "team:payments"
    signal = models.CharField(max_length=20, choices=IncidentSignal.choices)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField()  # in the hour that first surged
    peak = models.PositiveIntegerField()  # the most in one hour since
    baseline = models.FloatField()  # the series' usual count for that hour (median)
    z = models.FloatField()

    class Meta:
        ordering = ["first_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "series", "signal"], name="one_trigger_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.get_signal_display()} in {self.series}"

    @property
    def series_label(self) -> str:
        return series_label(self.series)


def series_label(series: str) -> str:
    """ "tag:billing" → 'tag “billing”'; a channel of mentions by its name ("twitter")."""
    kind, _, name = series.partition(":")
    labels = {"tag": f"tag “{name}”", "category": f"category “{name}”", "team": f"team “{name}”"}
    return labels.get(kind, name if kind == "channel" else series)


class GroupedBy(models.TextChoices):
    SIGNAL = "signal", "In the surge"
    SIMILAR = "similar", "Similar to a grouped thread"
    STAFF = "staff", "Added by staff"


class IncidentThread(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="threads")
    question = models.ForeignKey(
        "community.Question", on_delete=models.CASCADE, related_name="incident_links"
    )
    grouped_by = models.CharField(max_length=20, choices=GroupedBy.choices)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "question"], name="one_link_per_incident_thread")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} in incident {self.incident_id}"


class IncidentUpdate(models.Model):
    """An official status, shown on every grouped thread (the latest one)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    stage = models.CharField(max_length=20, choices=IncidentStage.choices)
    body = models.TextField(max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on incident {self.incident_id}"


class ToneReading(models.Model):
    """A question's tone (VADER compound), read once by the incident sweep; None: not
    English, not assessed."""

    question = models.OneToOneField(
        "community.Question", on_delete=models.CASCADE, primary_key=True, related_name="tone_reading"
    )
    tone = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Tone of {self.question_id}: {self.tone}"
