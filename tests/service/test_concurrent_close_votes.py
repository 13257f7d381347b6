"""Members vote to close one question at the same moment, each on its own PostgreSQL
connection: exactly the votes needed close it, once, and a late vote is told it is closed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from community.actions.closing import vote_to_close
from community.models import AuditEntry, CloseVote, Question
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
VOTERS = 6


def test_simultaneous_close_votes_close_the_question_exactly_once(question_factory, user_factory, settings):
    assert connection.vendor == "postgresql"
    settings.COMMUNITY_CLOSE_VOTES = 3
    question = question_factory()
    voters = [user_factory(reputation=800) for _ in range(VOTERS)]
    voted, refused = all_at_once(
        lambda voter: vote_to_close(Question.objects.get(pk=question.pk), by=voter, reason="off_topic"),
        voters,
        refused=(PermissionDenied,),
    )
    assert len(voted) == 3 and len(refused) == VOTERS - 3  # the rest: "already closed"
    question.refresh_from_db()
    assert question.closed_at is not None and question.close_reason == "off_topic"
    assert AuditEntry.objects.filter(action="close", object_id=question.pk).count() == 1
    assert CloseVote.objects.filter(question=question).count() == 3
    assert not CloseVote.objects.filter(question=question, is_active=True).exists()
