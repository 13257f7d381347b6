"""Support data (SLA policies, escalations, product teams) arrives with the escalation issue."""
