"""Pieces every post shares: soft deletion and the rendered Markdown body."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models


class SoftDeletable(models.Model):
    """Deletion hides a row; it stays in the table and moderators can restore it. Each
    concrete model's manager is a ``community.querysets.SoftDeletableQuerySet`` (the one
    ``visible_to``; tests/test_architecture.py holds every model to it)."""

    is_deleted = models.BooleanField(default=False, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class MarkdownBody(models.Model):
    """``body`` is the Markdown exactly as the author sent it; ``body_html`` is derived."""

    body = models.TextField()
    body_html = models.TextField(editable=False)

    class Meta:
        abstract = True


class Imported(models.Model):
    """Provenance of a post brought in by ``manage.py import_stackexchange`` (null: native)."""

    import_site = models.ForeignKey(
        "community.ImportSite", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.BigIntegerField(null=True, blank=True, editable=False)
    licence = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_imported(self) -> bool:
        return self.import_site_id is not None

    @property
    def licence_url(self) -> str:
        """The Creative Commons deed for ``licence`` ("CC BY-SA 3.0" → …/by-sa/3.0/)."""
        match = re.fullmatch(r"CC BY-SA (\d\.\d)", self.licence.strip())
        return f"https://creativecommons.org/licenses/by-sa/{match.group(1)}/" if match else ""

    @property
    def source_url(self) -> str:
        """The post on its source site."""
        site = self.import_site
        if site is None or self.external_id is None:
            return ""
        kind = type(self).__name__
        if kind == "Question":
            return site.question_url(self.external_id)
        if kind == "Answer":
            return site.answer_url(self.external_id)
        return f"{site.base_url}/posts/comments/{self.external_id}"


def one_per_source(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["import_site", "external_id"],
        condition=models.Q(import_site__isnull=False),
        name=f"one_{model}_per_source_id",
    )
