"""Votes, acceptance and deletion write the ledger; reversals cancel exactly their own rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from community.actions.answers import accept_answer, delete_answer, restore_answer, unaccept_answer
from community.actions.questions import delete_question, restore_question
from community.actions.votes import cast_vote
from community.models import Notification, RankReached, ReputationEvent
from community.reputation import Reason

pytestmark = pytest.mark.django_db


def rep(user: User) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


@pytest.fixture
def voter(user_factory):
    return user_factory(reputation=500)


def test_an_answer_upvote_gives_its_author_ten(answer_factory, voter):
    answer = answer_factory()
    before = rep(answer.author)
    cast_vote(answer, by=voter, value=1)
    assert rep(answer.author) == before + 10
    event = ReputationEvent.objects.get(user=answer.author, reason=Reason.ANSWER_UPVOTED)
    assert event.source_key.startswith("vote:") and event.answer == answer


def test_a_question_upvote_gives_five(question, voter, member):
    before = rep(member)
    cast_vote(question, by=voter, value=1)
    assert rep(member) == before + 5


def test_a_downvote_costs_the_author_two_and_the_voter_one(answer_factory, voter):
    answer = answer_factory()
    author_before, voter_before = rep(answer.author), rep(voter)
    cast_vote(answer, by=voter, value=-1)
    assert rep(answer.author) == max(1, author_before - 2)
    assert rep(voter) == voter_before - 1


def test_withdrawing_a_vote_appends_a_reversal_and_casting_again_is_a_new_event(answer_factory, voter):
    answer = answer_factory()
    before = rep(answer.author)
    cast_vote(answer, by=voter, value=1)
    cast_vote(answer, by=voter, value=1)  # withdraw
    assert rep(answer.author) == before
    rows = list(ReputationEvent.objects.filter(user=answer.author).exclude(reason=Reason.ADJUSTMENT))
    assert sorted(r.points for r in rows) == [-10, 10]
    reversal = next(r for r in rows if r.reason == Reason.REVERSAL)
    assert reversal.reverses.points == 10
    cast_vote(answer, by=voter, value=1)  # again: its own vote row, its own event
    assert rep(answer.author) == before + 10
    assert ReputationEvent.objects.filter(user=answer.author, reason=Reason.ANSWER_UPVOTED).count() == 2


def test_changing_a_vote_reverses_the_old_and_awards_the_new(answer_factory, voter):
    answer = answer_factory()
    before = rep(answer.author)
    cast_vote(answer, by=voter, value=1)
    cast_vote(answer, by=voter, value=-1)
    assert rep(answer.author) == max(1, before - 2)


def test_points_from_votes_are_capped_per_utc_day(settings, answer_factory, user_factory, question_factory):
    settings.COMMUNITY_REPUTATION_DAILY_VOTE_CAP = 25
    author = user_factory()
    answers = [answer_factory(author=author) for _ in range(2)]
    voters = [user_factory(reputation=20) for _ in range(2)]
    for answer in answers:
        for v in voters:
            cast_vote(answer, by=v, value=1)
    awarded = list(
        ReputationEvent.objects.filter(user=author, reason=Reason.ANSWER_UPVOTED)
        .order_by("pk")
        .values_list("points", flat=True)
    )
    assert awarded == [10, 10, 5, 0]  # each row stores what was actually awarded
    assert rep(author) == 1 + 25
    # Acceptance is not a vote: it is never capped.
    accept_answer(answers[0], by=answers[0].question.author)
    assert rep(author) == 1 + 25 + 15


def test_yesterdays_votes_do_not_count_against_todays_cap(settings, answer_factory, user_factory):
    settings.COMMUNITY_REPUTATION_DAILY_VOTE_CAP = 10
    answer = answer_factory()
    first, second = user_factory(reputation=20), user_factory(reputation=20)
    cast_vote(answer, by=first, value=1)
    ReputationEvent.objects.filter(user=answer.author).update(created_at=timezone.now() - timedelta(days=1))
    cast_vote(answer, by=second, value=1)
    assert (
        ReputationEvent.objects.filter(user=answer.author, reason=Reason.ANSWER_UPVOTED).latest("pk").points
        == 10
    )


def test_accepting_awards_author_and_asker_and_unaccepting_reverses_both(question, answer_factory, member):
    answer = answer_factory(question=question)
    author_before, asker_before = rep(answer.author), rep(member)
    accept_answer(answer, by=member)
    assert rep(answer.author) == author_before + 15
    assert rep(member) == asker_before + 2
    unaccept_answer(answer, by=member)
    assert (rep(answer.author), rep(member)) == (author_before, asker_before)


def test_moving_the_mark_moves_the_points(question, answer_factory, member):
    first, second = answer_factory(question=question), answer_factory(question=question)
    before = rep(first.author), rep(second.author), rep(member)
    accept_answer(first, by=member)
    accept_answer(second, by=member)
    assert rep(first.author) == before[0]
    assert rep(second.author) == before[1] + 15
    assert rep(member) == before[2] + 2


def test_no_points_for_accepting_your_own_answer(question, answer_factory, member):
    own = answer_factory(question=question, author=member)
    before = rep(member)
    accept_answer(own, by=member)
    assert rep(member) == before
    assert not ReputationEvent.objects.filter(
        reason__in=[Reason.ANSWER_ACCEPTED, Reason.ACCEPTED_AN_ANSWER]
    ).exists()


def test_staff_accepting_gives_no_asker_bonus(question, answer_factory, support_agent):
    answer = answer_factory(question=question)
    accept_answer(answer, by=support_agent)
    assert not ReputationEvent.objects.filter(reason=Reason.ACCEPTED_AN_ANSWER).exists()
    assert ReputationEvent.objects.filter(user=answer.author, reason=Reason.ANSWER_ACCEPTED).exists()


def test_deleting_a_post_reverses_what_it_earned_and_restoring_awards_it_again(
    question, answer_factory, voter, member, support_agent
):
    answer = answer_factory(question=question)
    before = rep(answer.author)
    cast_vote(answer, by=voter, value=1)
    accept_answer(answer, by=member)
    assert rep(answer.author) == before + 25
    delete_answer(answer, by=answer.author)
    assert rep(answer.author) == before
    restore_answer(answer, by=support_agent)
    assert rep(answer.author) == before + 10  # the vote stands again; the acceptance was removed


def test_deleting_a_question_reverses_its_votes(question, voter, member, support_agent):
    before = rep(member)
    cast_vote(question, by=voter, value=1)
    delete_question(question, by=member)
    assert rep(member) == before
    restore_question(question, by=support_agent)
    assert rep(member) == before + 5


def test_voting_needs_the_privilege(answer_factory, newcomer, user_factory):
    answer = answer_factory()
    with pytest.raises(PermissionDenied, match="needs 15 reputation"):
        cast_vote(answer, by=newcomer, value=1)
    member = user_factory(reputation=15)
    cast_vote(answer, by=member, value=1)
    with pytest.raises(PermissionDenied, match="needs 125 reputation"):
        cast_vote(answer, by=member, value=-1)
    answer.refresh_from_db()
    assert answer.score == 1


def test_a_member_without_the_privilege_can_still_withdraw_their_vote(answer_factory, user_factory):
    answer = answer_factory()
    voter = user_factory(reputation=15)
    cast_vote(answer, by=voter, value=1)
    ReputationEvent.objects.filter(user=voter).delete()
    User.objects.filter(pk=voter.pk).update(reputation=1)
    voter.refresh_from_db()
    assert cast_vote(answer, by=voter, value=1) == 0


def test_reaching_a_rank_notifies_once_even_when_crossing_again(
    answer_factory, user_factory, django_capture_on_commit_callbacks
):
    author = user_factory()
    answer = answer_factory(author=author)
    voters = [user_factory(reputation=20) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(answer, by=voters[0], value=1)
        cast_vote(answer, by=voters[1], value=1)  # 21: Member
        cast_vote(answer, by=voters[1], value=1)  # withdraw: 11
        cast_vote(answer, by=voters[1], value=1)  # 21 again
    assert list(RankReached.objects.filter(user=author).values_list("rank", flat=True)) == ["Member"]
    assert Notification.objects.filter(recipient=author, event="rank_reached").count() == 1


def test_the_recompute_command_reports_and_fixes_drift(answer_factory, voter, capsys):
    answer = answer_factory()
    cast_vote(answer, by=voter, value=1)
    call_command("recompute_reputation")
    assert "matches the ledger" in capsys.readouterr().out
    User.objects.filter(pk=answer.author_id).update(reputation=999)
    call_command("recompute_reputation")
    assert f"{answer.author.username}: stored 999, ledger says 11" in capsys.readouterr().out
    assert rep(answer.author) == 999
    call_command("recompute_reputation", "--fix")
    assert rep(answer.author) == 11


def test_the_recount_command_repairs_counters(question, answer_factory, voter, capsys):
    from community.models import Question

    cast_vote(question, by=voter, value=1)
    answer_factory(question=question)
    Question.objects.filter(pk=question.pk).update(score=7, answer_count=0)
    call_command("recount_community", "--fix")
    question.refresh_from_db()
    assert (question.score, question.answer_count) == (1, 1)
    assert "Fixed 1" in capsys.readouterr().out


def test_the_demo_seed_builds_a_consistent_community(capsys):
    call_command("seed_demo")
    assert "casey" in capsys.readouterr().out
    call_command("recompute_reputation")
    call_command("recount_community")
    out = capsys.readouterr().out
    assert "matches the ledger" in out and "Found 0 drifted" in out
    ava = User.objects.get(username="ava")
    assert ava.rank.name == "Advocate" and ava.is_mvp
    assert ava.badges.filter(badge="helper").exists()


def test_the_demo_seed_is_history_the_communitys_own_rules_accept():
    """Ten minutes after `make run`, the serial-vote job used to reverse 94 of the 128
    seeded votes (casey dropped from 155 to 55): every vote had been cast in one burst."""
    from community.actions.votes import reverse_serial_votes
    from community.models import Vote

    call_command("seed_demo")
    casey = User.objects.get(username="casey").reputation
    votes = Vote.objects.count()
    assert votes > 50
    assert reverse_serial_votes(since=timezone.now() - timedelta(days=30)) == 0
    assert Vote.objects.count() == votes and User.objects.get(username="casey").reputation == casey


def test_withdrawing_a_vote_after_its_post_was_restored_takes_back_the_restored_points(
    answer_factory, voter, support_agent
):
    answer = answer_factory()
    before = rep(answer.author)
    cast_vote(answer, by=voter, value=1)
    delete_answer(answer, by=answer.author)
    restore_answer(answer, by=support_agent)
    assert rep(answer.author) == before + 10
    cast_vote(answer, by=voter, value=1)  # withdraw
    assert rep(answer.author) == before


def test_serial_voting_is_detected_and_reversed(answer_factory, user_factory, settings):
    from community.actions.votes import reverse_serial_votes
    from community.models import Answer, Vote

    settings.COMMUNITY_SERIAL_VOTES_THRESHOLD = 3
    target, fan, fair = user_factory(), user_factory(reputation=20), user_factory(reputation=20)
    answers = [answer_factory(author=target) for _ in range(4)]
    for answer in answers:
        cast_vote(answer, by=fan, value=1)
    cast_vote(answers[0], by=fair, value=1)
    assert rep(target) == 1 + 50
    assert reverse_serial_votes() == 4
    assert reverse_serial_votes() == 0  # idempotent
    assert rep(target) == 1 + 10  # only the fair vote stands
    assert not Vote.objects.filter(user=fan).exists()
    assert [a.score for a in Answer.objects.filter(pk__in=[a.pk for a in answers]).order_by("pk")] == [
        1,
        0,
        0,
        0,
    ]


def test_votes_spread_over_time_are_not_serial(answer_factory, user_factory, settings):
    from community.actions.votes import reverse_serial_votes
    from community.models import Vote

    settings.COMMUNITY_SERIAL_VOTES_THRESHOLD = 3
    target, fan = user_factory(), user_factory(reputation=20)
    for hours in range(4):
        cast_vote(answer_factory(author=target), by=fan, value=1)
        Vote.objects.filter(user=fan).order_by("-pk").filter(
            pk=Vote.objects.filter(user=fan).latest("pk").pk
        ).update(created_at=timezone.now() - timedelta(hours=hours))
    assert reverse_serial_votes() == 0


def test_removing_a_post_as_spam_costs_its_author_and_restoring_cancels_it(
    client, answer_factory, voter, advocate, support_agent
):
    answer = answer_factory()
    cast_vote(answer, by=voter, value=1)
    before = rep(answer.author)
    client.force_login(advocate)
    assert client.post(f"/answers/{answer.pk}/spam/").status_code == 302
    answer.refresh_from_db()
    assert answer.is_deleted
    assert ReputationEvent.objects.get(user=answer.author, reason=Reason.POST_SPAM).points == -100
    assert rep(answer.author) == max(1, before - 10 - 100)
    restore_answer(answer, by=support_agent)
    assert rep(answer.author) == before


def test_members_cannot_remove_spam(client, answer_factory, voter):
    answer = answer_factory()
    client.force_login(voter)
    assert client.post(f"/answers/{answer.pk}/spam/").status_code == 403
    answer.refresh_from_db()
    assert not answer.is_deleted


def test_removing_the_accepted_answer_as_spam_ends_the_acceptance(question, answer_factory, member, advocate):
    from community.actions.spam import remove_as_spam
    from community.models import Acceptance

    answer = answer_factory(question=question)
    before = rep(answer.author)
    accept_answer(answer, by=member)
    remove_as_spam(answer, by=advocate)
    question.refresh_from_db()
    assert question.accepted_answer is None and question.answer_count == 0
    assert not Acceptance.objects.filter(question=question, revoked_at__isnull=True).exists()
    assert rep(answer.author) == max(1, before - 100)
