"""Support data. Rows that matter are written only by ``support.actions``."""

from support.models.escalations import (
    OPEN_STATES,
    Escalation,
    EscalationEvent,
    EscalationReason,
    EscalationState,
    HelpRequest,
    HelpRequestKind,
    InternalNote,
    SlaPolicy,
)
from support.models.feedback import (
    Digest,
    FeedbackEvent,
    FeedbackItem,
    FeedbackKind,
    FeedbackStatus,
    ProductTeam,
    TriageState,
    WebhookDelivery,
)

__all__ = [
    "OPEN_STATES",
    "Digest",
    "Escalation",
    "EscalationEvent",
    "EscalationReason",
    "EscalationState",
    "FeedbackEvent",
    "FeedbackItem",
    "FeedbackKind",
    "FeedbackStatus",
    "HelpRequest",
    "HelpRequestKind",
    "InternalNote",
    "ProductTeam",
    "SlaPolicy",
    "TriageState",
    "WebhookDelivery",
]
