from __future__ import annotations

from rest_framework.routers import SimpleRouter

from support.api import views

router = SimpleRouter()
router.register("escalations", views.EscalationViewSet, basename="escalation")
router.register("feedback", views.FeedbackItemViewSet, basename="feedback")
router.register("digests", views.DigestViewSet, basename="digest")

urlpatterns = router.urls
