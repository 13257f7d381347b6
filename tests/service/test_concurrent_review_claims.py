"""Reviewers claiming one review item at the same moment on PostgreSQL: one holds it, the
others are told someone else has it, and the history says "claimed" once."""

from __future__ import annotations

import pytest
from django.db import connection

from community.actions.queues import QueueConflict
from community.actions.review import claim_review
from community.models import ReviewItem
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
REVIEWERS = 5


def test_reviewers_claiming_at_once_one_wins(question_factory, user_factory):
    assert connection.vendor == "postgresql"
    question = question_factory(author=user_factory())  # a first post: in the queue
    item = ReviewItem.objects.get(question=question)
    reviewers = [user_factory(reputation=800) for _ in range(REVIEWERS)]
    won, lost = all_at_once(
        lambda reviewer: claim_review(ReviewItem.objects.get(pk=item.pk), by=reviewer),
        reviewers,
        refused=(QueueConflict,),
    )
    assert len(won) == 1 and len(lost) == REVIEWERS - 1
    item.refresh_from_db()
    assert item.assignee_id == won[0].pk and item.state == "claimed"
    assert item.history.filter(note="claimed").count() == 1
