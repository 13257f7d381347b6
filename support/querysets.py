"""Reads that support's pages and jobs share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_per_question(queryset: Any) -> Coalesce:
    """How many rows of ``queryset`` (already filtered on ``question=OuterRef(...)``) there
    are, as a subquery annotation: one subquery per count, so no join multiplies another."""
    counted = queryset.values("question").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def first_on_question(queryset: Any) -> Subquery:
    """When the earliest visible row of ``queryset`` (answers or comments) on the outer
    question was written, as a subquery annotation (None when there is none)."""
    earliest = queryset.filter(question=OuterRef("pk"), is_deleted=False).order_by("created_at")
    return Subquery(earliest.values("created_at")[:1])


def first_official_comment_at() -> Subquery:
    """An official staff comment on the question counts as a reply."""
    from community.models import Comment

    return first_on_question(Comment.objects.filter(is_official=True))
