"""SLA policies per category (the site default is in settings); escalations read-only."""

from django.contrib import admin

from support.models import Escalation, SlaPolicy


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


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """For looking things up; staff work escalations in the queue (/support/queue/), where
    every change is recorded in the escalation's history."""

    list_display = ("question", "reason", "state", "priority", "due_at", "assignee")
    list_filter = ("state", "reason")
    raw_id_fields = ("question", "assignee", "opened_by")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
