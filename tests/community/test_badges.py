"""Badges: pure rules, the awarding job (idempotent), pages and notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.actions.answers import accept_answer
from community.actions.badges import award_badges, member_stats
from community.actions.votes import cast_vote
from community.badges import BADGES, MemberStats, earned, longest_streak
from community.models import Answer, BadgeAward, Notification
from community.tasks import award_badges_task


def test_there_are_at_least_a_dozen_badges_in_three_classes():
    assert len(BADGES) >= 12
    assert {badge.tier for badge in BADGES} == {"bronze", "silver", "gold"}


@pytest.mark.parametrize(
    ("days", "streak"),
    [([], 0), ([date(2026, 1, 1)], 1), ([date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 4)], 2),
     ([date(2026, 1, d) for d in range(1, 8)], 7)],
)  # fmt: skip
def test_streaks_count_consecutive_days(days, streak):
    assert longest_streak(days) == streak


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        (MemberStats(questions=1), {"student"}),
        (MemberStats(answers=1), {"helper"}),
        (MemberStats(accepted_given=1), {"scholar"}),
        (MemberStats(answers=1, accepted_answers=1), {"helper", "first-solution"}),
        (MemberStats(best_question_score=10), {"nice-question"}),
        (MemberStats(answers=1, best_answer_score=25), {"helper", "nice-answer", "good-answer"}),
        (MemberStats(answers=10, accepted_answers=10), {"helper", "first-solution", "problem-solver"}),
        (MemberStats(answers=100), {"helper", "centurion"}),
        (MemberStats(answers=7, answer_days={date(2026, 1, d) for d in range(1, 8)}), {"helper", "regular"}),
    ],
)
def test_each_rule_awards_its_badge(stats, expected):
    assert {slug for slug, _ in earned(stats)} == expected


def test_tag_badges_and_versatility_come_from_accepted_answers_by_tag():
    stats = MemberStats(
        answers=9, accepted_answers=9, accepted_by_tag={"a": 5, "b": 1, "c": 1, "d": 1, "e": 1}
    )
    result = earned(stats)
    assert ("tag-expert", "a") in result and ("tag-expert", "b") not in result
    assert ("versatile", "") in result


@pytest.mark.django_db
def test_the_job_awards_from_real_posts_once(
    question, answer_factory, member, django_capture_on_commit_callbacks
):
    answer = answer_factory(question=question)
    accept_answer(answer, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        first = award_badges([member.pk, answer.author_id])
    author = answer.author_id
    expected = {
        (member.pk, "student"),
        (member.pk, "scholar"),
        (author, "helper"),
        (author, "first-solution"),
    }
    assert {(a.user_id, a.badge) for a in first} == expected
    assert award_badges([member.pk, answer.author_id]) == []
    assert BadgeAward.objects.count() == 4
    assert Notification.objects.filter(recipient=member, event="badge_awarded").count() == 2


@pytest.mark.django_db
def test_the_beat_task_finds_recently_active_members(question, member):
    assert award_badges_task() >= 1
    assert BadgeAward.objects.filter(user=member, badge="student").exists()


@pytest.mark.django_db
def test_answer_score_badges_follow_votes(answer_factory, user_factory):
    answer = answer_factory()
    for _ in range(10):
        cast_vote(answer, by=user_factory(reputation=20), value=1)
    award_badges([answer.author_id])
    assert BadgeAward.objects.filter(user=answer.author, badge="nice-answer").exists()


@pytest.mark.django_db
def test_a_streak_from_answer_dates(answer_factory, user_factory):
    author = user_factory()
    for day in range(7):
        answer = answer_factory(author=author)
        Answer.objects.filter(pk=answer.pk).update(created_at=timezone.now() - timedelta(days=day))
    assert longest_streak(member_stats([author.pk])[author.pk].answer_days) == 7
    award_badges([author.pk])
    assert BadgeAward.objects.filter(user=author, badge="regular").exists()


@pytest.mark.django_db
def test_a_tag_badge_for_accepted_answers_in_one_tag(
    settings, question_factory, answer_factory, user_factory, member
):
    settings.COMMUNITY_TAG_BADGE_ACCEPTED_ANSWERS = 2
    expert = user_factory()
    for _ in range(2):
        question = question_factory(author=member, tags=["payments"])
        accept_answer(answer_factory(question=question, author=expert), by=member)
    award_badges([expert.pk])
    assert BadgeAward.objects.filter(user=expert, badge="tag-expert", qualifier="payments").exists()


@pytest.mark.django_db
def test_badge_pages_list_badges_and_holders(client, question, member):
    award_badges([member.pk])
    listing = client.get("/badges/").content.decode()
    assert "Student" in listing and "Centurion" in listing and "1 member" in listing
    detail = client.get("/badges/student/").content.decode()
    assert member.username in detail
    assert client.get("/badges/no-such-badge/").status_code == 404
    assert "Student" in client.get(f"/users/{member.username}/").content.decode()


@pytest.mark.django_db
def test_badge_and_profile_pages_query_counts_do_not_grow(client, question_factory, user_factory, member):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    question_factory(author=member)
    award_badges([member.pk])
    before = count("/badges/student/"), count(f"/users/{member.username}/")
    for _ in range(10):
        author = user_factory()
        question_factory(author=author)
        question_factory(author=member)
        award_badges([author.pk])
    assert (count("/badges/student/"), count(f"/users/{member.username}/")) == before


@pytest.mark.django_db
def test_the_backfill_command_awards_everyone(question, member, capsys):
    from django.core.management import call_command

    call_command("award_badges", "--all", "--batch", "1")
    assert "Done:" in capsys.readouterr().out
    assert BadgeAward.objects.filter(user=member, badge="student").exists()
    call_command("award_badges", "--all")
    assert "Done: 0 badge(s)" in capsys.readouterr().out
