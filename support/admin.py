"""Configuration: SLA policies per category (the site default is in settings), product
teams and feedback kinds. Escalations and feedback items are read-only here: staff work
them in their queues, where every change is an action with its history."""

from django.contrib import admin

from community.admin import ReadOnlyAdmin
from support.models import Escalation, FeedbackItem, FeedbackKind, ProductTeam, SlaPolicy, SlaTarget


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "first_reply_hours",
        "solution_hours",
        "vip_first_reply_hours",
        "vip_solution_hours",
        "business_hours_only",
        "time_zone",
    )


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    """Targets per plan × category × severity (blank: any); the most specific one wins."""

    list_display = ("plan", "category", "severity", "first_reply_hours", "solution_hours")
    list_filter = ("plan", "severity")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    """For looking things up; staff work escalations in the queue (/support/queue/), where
    every change is recorded in the escalation's history."""

    list_display = ("question", "reason", "state", "priority", "due_at", "assignee")
    list_filter = ("state", "reason")
    raw_id_fields = ("question", "assignee", "opened_by")


@admin.register(ProductTeam)
class ProductTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "product_tags", "digest_cadence", "time_zone")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("categories", "members")


@admin.register(FeedbackItem)
class FeedbackItemAdmin(ReadOnlyAdmin):
    """For looking things up; product managers work items in /feedback/."""

    list_display = ("question", "team", "kind", "status", "state", "created_at")
    list_filter = ("status", "kind", "team")
    raw_id_fields = ("question", "assignee")


@admin.register(FeedbackKind)
class FeedbackKindAdmin(admin.ModelAdmin):
    """Feedback tags; while none are set here, the SUPPORT_FEEDBACK_TAGS setting decides."""

    list_display = ("tag", "is_idea")
