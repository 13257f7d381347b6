"""Coaching before publishing: a first-time asker's question waits for a coach (seen only
by the asker, coaches and staff, taking comments, not answers), a coach publishes it or
the timeout does, the policy is set by staff in the site, and the dashboard compares
coached with uncoached first questions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from community.actions.answers import accept_answer, post_answer
from community.actions.coaching import needs_coaching, publish_due
from community.models import CoachingPolicy, Notification, NotificationEvent, Question
from community.search import SearchQuery, get_engine
from support.actions.escalations import sweep
from support.models import Escalation

pytestmark = pytest.mark.django_db


@pytest.fixture
def coaching(db):
    return CoachingPolicy.objects.create(mode="first_question", timeout_hours=12)


def _ask(client, category, title: str):
    Tag.objects.get_or_create(name="billing", defaults={"slug": "billing"})
    return client.post(
        "/questions/ask/",
        {
            "title": title,
            "body": "The export button does nothing at all.",
            "category": category.pk,
            "tags": "billing",
        },
    )


def _search(text: str) -> list[str]:
    return [hit.title for hit in get_engine().search(SearchQuery(text=text)).hits]


def test_without_a_policy_questions_are_published_at_once(client, member, category, run):
    client.force_login(member)
    run(_ask, client, category, "Export button does nothing at all")
    assert not Question.objects.get().in_coaching and _search("export button") == [
        "Export button does nothing at all"
    ]


def test_a_first_question_is_coached_then_published_by_a_coach(
    client, run, coaching, member, other_member, advocate, category
):
    client.force_login(member)
    run(_ask, client, category, "Export button does nothing at all")
    question = Question.objects.get()
    assert question.in_coaching and question.coaching_ends_at is not None
    assert "with our coaches first" in client.get(question.get_absolute_url()).content.decode()
    assert _search("export button") == []
    for reader in (other_member, None):
        client.logout() if reader is None else client.force_login(reader)
        assert client.get(question.get_absolute_url()).status_code == 404
        assert question.title not in client.get("/questions/").content.decode()
    client.force_login(other_member)
    assert client.get("/coaching/").status_code == 403
    client.force_login(advocate)
    assert question.title in client.get("/coaching/").content.decode()
    coaching_comment = {"body": "Which browser, and does it happen on every invoice?"}
    assert run(client.post, f"/questions/{question.pk}/comment/", coaching_comment).status_code == 302
    assert question.comments.count() == 1
    refused = client.post(
        f"/questions/{question.pk}/answer/", {"body": "Try another browser, it usually works."}
    )
    assert refused.status_code == 403 and "still being coached" in refused.content.decode()
    assert "Try another browser, it usually works." in refused.content.decode()  # kept to copy
    assert run(client.post, f"/questions/{question.pk}/publish/").status_code == 302
    question.refresh_from_db()
    assert not question.in_coaching and question.coached_by == advocate and question.was_coached
    assert _search("export button") == [question.title]
    client.force_login(other_member)
    assert client.get(question.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(recipient=member, event=NotificationEvent.QUESTION_PUBLISHED).exists()
    # The member's next question is published at once.
    client.force_login(member)
    run(_ask, client, category, "And where do I change the invoice logo?")
    assert not Question.objects.get(title__startswith="And where").in_coaching


def test_nobody_waits_forever_and_support_does_not_escalate_meanwhile(
    run, coaching, question_factory, user_factory
):
    question = question_factory(author=user_factory(reputation=1))
    assert question.in_coaching
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=30))
    sweep()
    assert not Escalation.objects.exists()  # the community has not seen it yet
    assert run(publish_due, now=timezone.now() + timedelta(hours=11)) == 0
    assert run(publish_due, now=timezone.now() + timedelta(hours=13)) == 1
    question.refresh_from_db()
    assert not question.in_coaching and question.coached_by is None
    text = Notification.objects.get(event=NotificationEvent.QUESTION_PUBLISHED).text
    assert "coaching time ended" in text


def test_until_accepted_posts_and_staff_set_the_policy_in_the_site(
    client, member, support_agent, question_factory, user_factory
):
    client.force_login(member)
    assert client.get("/coaching/settings/").status_code == 403
    client.force_login(support_agent)
    data = {"mode": "until_accepted", "accepted_posts": 1, "timeout_hours": 6}
    assert client.post("/coaching/settings/", data).status_code == 302
    assert client.post("/coaching/settings/", {**data, "timeout_hours": 0}).status_code == 400
    assert client.post("/coaching/settings/", {**data, "mode": "always\x00"}).status_code == 400
    policy = CoachingPolicy.objects.get()
    assert (policy.mode, policy.timeout_hours) == ("until_accepted", 6)
    helper = user_factory(reputation=10)
    assert needs_coaching(helper)
    asked = question_factory(author=user_factory(reputation=10))
    Question.objects.filter(pk=asked.pk).update(in_coaching=False)
    accept_answer(
        post_answer(Question.objects.get(pk=asked.pk), author=helper, body="Use the export menu."),
        by=asked.author,
    )
    assert not needs_coaching(helper)  # one accepted answer
    assert not needs_coaching(support_agent)


def test_the_dashboard_compares_coached_and_uncoached_first_questions(
    client, coaching, question_factory, user_factory, support_agent, advocate
):
    coached = question_factory(author=user_factory(reputation=1))
    from community.actions.coaching import publish

    publish(coached, by=advocate)
    post_answer(Question.objects.get(pk=coached.pk), author=advocate, body="Here is how to do it.")
    CoachingPolicy.objects.update(mode="off")
    question_factory(author=user_factory(reputation=1))  # a first question, not coached
    client.force_login(support_agent)
    html = client.get("/support/dashboard/").content.decode()
    section = html.split('id="coaching-heading"')[1].split("</section>")[0]
    assert '<th scope="row">Coached</th><td>1</td><td>100 %</td><td>100 %</td>' in section
    assert '<th scope="row">First questions, not coached</th><td>1</td><td>100 %</td><td>0 %</td>' in section
