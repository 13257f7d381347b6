"""Fifty members vote on one answer at the same moment, each on its own PostgreSQL
connection, released together by a barrier: the score and the ledger come out exact."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Sum

from community.actions.votes import cast_vote
from community.models import Answer, ReputationEvent, Vote
from community.reputation import Reason
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
VOTERS = 50


def test_fifty_simultaneous_votes_leave_the_exact_score_and_ledger(answer_factory, user_factory, settings):
    assert connection.vendor == "postgresql"
    answer = answer_factory()
    voters = [user_factory(reputation=20) for _ in range(VOTERS)]
    all_at_once(lambda voter: cast_vote(Answer.objects.get(pk=answer.pk), by=voter, value=1), voters)
    answer.refresh_from_db()
    assert answer.score == VOTERS
    assert Vote.objects.filter(answer=answer).count() == VOTERS
    upvotes = ReputationEvent.objects.filter(user=answer.author, reason=Reason.ANSWER_UPVOTED)
    assert upvotes.count() == VOTERS
    cap = settings.COMMUNITY_REPUTATION_DAILY_VOTE_CAP
    assert upvotes.aggregate(total=Sum("points"))["total"] == cap
    assert sorted(upvotes.values_list("points", flat=True), reverse=True) == [10] * (cap // 10) + [0] * (
        VOTERS - cap // 10
    )
    answer.author.refresh_from_db()
    assert answer.author.reputation == 1 + cap
