"""Pages staff write in the site: the community guidelines, the about page, and each staff
member's card on the "meet the team" page."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community.models.base import MarkdownBody


class PageSlug(models.TextChoices):
    GUIDELINES = "guidelines", "Community guidelines"
    ABOUT = "about", "About this community"


class SitePage(MarkdownBody):
    """One of the public pages in ``PageSlug``; until staff save it, the page shows its
    default text (``community.pages.DEFAULTS``)."""

    slug = models.CharField(max_length=20, choices=PageSlug.choices, unique=True)
    title = models.CharField(max_length=200)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class TeamProfile(models.Model):
    """A staff member's card on /team/: what they do, what they own, a few words; the
    photo is their avatar. Shown while they work support and ``listed`` is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_profile"
    )
    job_title = models.CharField(max_length=120)
    owns = models.CharField(max_length=300, blank=True, help_text="What they look after, such as billing.")
    bio = models.TextField(max_length=2000, blank=True)
    listed = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first.")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} — {self.job_title}"
