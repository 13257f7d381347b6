"""Knowledge articles: the durable answer captured from a solved thread.

An article keeps a link to the thread it came from, the credit its sources are owed
(``attribution``; for imported threads, their CC BY-SA licences, and the article is then
itself CC BY-SA), a revision per save, "was this helpful?" feedback, and a review date
after which support staff are reminded to check it is still true.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from taggit.managers import TaggableManager

from community.models.base import MarkdownBody, SoftDeletable
from community.querysets import ArticleQuerySet


class Article(SoftDeletable, MarkdownBody):
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=500)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles")
    source_question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = TaggableManager(blank=True)
    attribution = models.TextField(blank=True)  # Markdown, rendered under the article
    licence = models.CharField(max_length=40, blank=True)  # "CC BY-SA 4.0" when built from imports
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    review_by = models.DateField(db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    helpful_count = models.PositiveIntegerField(default=0)
    not_helpful_count = models.PositiveIntegerField(default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        return slugify(self.title)[:80].strip("-") or str(self.pk)

    def get_absolute_url(self) -> str:
        return reverse("community:article_detail", kwargs={"pk": self.pk, "slug": self.slug})


class ArticleRevision(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=500)
    body = models.TextField()
    tags = models.CharField(max_length=400, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_article_revision_number")
        ]

    def __str__(self) -> str:
        return f"Article {self.article_id} revision {self.number}"


class ArticleFeedback(models.Model):
    """One reader's "was this helpful?" (members by account, visitors by session)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=models.Q(user__isnull=False),
                name="one_feedback_per_member_and_article",
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=models.Q(user__isnull=True),
                name="one_feedback_per_visitor_and_article",
            ),
        ]

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else 'not helpful'} on {self.article_id}"
