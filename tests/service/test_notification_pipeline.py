"""Ask → answer → notification through PostgreSQL, Redis and a real celery worker,
and the same across a broker outage: the answer saves, the notice arrives later."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from community.actions import outbox
from community.models import Notification, OutboxItem, Question
from config.celery import publish_to
from tests.service.conftest import wait_for

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _ask(client, asker, category) -> Question:
    client.force_login(asker)
    response = client.post(
        "/questions/ask/",
        {"title": "Sync stopped after the update", "body": "Since 4.2 my bank sync never finishes.",
         "category": category.pk, "tags": "bank-sync"},
    )  # fmt: skip
    assert response.status_code == 302
    return Question.objects.get()


def test_an_answer_reaches_the_askers_inbox_through_the_worker(
    client, member, other_member, category, celery_worker_process
):
    question = _ask(client, member, category)
    client.force_login(other_member)
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Reconnect the feed in Settings."})
    assert response.status_code == 302
    notification = wait_for(
        lambda: Notification.objects.filter(recipient=member, event="answer_posted").first(),
        what="the worker's notification",
    )
    assert notification.event == "answer_posted"
    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists(),
        what="email",
    )
    mails = list(celery_worker_process["mail_dir"].glob("*.log"))
    assert any(member.email in path.read_text() for path in mails)
    # Every row reaches the worker, the search one too (it may come after the mail on a
    # loaded machine: wait for it rather than assert it is already done).
    wait_for(
        lambda: not OutboxItem.objects.filter(processed_at__isnull=True).exists(),
        what="every outbox row processed",
    )


def test_a_broker_outage_delays_the_notification_but_loses_nothing(
    client, member, other_member, category, celery_worker_process, settings
):
    question = _ask(client, member, category)
    publish_to("redis://127.0.0.1:1/0")  # a closed port; the machine's Redis keeps running
    try:
        client.force_login(other_member)
        started = time.monotonic()
        response = client.post(
            f"/questions/{question.pk}/answer/", {"body": "Try clearing the app cache first."}
        )
        elapsed = time.monotonic() - started
    finally:
        publish_to(None)
    assert response.status_code == 302
    assert elapsed < 10, f"the write waited {elapsed:.1f}s on a dead broker"
    pending = OutboxItem.objects.get(topic="notify.answer_posted")
    assert pending.processed_at is None
    time.sleep(2)
    assert not Notification.objects.filter(recipient=member, event="answer_posted").exists()

    # Broker back: beat's outbox job hands the row over again and the worker delivers.
    settings.COMMUNITY_OUTBOX_RETRY_AFTER_SECONDS = 0
    assert outbox.requeue_pending(now=timezone.now() + timedelta(seconds=1)) >= 1
    wait_for(
        lambda: Notification.objects.filter(recipient=member, event="answer_posted").exists(),
        what="the delayed notification",
    )
    pending.refresh_from_db()
    assert pending.processed_at is not None
    assert Notification.objects.filter(recipient=member, event="answer_posted").count() == 1
