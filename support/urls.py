from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("queue/", views.queue_view, name="queue"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("escalations/<int:pk>/", views.escalation_detail_view, name="escalation_detail"),
    path("escalations/<int:pk>/claim/", views.claim_view, name="claim"),
    path("escalations/<int:pk>/release/", views.release_view, name="release"),
    path("escalations/<int:pk>/assign/", views.assign_view, name="assign"),
    path("escalations/<int:pk>/state/", views.state_view, name="state"),
    path("escalations/<int:pk>/note/", views.note_view, name="note"),
    path("escalations/<int:pk>/reply/", views.reply_view, name="reply"),
    path("questions/<int:pk>/need-help/", views.need_help_view, name="need_help"),
    path("questions/<int:pk>/escalate/", views.escalate_view, name="escalate"),
]
