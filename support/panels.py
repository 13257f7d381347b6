"""The support panel on a question page (registered with community's extension point).

The asker sees that their question is with support and its state; other members see
only that staff are on it; support staff get a link to the escalation. Internal notes
are never part of it. It also offers "I still need help" to the asker and "Escalate to
support" to advocates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest

from community.models import Question
from support import permissions
from support.expectations import Expectation, expectation
from support.forms import EscalateForm
from support.models import OPEN_STATES, Escalation, FeedbackItem, HelpRequest, Incident, IncidentThread

# The thread's own query (Question.objects.for_page()) carries these, so a thread that
# support has never touched costs its page no query here.
MISSING = object()


def page_annotations() -> dict[str, Any]:
    latest = Escalation.objects.filter(question=OuterRef("pk")).order_by("-created_at", "-pk")
    return {
        "support_escalation_state": Subquery(latest.values("state")[:1]),
        "support_help_pending": Exists(
            HelpRequest.objects.filter(question=OuterRef("pk"), handled_at__isnull=True)
        ),
        "support_has_feedback": Exists(FeedbackItem.objects.filter(question=OuterRef("pk"))),
    }


def _known(question: Question, name: str, ask: Callable[[], Any]) -> Any:
    """The annotation when the page's query carried it, else the query (other callers)."""
    value = getattr(question, name, MISSING)
    return ask() if value is MISSING else value


def question_panel(question: Question, request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    user = request.user
    escalations = Escalation.objects.filter(question=question).order_by("-created_at", "-pk")
    state = _known(
        question, "support_escalation_state", lambda: escalations.values_list("state", flat=True).first()
    )
    is_open = state in OPEN_STATES
    staff = permissions.can_work_queue(user)
    asker = user.is_authenticated and user.pk == question.author_id
    # Who sees the escalation itself (its assignee): staff and the asker, one query then.
    latest = (
        escalations.select_related("assignee").first() if state is not None and (staff or asker) else None
    )
    pending = not is_open and _known(
        question,
        "support_help_pending",
        lambda: HelpRequest.objects.filter(question=question, handled_at__isnull=True).exists(),
    )
    context: dict[str, Any] = {
        "question": question,
        "escalation": latest,
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
    context["promise"] = _promise(question) if asker and (is_open or pending) else None
    shows_something = is_open or pending or context["may_ask_for_help"] or context["may_escalate"] or latest
    return ("support/_question_panel.html", context) if shows_something else None


def feedback_panel(question: Question, request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """A feedback thread's public status and the product team's response, for everyone;
    product managers and staff also get a link to the item."""
    if not _known(question, "support_has_feedback", lambda: True):
        return None
    items = list(FeedbackItem.objects.filter(question=question).select_related("team"))
    if not items:
        return None
    triager = permissions.can_triage_feedback(request.user)
    public = [item for item in items if item.status]
    if not public and not triager:
        return None
    return ("support/_feedback_panel.html", {"items": items if triager else public, "triager": triager})


def incident_annotations() -> dict[str, Any]:
    latest = IncidentThread.objects.filter(question=OuterRef("pk")).order_by("-incident__detected_at", "-pk")
    return {"support_incident_id": Subquery(latest.values("incident_id")[:1])}


def incident_panel(question: Question, request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """The official status of the incident grouping this thread, for everyone (nothing
    until staff post one); support staff also get a link to the incident."""
    incident_id = _known(
        question,
        "support_incident_id",
        lambda: (
            IncidentThread.objects.filter(question=question)
            .order_by("-incident__detected_at", "-pk")
            .values_list("incident_id", flat=True)
            .first()
        ),
    )
    if incident_id is None:
        return None
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return None
    status = incident.updates.select_related("author").first()
    staff = permissions.can_work_queue(request.user)
    if status is None and not staff:
        return None
    return ("support/_incident_panel.html", {"incident": incident, "status": status, "staff_view": staff})


def _promise(question: Question) -> Expectation:
    """What the asker can expect from support for this question (its category's policy)."""
    from support.actions.escalations import policy_for

    return expectation(policy_for(question), vip=question.author.is_vip)
