from django.urls import path

from support.views import dashboard, escalations, incidents, mentions, webhooks

app_name = "support"

urlpatterns = [
    path("queue/", escalations.queue_view, name="queue"),
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("knowledge-gaps/", dashboard.knowledge_gaps_view, name="knowledge_gaps"),
    path("escalations/<int:pk>/", escalations.escalation_detail_view, name="escalation_detail"),
    path("escalations/<int:pk>/claim/", escalations.claim_view, name="claim"),
    path("escalations/<int:pk>/release/", escalations.release_view, name="release"),
    path("escalations/<int:pk>/assign/", escalations.assign_view, name="assign"),
    path("escalations/<int:pk>/state/", escalations.state_view, name="state"),
    path("escalations/<int:pk>/note/", escalations.note_view, name="note"),
    path("escalations/<int:pk>/severity/", escalations.severity_view, name="severity"),
    path("escalations/<int:pk>/reply/", escalations.reply_view, name="reply"),
    path("mentions/", mentions.inbox_view, name="mentions"),
    path("mentions/import/", mentions.import_view, name="mentions_import"),
    path("mentions/webhook/", mentions.webhook_view, name="mentions_webhook"),
    path("mentions/<int:pk>/", mentions.mention_view, name="mention"),
    path("mentions/<int:pk>/reply/", mentions.reply_view, name="mention_reply"),
    path("mentions/<int:pk>/monitor/", mentions.monitor_view, name="mention_monitor"),
    path("mentions/<int:pk>/thread/", mentions.thread_view, name="mention_thread"),
    path("webhooks/", webhooks.webhooks_view, name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.webhook_view, name="webhook"),
    path("webhooks/<int:pk>/active/", webhooks.webhook_active_view, name="webhook_active"),
    path("webhooks/deliveries/<int:pk>/replay/", webhooks.replay_view, name="webhook_replay"),
    path("incidents/", incidents.incidents_view, name="incidents"),
    path("incidents/<int:pk>/", incidents.incident_view, name="incident"),
    path("incidents/<int:pk>/status/", incidents.status_view, name="incident_status"),
    path("incidents/<int:pk>/resolve/", incidents.resolve_view, name="incident_resolve"),
    path("incidents/<int:pk>/title/", incidents.title_view, name="incident_title"),
    path("incidents/<int:pk>/threads/", incidents.add_thread_view, name="incident_add_thread"),
    path(
        "incidents/<int:pk>/threads/<int:question_id>/remove/",
        incidents.remove_thread_view,
        name="incident_remove_thread",
    ),
    path("questions/<int:pk>/need-help/", escalations.need_help_view, name="need_help"),
    path("questions/<int:pk>/escalate/", escalations.escalate_view, name="escalate"),
]
