"""Votes are one per member and post; acceptance belongs to the asker and staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from community.actions.answers import accept_answer, unaccept_answer
from community.actions.engagement import toggle_me_too
from community.actions.votes import cast_vote
from community.models import MeToo, Vote

pytestmark = pytest.mark.django_db


def test_voting_up_counts_once_and_again_withdraws(answer_factory, member):
    answer = answer_factory()
    assert cast_vote(answer, by=member, value=1) == 1
    assert answer.score == 1
    assert cast_vote(answer, by=member, value=1) == 0
    assert answer.score == 0
    assert not Vote.objects.filter(user=member).exists()


def test_changing_a_vote_replaces_it_with_a_new_row(answer_factory, member):
    answer = answer_factory()
    cast_vote(answer, by=member, value=1)
    first = Vote.objects.get(user=member)
    assert cast_vote(answer, by=member, value=-1) == -1
    answer.refresh_from_db()
    assert answer.score == -1
    second = Vote.objects.get(user=member)
    assert second.pk != first.pk


def test_nobody_votes_on_their_own_post(question, member):
    with pytest.raises(PermissionDenied):
        cast_vote(question, by=member, value=1)
    question.refresh_from_db()
    assert question.score == 0


def test_the_database_refuses_a_second_vote_row(question, other_member):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    cast_vote(question, by=other_member, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=other_member, question=question, value=1, created_at=timezone.now())


def test_the_asker_accepts_and_accepting_another_moves_the_mark(question, answer_factory, member):
    first, second = answer_factory(question=question), answer_factory(question=question)
    accept_answer(first, by=member)
    accept_answer(second, by=member)
    question.refresh_from_db()
    assert question.accepted_answer == second
    unaccept_answer(second, by=member)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_support_staff_may_accept(question, answer_factory, support_agent):
    answer = answer_factory(question=question)
    accept_answer(answer, by=support_agent)
    question.refresh_from_db()
    assert question.is_solved


@pytest.mark.parametrize("who", ["other_member", "advocate", "answer_author"])
def test_nobody_else_may_accept(question, answer_factory, request, who):
    answer = answer_factory(question=question)
    user = answer.author if who == "answer_author" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        accept_answer(answer, by=user)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_i_have_this_too_counts_one_per_member_and_toggles(question, other_member):
    assert toggle_me_too(question, user=other_member) is True
    assert question.me_too_count == 1
    assert toggle_me_too(question, user=other_member) is False
    assert question.me_too_count == 0
    assert not MeToo.objects.exists()


def test_the_asker_cannot_say_i_have_this_too(question, member):
    with pytest.raises(PermissionDenied):
        toggle_me_too(question, user=member)
