"""Mentions from outside the community (a social-listening tool's webhook, or a CSV export
in the shape of the Twitter customer-support dataset), in a triage inbox for staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class MentionState(models.TextChoices):
    NEW = "new", "New"
    REPLIED = "replied", "Replied"
    THREADED = "threaded", "Turned into a thread"
    MONITORED = "monitored", "Left to stand, monitored"


class Mention(models.Model):
    """One message. ``inbound``: a customer's (the company's own replies are kept for the
    conversation, never triaged). ``external_id`` is unique per source, so a re-sent
    webhook or a CSV imported twice adds nothing."""

    source = models.CharField(max_length=40)  # "twitter", or the listening tool's name
    external_id = models.CharField(max_length=100)
    author_handle = models.CharField(max_length=100)
    inbound = models.BooleanField(default=True)
    text = models.TextField(max_length=10_000)
    created_at = models.DateTimeField(db_index=True)  # when it was written, outside
    received_at = models.DateTimeField()
    in_reply_to = models.CharField(max_length=100, blank=True)  # another mention's external id
    tone = models.FloatField(null=True, blank=True)  # VADER compound; None: not English
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )  # the member whose social handle wrote it (one view of the customer)
    state = models.CharField(max_length=20, choices=MentionState.choices, default=MentionState.NEW)
    reply = models.TextField(max_length=5000, blank=True)  # what staff replied, as sent
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="one_mention_per_source_id")
        ]
        indexes = [models.Index(fields=["inbound", "state", "created_at"], name="mention_inbox")]

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("support:mention", kwargs={"pk": self.pk})

    @property
    def is_vip(self) -> bool:
        return bool(self.member is not None and self.member.is_vip)

    @property
    def is_negative(self) -> bool:
        from support.triage import NEGATIVE

        return self.tone is not None and self.tone <= NEGATIVE
