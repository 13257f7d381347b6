"""Writing the pages staff keep in the site (guidelines, about) and their team cards."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.markdown import render_markdown
from community.models import SitePage, TeamProfile
from community.pages import DEFAULTS


def page(slug: str) -> SitePage:
    """The saved page, or an unsaved one with the default text (KeyError: no such page)."""
    saved = SitePage.objects.filter(slug=slug).first()
    if saved is not None:
        return saved
    title, body = DEFAULTS[slug]
    return SitePage(slug=slug, title=title, body=body, body_html=render_markdown(body))


@transaction.atomic
def save_page(slug: str, *, by: User, title: str, body: str) -> SitePage:
    permissions.check_can_edit_site_pages(by)
    saved, _ = SitePage.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title,
            "body": body,
            "body_html": render_markdown(body),
            "updated_at": timezone.now(),
            "updated_by": by,
        },
    )
    return saved


def save_team_profile(user: User, *, job_title: str, owns: str, bio: str, listed: bool) -> TeamProfile:
    """A staff member writes their own card."""
    permissions.check_can_edit_site_pages(user)
    profile, _ = TeamProfile.objects.update_or_create(
        user=user,
        defaults={
            "job_title": job_title,
            "owns": owns,
            "bio": bio,
            "listed": listed,
            "updated_at": timezone.now(),
        },
    )
    return profile
