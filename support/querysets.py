"""Reads that support's pages and jobs share."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone


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


def feedback_with_signals(items: Any) -> Any:
    """Demand ("me too" and followers), support cost (escalations and "me too") and this
    week's trend (new "me too"s), each one subquery: no join multiplies another."""
    from community.models import Follow, MeToo
    from support.models import Escalation

    week = timezone.now() - timedelta(days=7)
    return items.select_related("question__author", "team").annotate(
        followers=count_per_question(Follow.objects.filter(question=OuterRef("question"))),
        escalation_count=count_per_question(Escalation.objects.filter(question=OuterRef("question"))),
        trend=count_per_question(MeToo.objects.filter(question=OuterRef("question"), created_at__gte=week)),
        demand=F("question__me_too_count") + F("followers"),
    )


def teams_visible_to(user: Any) -> Any:
    """The product teams whose inbox and digests a person sees: every team for admins and
    support staff, their own teams for product managers, none for anyone else."""
    from support import permissions
    from support.models import ProductTeam

    if not permissions.can_triage_feedback(user):
        return ProductTeam.objects.none()
    if user.is_superuser or permissions.can_work_queue(user):
        return ProductTeam.objects.all()
    return ProductTeam.objects.filter(members=user)


def my_escalations(user: Any) -> list[Any]:
    """The escalations a staff member holds, for "My work"."""
    from support.models import Escalation

    return list(Escalation.objects.held_by(user).select_related("question"))


def my_feedback_items(user: Any) -> list[Any]:
    """The feedback items a product manager or staff member holds, for "My work"."""
    from support.models import FeedbackItem

    return list(FeedbackItem.objects.held_by(user).select_related("question"))


def on_the_roadmap() -> Any:
    """The public roadmap: items planned, in progress or shipped, on live threads."""
    from support.models import FeedbackItem, FeedbackStatus

    shown = [FeedbackStatus.PLANNED, FeedbackStatus.IN_PROGRESS, FeedbackStatus.SHIPPED]
    return (
        FeedbackItem.objects.filter(status__in=shown, question__is_deleted=False)
        .select_related("question", "team")
        .order_by("-status_changed_at", "pk")
    )


def escalation_for(user: Any, pk: int) -> Any:
    """An escalation, for support staff (the triage tree's target)."""
    from django.shortcuts import get_object_or_404

    from support import permissions
    from support.models import Escalation

    permissions.check_can_work_queue(user)
    return get_object_or_404(Escalation, pk=pk)


def mention_for(user: Any, pk: int) -> Any:
    """A customer's mention, for support staff (the triage tree's target)."""
    from django.shortcuts import get_object_or_404

    from support import permissions
    from support.models import Mention

    permissions.check_can_work_queue(user)
    return get_object_or_404(Mention, pk=pk, inbound=True)


def mention_label(mention: Any) -> str:
    return f"the mention from {mention.author_handle}"
