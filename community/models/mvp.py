"""The MVP program: staff nominate with a citation, an admin awards a term."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NominationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Declined"


class MvpNomination(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mvp_nominations"
    )
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    citation = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=NominationStatus.choices, default=NominationStatus.PENDING
    )
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"MVP nomination of {self.member_id}"


class MvpTerm(models.Model):
    """One MVP term. Terms are kept after they end: past terms stay on the profile."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mvp_terms")
    nomination = models.OneToOneField(
        MvpNomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="term"
    )
    citation = models.TextField(max_length=2000)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"MVP term of {self.member_id} until {self.ends_at:%Y-%m-%d}"
