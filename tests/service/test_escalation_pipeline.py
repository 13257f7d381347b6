"""Escalations on real services: concurrent sweeps on PostgreSQL open one escalation per
question, and the whole flow runs through a real Celery beat and worker on Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from community.models import Answer, Question
from support.actions.escalations import sweep
from support.models import Escalation
from tests.service.conftest import wait_for
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
SWEEPERS = 4


def test_sweeps_running_at_once_on_separate_connections_open_one_escalation_each(question_factory):
    assert connection.vendor == "postgresql"
    questions = [question_factory() for _ in range(10)]
    Question.objects.update(created_at=timezone.now() - timedelta(hours=30))
    now = timezone.now()
    all_at_once(lambda _: sweep(now=now), range(SWEEPERS))
    for question in questions:
        assert Escalation.objects.filter(question=question).count() == 1


def test_one_help_request_handled_by_several_workers_at_once_opens_one_escalation(question_factory, member):
    """The outbox row and the beat sweep may both pick up the same "I still need help":
    the request is marked handled by a conditional update, in the escalation's transaction."""
    from support.actions.escalations import handle_help_request
    from support.models import HelpRequest, HelpRequestKind

    assert connection.vendor == "postgresql"
    question = question_factory(author=member)
    request = HelpRequest.objects.create(
        question=question, kind=HelpRequestKind.ASKER, by=member, created_at=timezone.now()
    )
    opened = []
    all_at_once(
        lambda _: opened.append(handle_help_request(HelpRequest.objects.get(pk=request.pk))), range(4)
    )
    assert opened.count(True) == 1
    assert Escalation.objects.filter(question=question).count() == 1
    assert HelpRequest.objects.get(pk=request.pk).handled_at is not None


def test_beat_sweeps_staff_reply_and_the_customer_sees_it_resolved(
    client, question_factory, member, support_agent, celery_beat_process, celery_worker_process
):
    question = question_factory(author=member, title="Invoices export as blank pages since 4.2")
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=30))
    escalation = wait_for(
        lambda: Escalation.objects.filter(question=question).first(), timeout=90, what="the beat's sweep"
    )
    wait_for(
        lambda: any(
            member.email in path.read_text() and "support specialist" in path.read_text()
            for path in celery_worker_process["mail_dir"].glob("*.log")
        ),
        timeout=90,
        what="the customer's email",
    )
    client.force_login(support_agent)
    assert client.post(f"/support/escalations/{escalation.pk}/claim/").status_code == 302
    client.post(
        f"/support/escalations/{escalation.pk}/reply/", {"reply-body": "Fixed in 4.2.1; please update."}
    )
    official = Answer.objects.get(question=question, is_official=True)
    client.force_login(member)
    client.post(f"/answers/{official.pk}/helped/")
    escalation.refresh_from_db()
    assert escalation.state == "resolved"
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Support marked your question resolved" in page


def test_two_staff_claiming_at_once_on_postgresql_one_wins(question_factory, user_factory):
    from community.actions.queues import QueueConflict
    from support.actions.escalations import claim_escalation

    question = question_factory()
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=30))
    sweep()
    escalation = Escalation.objects.get()
    agents = [user_factory(roles=("Support staff",)) for _ in range(SWEEPERS)]
    won, lost = all_at_once(
        lambda agent: claim_escalation(Escalation.objects.get(pk=escalation.pk), by=agent),
        agents,
        refused=(QueueConflict,),
    )
    assert len(won) == 1 and len(lost) == SWEEPERS - 1
    escalation.refresh_from_db()
    assert escalation.assignee_id == won[0].pk
    assert escalation.history.filter(note="claimed").count() == 1
