"""Followers hear about answers through the outbox, even across a broker outage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.actions import outbox
from community.actions.answers import accept_answer, post_answer
from community.actions.comments import add_comment
from community.actions.engagement import follow_question, unfollow_question
from community.actions.notifications import mark_read
from community.models import Notification, OutboxItem
from config.celery import app as celery_app
from config.celery import publish_to

pytestmark = pytest.mark.django_db


def test_an_answer_notifies_followers_once_and_emails_them(
    question, member, other_member, user_factory, django_capture_on_commit_callbacks
):
    follower = user_factory()
    follow_question(question, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_answer(question, author=other_member, body="Try the export in Settings.")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {member.username, follower.username}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, follower.email])
    assert "answered" in mail.outbox[0].subject
    assert OutboxItem.objects.get(topic="notify.answer_posted").processed_at is not None
    # Running the same outbox row again neither duplicates notifications nor resends mail.
    item = OutboxItem.objects.get(topic="notify.answer_posted")
    OutboxItem.objects.filter(pk=item.pk).update(processed_at=None)
    outbox.process(item.pk)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(url=answer.get_absolute_url()).count() == 2


def test_unfollowing_stops_notifications(question, member, other_member, django_capture_on_commit_callbacks):
    unfollow_question(question, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(question, author=other_member, body="An answer nobody follows.")
    assert not Notification.objects.exists()


def test_a_comment_on_an_answer_notifies_the_answer_author(
    question, answer_factory, user_factory, django_capture_on_commit_callbacks
):
    answer = answer_factory(question=question)
    commenter = user_factory(reputation=50)
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(answer, author=commenter, body="Does this work on mobile too?")
    assert Notification.objects.filter(recipient=answer.author, event="comment_posted").exists()
    assert not Notification.objects.filter(recipient=commenter).exists()


def test_acceptance_notifies_the_answer_author(
    question, answer_factory, member, django_capture_on_commit_callbacks
):
    answer = answer_factory(question=question)
    with django_capture_on_commit_callbacks(execute=True):
        accept_answer(answer, by=member)
    assert Notification.objects.filter(recipient=answer.author, event="answer_accepted").exists()


def test_a_broker_outage_keeps_the_answer_and_the_outbox_row(
    question, other_member, django_capture_on_commit_callbacks, settings
):
    # Point the app at a closed port and publish for real (no eager shortcut).
    celery_app.conf.task_always_eager = False
    publish_to("redis://127.0.0.1:1/0")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            answer = post_answer(question, author=other_member, body="Saved despite the broker.")
    finally:
        publish_to(None)
        celery_app.conf.task_always_eager = True
    assert answer.pk is not None
    item = OutboxItem.objects.get(topic="notify.answer_posted")
    assert item.processed_at is None
    assert not Notification.objects.exists()
    # Beat's job later hands the row over again (here eagerly) and the notice goes out.
    settings.COMMUNITY_OUTBOX_RETRY_AFTER_SECONDS = 0
    assert outbox.requeue_pending(now=timezone.now() + timedelta(seconds=1)) >= 1
    item.refresh_from_db()
    assert item.processed_at is not None
    assert Notification.objects.filter(recipient=question.author, event="answer_posted").count() == 1


def test_a_failing_handler_is_recorded_and_retried_later(monkeypatch, question):
    calls = []

    def flaky(payload):
        calls.append(payload)
        if len(calls) == 1:
            raise RuntimeError("mail server down")

    monkeypatch.setitem(outbox._handlers, "test.flaky", flaky)
    item = OutboxItem.objects.create(
        topic="test.flaky", payload={"n": 1}, created_at=timezone.now(), available_at=timezone.now()
    )
    assert outbox.process(item.pk) is False
    item.refresh_from_db()
    assert item.attempts == 1 and "mail server down" in item.last_error
    assert item.available_at > timezone.now()
    assert outbox.process(item.pk) is True
    item.refresh_from_db()
    assert item.processed_at is not None and item.last_error == ""


def test_marking_read_clears_the_unread_count(
    client, question, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(question, author=other_member, body="Here is what worked for me.")
    client.force_login(member)
    page = client.get("/notifications/")
    assert 'id="unread-count">1<' in page.content.decode()
    notification = Notification.objects.get()
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == notification.url
    assert mark_read(member) == 0
    assert 'id="unread-count"' not in client.get("/notifications/").content.decode()


def test_beat_reenqueues_the_outbox_from_the_schedule_in_code(settings):
    jobs = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "community.requeue_pending_outbox" in jobs
    assert "community.requeue_pending_outbox" in celery_app.tasks
    assert "community.process_outbox_item" in celery_app.tasks


def test_a_handler_that_can_never_succeed_is_given_up_not_retried_forever(monkeypatch, question):
    from django.core.mail import BadHeaderError

    calls = []

    def broken(payload):
        calls.append(payload)
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setitem(outbox._handlers, "test.broken", broken)
    now = timezone.now()
    item = OutboxItem.objects.create(topic="test.broken", payload={}, created_at=now, available_at=now)
    assert outbox.process(item.pk) is False
    item.refresh_from_db()
    assert item.processed_at is None and "BadHeaderError" in item.last_error
    OutboxItem.objects.exclude(pk=item.pk).update(processed_at=now)  # the question's own rows
    assert outbox.requeue_pending(now=now + timedelta(days=2)) == 0  # never handed over again
    assert len(calls) == 1
