"""A question goes unanswered, the sweep escalates it, staff claim it and reply, and the
customer sees it resolved — in the browser, as each of them would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Question
from support.actions.escalations import sweep
from support.models import Escalation
from tests.browser.test_accessibility import _serious
from tests.browser.test_journey import _log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _incident_and_mention(question):
    from support.actions.incidents import add_thread
    from support.models import Incident, IncidentTrigger, Mention

    now = timezone.now()
    incident = Incident.objects.create(
        title="Bank feeds stopped syncing", key="questions|tag:banks", detected_at=now, last_grouped_at=now
    )
    IncidentTrigger.objects.create(
        incident=incident, series="tag:banks", signal="questions", first_at=now, last_at=now, count=9, peak=9,
        baseline=1, z=8,
    )  # fmt: skip
    add_thread(incident, question)
    mention = Mention.objects.create(
        source="twitter", external_id="1", author_handle="@casey", text="My bank feed is broken again!",
        created_at=now, received_at=now, tone=-0.6,
    )  # fmt: skip
    return incident, mention


def test_unanswered_escalated_claimed_answered_resolved(
    live_server,
    new_page,
    dialogs,
    question_factory,
    member,
    support_agent,
    django_capture_on_commit_callbacks,
):
    base = live_server.url
    question = question_factory(author=member, title="Bank feed stopped syncing yesterday")
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=30))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()  # the beat job's work (the service tier runs it through a real beat)
    escalation = Escalation.objects.get()

    customer = new_page()
    _log_in(customer, base, member.username, PASSWORD)
    customer.goto(f"{base}{question.get_absolute_url()}")
    customer.get_by_text("Your question is with support").wait_for()

    staff = new_page()
    _log_in(staff, base, support_agent.username, PASSWORD)
    staff.goto(f"{base}/support/queue/")
    staff.get_by_role("link", name="Bank feed stopped syncing yesterday").click()
    staff.wait_for_url(re.compile(rf".*/support/escalations/{escalation.pk}/$"))
    staff.get_by_role("button", name="Claim").first.click()
    staff.get_by_text("It is yours now.").wait_for()
    staff.get_by_label("Internal note (staff only)").fill("Their bank changed its API on Monday.")
    staff.get_by_role("button", name="Add note").click()
    staff.get_by_text("Note added (staff only).").wait_for()
    staff.get_by_label("Official reply (public, on the thread)").fill(
        "Reconnect the feed: Settings → Banks → Reconnect."
    )
    staff.get_by_role("button", name="Post official reply").click()
    staff.get_by_text("Official reply posted on the thread.").wait_for()
    problems = {"escalation": _serious(staff)}
    incident, mention = _incident_and_mention(question)
    for path in ("/support/queue/?state=all", "/support/dashboard/", "/my-work/", "/support/incidents/",
                 incident.get_absolute_url(), "/support/mentions/?state=all", mention.get_absolute_url(),
                 f"/triage/escalation/{escalation.pk}/", f"/triage/escalation/{escalation.pk}/?path=positive",
                 "/coaching/", "/coaching/settings/", "/support/webhooks/"):  # fmt: skip
        staff.goto(f"{base}{path}")
        problems[path] = _serious(staff)
    assert {path: found for path, found in problems.items() if found} == {}

    customer.reload()
    customer.get_by_text("Official", exact=True).first.wait_for()
    assert "bank changed its API" not in customer.content()
    customer.get_by_role("button", name="This helped me").click()
    customer.get_by_text("Support marked your question resolved").wait_for()
    escalation.refresh_from_db()
    assert escalation.state == "resolved"
    assert dialogs == []
