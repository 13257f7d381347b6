"""Support's web layer: the escalation queue and pages (``escalations``), the dashboard
(``dashboard``), and product feedback with its digests and roadmap (``feedback``)."""
