"""Reads that support's pages and jobs share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce


def count_per_question(queryset: Any) -> Coalesce:
    """How many rows of ``queryset`` (already filtered on ``question=OuterRef(...)``) there
    are, as a subquery annotation: one subquery per count, so no join multiplies another."""
    counted = queryset.values("question").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
