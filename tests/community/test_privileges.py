"""Privileges earned with reputation and the Advocate rank, through the site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import ADVOCATE
from community import permissions
from community.actions.answers import accept_answer
from community.models import Question

pytestmark = pytest.mark.django_db


def test_the_privileges_page_shows_a_member_what_they_hold_and_what_is_next(client, user_factory):
    client.force_login(user_factory(reputation=60))
    content = client.get("/privileges/").content.decode()
    assert "You have <strong>60</strong> reputation" in content
    assert (
        "<strong>Member</strong>" in content and "Next rank: <strong>Contributor</strong> at 100" in content
    )
    assert "40 to go" in content
    assert "Next privilege: <strong>Vote down questions and answers</strong> at 125" in content
    assert content.count("✓ held") == 3  # flag weight, vote up, comment anywhere


def test_the_privileges_page_lists_every_rule_for_visitors(client):
    content = client.get("/privileges/").content.decode()
    for text in [
        "Vote up questions and answers",
        "Edit other members",
        "New member",
        "Advocate",
        "+10",
        "−2",
    ]:
        assert text in content.replace("-2", "−2")


def test_a_newcomer_sees_disabled_vote_buttons_and_gets_a_reason_on_post(client, question, newcomer):
    client.force_login(newcomer)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "disabled" in page
    response = client.post(f"/questions/{question.pk}/vote/", {"direction": "up"})
    assert response.status_code == 403 and "needs 15 reputation" in response.content.decode()


def test_commenting_on_others_needs_fifty_but_own_threads_are_free(
    client, question, answer_factory, newcomer, member
):
    answer = answer_factory(question=question, author=newcomer)
    client.force_login(newcomer)
    assert client.post(f"/answers/{answer.pk}/comment/", {"body": "On my own answer"}).status_code == 302
    response = client.post(f"/questions/{question.pk}/comment/", {"body": "On someone else's question"})
    assert response.status_code == 403 and "needs 50 reputation" in response.content.decode()
    client.force_login(member)  # the asker may comment on answers to their question
    assert client.post(f"/answers/{answer.pk}/comment/", {"body": "Thanks, trying it"}).status_code == 302


def test_new_tags_need_the_privilege_and_the_form_says_so(client, newcomer, category):
    client.force_login(newcomer)
    data = {
        "title": "How do I export to CSV?",
        "body": "I need a CSV of all invoices.",
        "category": category.pk,
    }
    response = client.post("/questions/ask/", {**data, "tags": "brand-new-tag"})
    assert response.status_code == 400
    assert "New tags need 300 reputation" in response.content.decode()
    assert 'value="brand-new-tag"' in response.content.decode()
    from taggit.models import Tag

    Tag.objects.create(name="csv", slug="csv")
    assert client.post("/questions/ask/", {**data, "tags": "csv"}).status_code == 302


def test_editing_others_posts_comes_with_the_privilege(answer_factory, user_factory):
    answer = answer_factory()
    assert not permissions.can_edit(user_factory(reputation=999), answer)
    assert permissions.can_edit(user_factory(reputation=1000), answer)


def test_an_advocate_by_rank_and_by_appointment_have_the_same_rights(question, answer_factory, user_factory):
    answer = answer_factory(question=question)
    by_rank = user_factory(reputation=1000)
    appointed = user_factory(roles=(ADVOCATE,))
    for advocate in (by_rank, appointed):
        assert permissions.can_edit(advocate, answer)
        assert not permissions.can_accept(advocate, answer)  # the asker is not silent yet
    Question.objects.filter(pk=question.pk).update(asker_active_at=timezone.now() - timedelta(days=8))
    answer.question.refresh_from_db()
    for advocate in (by_rank, appointed):
        assert permissions.can_accept(advocate, answer)
    accept_answer(answer, by=by_rank)
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_the_asker_commenting_resets_the_silence(client, question, answer_factory, user_factory, member):
    from community.actions.comments import add_comment

    answer = answer_factory(question=question)
    Question.objects.filter(pk=question.pk).update(asker_active_at=timezone.now() - timedelta(days=30))
    add_comment(question, author=member, body="Still waiting, any ideas?")
    answer.question.refresh_from_db()
    assert not permissions.can_accept(user_factory(reputation=1000), answer)


def test_names_show_rank_reputation_and_roles(client, question, answer_factory, support_agent):
    answer_factory(question=question, author=support_agent)
    content = client.get(question.get_absolute_url()).content.decode()
    assert 'class="rank"' in content and "Contributor · 500" in content
    assert '<span class="role-badge">Support staff</span>' in content


def test_the_profile_shows_standing_and_the_ledger(client, answer_factory, user_factory):
    voter = user_factory(reputation=20)
    answer = answer_factory()
    from community.actions.votes import cast_vote

    cast_vote(answer, by=voter, value=1)
    content = client.get(f"/users/{answer.author.username}/").content.decode()
    assert "<strong>11</strong> reputation" in content and "Answer upvoted" in content
    assert "to Member" in content


def _earn(user_factory, answer_factory, *, tag: str, votes: int):
    from community.actions.votes import cast_vote

    answer = answer_factory()
    answer.question.tags.set([tag])
    for _ in range(votes):
        cast_vote(answer, by=user_factory(reputation=20), value=1)
    return answer.author


def test_leaderboards_by_week_month_all_time_and_tag(client, user_factory, answer_factory):
    from datetime import timedelta

    from community.models import ReputationEvent

    top = _earn(user_factory, answer_factory, tag="billing", votes=3)
    second = _earn(user_factory, answer_factory, tag="export", votes=1)
    # One of top's votes happened long ago: it counts for all time, not this week.
    ReputationEvent.objects.filter(user=top, reason="answer_upvoted").filter(
        pk=ReputationEvent.objects.filter(user=top, reason="answer_upvoted").first().pk
    ).update(created_at=timezone.now() - timedelta(days=60))
    week = client.get("/leaderboard/?period=week").content.decode()
    assert week.index(top.username) < week.index(second.username)
    assert "<td>20</td>" in week and "<td>10</td>" in week
    tagged = client.get("/leaderboard/?period=all&tag=export").content.decode()
    assert second.username in tagged and top.username not in tagged
    assert client.get("/leaderboard/?period=decade").status_code == 400


def test_the_leaderboard_query_count_does_not_grow(client, user_factory, answer_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _earn(user_factory, answer_factory, tag="billing", votes=1)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/leaderboard/?period=week").status_code == 200
        counts.append(len(queries))
        for _ in range(10):
            _earn(user_factory, answer_factory, tag="billing", votes=1)
    assert counts[0] == counts[1]


def test_disabled_vote_buttons_say_why(client, question, newcomer, member):
    client.force_login(newcomer)
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'title="Voting up needs 15 reputation; you have 1."' in page
    client.force_login(member)
    own = client.get(question.get_absolute_url()).content.decode()
    assert 'title="You cannot vote on your own post."' in own
