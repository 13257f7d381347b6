"""The support panel on a question page (registered with community's extension point).

The asker sees that their question is with support and its state; other members see
only that staff are on it; support staff get a link to the escalation. Internal notes
are never part of it. It also offers "I still need help" to the asker and "Escalate to
support" to advocates.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from community.models import Question
from support import permissions
from support.forms import EscalateForm
from support.models import OPEN_STATES, Escalation, FeedbackItem, HelpRequest


def question_panel(question: Question, request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    user = request.user
    latest = (
        Escalation.objects.filter(question=question)
        .select_related("assignee")
        .order_by("-created_at", "-pk")
        .first()
    )
    is_open = latest is not None and latest.state in OPEN_STATES
    staff = permissions.can_work_queue(user)
    asker = user.is_authenticated and user.pk == question.author_id
    pending = not is_open and HelpRequest.objects.filter(question=question, handled_at__isnull=True).exists()
    context: dict[str, Any] = {
        "question": question,
        "escalation": latest if (staff or asker) else None,
        "is_open": is_open,
        "staff_view": staff,
        "asker_view": asker,
        "pending": pending,
        "may_ask_for_help": not is_open and not pending and permissions.can_ask_for_help(user, question),
        "may_escalate": not is_open
        and not pending
        and not asker
        and permissions.can_escalate(user, question),
        "escalate_form": EscalateForm(),
    }
    shows_something = (
        is_open
        or pending
        or context["may_ask_for_help"]
        or context["may_escalate"]
        or (latest and (staff or asker))
    )
    return ("support/_question_panel.html", context) if shows_something else None


def feedback_panel(question: Question, request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """A feedback thread's public status and the product team's response, for everyone;
    product managers and staff also get a link to the item."""
    items = list(FeedbackItem.objects.filter(question=question).select_related("team"))
    if not items:
        return None
    triager = permissions.can_triage_feedback(request.user)
    public = [item for item in items if item.status]
    if not public and not triager:
        return None
    return ("support/_feedback_panel.html", {"items": items if triager else public, "triager": triager})
