"""The support pages' query counts do not grow with their items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Question
from support.actions.escalations import add_note, claim_escalation, sweep
from support.models import Escalation

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("n", [1, 30])
def test_the_queue_and_an_escalation_page_do_not_grow_with_their_items(
    client, question_factory, user_factory, support_agent, n
):
    for _ in range(n):
        question_factory(author=user_factory(is_vip=bool(n % 2)))
    Question.objects.update(created_at=timezone.now() - timedelta(hours=30))
    sweep()
    first = Escalation.objects.order_by("pk").first()
    claim_escalation(first, by=support_agent)
    for i in range(n):
        add_note(first, by=support_agent, body=f"note {i}")
    client.force_login(support_agent)
    assert _count(client, "/support/queue/") == QUEUE_QUERIES
    assert _count(client, f"/support/escalations/{first.pk}/") == DETAIL_QUERIES
    assert _count(client, "/my-work/") == MY_WORK_QUERIES


# Session, user, user's groups; the page's escalations (count + rows with question,
# author, category and assignee); the category filter's options; unread notifications;
# the header's review-queue badges (one GROUP BY).
QUEUE_QUERIES = 8
# Session, user, groups; the escalation with its question, people; history with actors;
# notes with authors; the staff list for "assign"; unread notifications; review badges.
DETAIL_QUERIES = 9
# Session, user, groups (which queues the viewer works), my open escalations with their
# questions, my review items, my feedback items, unread notifications, review badges.
MY_WORK_QUERIES = 8


@pytest.mark.parametrize("n", [1, 30])
def test_the_changelog_does_not_grow_with_what_shipped(client, question_factory, n):
    from support.models import FeedbackItem

    for i in range(n):
        question = question_factory(title=f"Shipped idea number {i}")
        FeedbackItem.objects.create(
            question=question, kind="idea", status="shipped", status_changed_at=timezone.now(),
            created_at=timezone.now(), updated_at=timezone.now(),
        )  # fmt: skip
    assert _count(client, "/changelog/") == CHANGELOG_QUERIES


# The page's items with their threads and teams, and their count for the pages.
CHANGELOG_QUERIES = 2


@pytest.mark.parametrize("n", [1, 12])
def test_the_incident_pages_do_not_grow_with_incidents_threads_or_statuses(
    client, question_factory, support_agent, n
):
    from support.actions.incidents import add_thread, post_status
    from support.models import Incident, IncidentTrigger

    now = timezone.now()
    for i in range(n):
        incident = Incident.objects.create(
            title=f"Incident {i}", key=f"questions|tag:t{i}", detected_at=now, last_grouped_at=now
        )
        IncidentTrigger.objects.create(
            incident=incident, series=f"tag:t{i}", signal="questions", first_at=now, last_at=now, count=9,
            peak=9, baseline=1, z=8,
        )  # fmt: skip
        add_thread(incident, question_factory())
        post_status(incident, by=support_agent, stage="investigating", body=f"Looking {i}")
    first = Incident.objects.order_by("pk").first()
    for _ in range(n):
        add_thread(first, question_factory())
    client.force_login(support_agent)
    assert _count(client, "/support/incidents/") == INCIDENTS_QUERIES
    assert _count(client, f"/support/incidents/{first.pk}/") == INCIDENT_QUERIES


# Session, user, groups; the page's incidents (count + rows with team and thread counts)
# and their triggers; unread notifications; review badges.
INCIDENTS_QUERIES = 8
# Session, user, groups; the incident with its team; triggers; the chart's events; the
# threads with their questions; the statuses (current and history); unread
# notifications; review badges.
INCIDENT_QUERIES = 10
