from django.urls import path

from support.views import feedback as views

app_name = "feedback"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("bulk-status/", views.bulk_status_view, name="bulk_status"),
    path("triage/", views.triage_view, name="triage"),
    path("items/<int:pk>/", views.item_view, name="item"),
    path("items/<int:pk>/send/", views.send_view, name="send"),
    path("items/<int:pk>/claim/", views.claim_view, name="claim"),
    path("items/<int:pk>/release/", views.release_view, name="release"),
    path("roadmap/", views.roadmap_view, name="roadmap"),
    path("digests/", views.digest_list_view, name="digests"),
    path("digests/<int:pk>/", views.digest_view, name="digest"),
]
