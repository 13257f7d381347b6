"""Outbound webhooks: endpoints staff add in the site, deliveries signed in the Standard
Webhooks format (verified here with the standardwebhooks package by a receiver on
127.0.0.1), retried with backoff, replayed, and an endpoint switched off after repeated
failures with a notice."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from community.models import Notification, NotificationEvent
from support.actions.escalations import open_escalation
from support.actions.webhooks import create_endpoint, retry_due
from support.models import EventDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


class _Receiver(BaseHTTPRequestHandler):
    secret = ""
    fail = 0
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            Webhook(type(self).secret).verify(body, {k.lower(): v for k, v in self.headers.items()})
            valid = True
        except WebhookVerificationError:
            valid = False
        type(self).received.append(
            {"valid": valid, "id": self.headers["webhook-id"], "body": json.loads(body)}
        )
        if type(self).fail > 0:
            type(self).fail -= 1
            self.send_response(503)
        else:
            self.send_response(204 if valid else 401)
        self.end_headers()

    def log_message(self, *args):
        return None


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received, _Receiver.fail = [], 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_staff_add_an_endpoint_and_events_arrive_signed(
    client, run, support_agent, member, receiver, question_factory
):
    client.force_login(member)
    assert client.get("/support/webhooks/").status_code == 403
    client.force_login(support_agent)
    url = f"http://127.0.0.1:{receiver.server_port}/hooks"
    assert (
        client.post("/support/webhooks/", {"url": "not a url", "events": ["question.asked"]}).status_code
        == 400
    )
    response = client.post(
        "/support/webhooks/", {"url": url, "events": ["question.asked", "escalation.opened"]}
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and endpoint.secret.startswith("whsec_")
    assert endpoint.secret in client.get(endpoint.get_absolute_url()).content.decode()
    _Receiver.secret = endpoint.secret
    question = run(question_factory, author=member, title="Bank feed stopped syncing")
    run(open_escalation, question, reason="asker")
    kinds = [(item["body"]["type"], item["valid"]) for item in _Receiver.received]
    assert kinds == [("question.asked", True), ("escalation.opened", True)]
    assert _Receiver.received[0]["body"]["data"]["question_id"] == question.pk
    assert EventDelivery.objects.filter(delivered_at__isnull=False).count() == 2


def test_failures_are_retried_with_backoff_replayed_and_switch_the_endpoint_off(
    client, run, support_agent, receiver, question_factory, settings
):
    settings.SUPPORT_WEBHOOK_DISABLE_AFTER = 3
    endpoint = create_endpoint(
        url=f"http://127.0.0.1:{receiver.server_port}/",
        events=["question.asked"],
        description="",
        by=support_agent,
    )
    _Receiver.secret, _Receiver.fail = endpoint.secret, 1
    run(question_factory, title="First question about webhooks")
    delivery = EventDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.delivered_at is None and delivery.status_code == 503
    assert retry_due(now=timezone.now() + timedelta(seconds=30)) == 0  # the first wait is 60 s
    assert retry_due(now=timezone.now() + timedelta(seconds=61)) == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert len({item["id"] for item in _Receiver.received}) == 1  # the same message id
    # Replayed by staff: sent again, same id.
    client.force_login(support_agent)
    client.post(f"/support/webhooks/deliveries/{delivery.pk}/replay/")
    assert len(_Receiver.received) == 3 and len({item["id"] for item in _Receiver.received}) == 1
    # An endpoint that keeps failing is switched off, and staff are told.
    _Receiver.fail = 10
    for n in range(3):
        run(question_factory, title=f"Another question about webhooks {n}")
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "failed deliveries in a row" in endpoint.disabled_reason
    assert Notification.objects.filter(
        recipient=support_agent, event=NotificationEvent.WEBHOOK_DISABLED
    ).exists()
    run(question_factory, title="Nothing is sent to an endpoint that is off")
    assert EventDelivery.objects.count() == 4
    client.post(f"/support/webhooks/{endpoint.pk}/active/", {"active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0


def test_private_threads_send_nothing(run, support_agent, receiver, question_factory, member):
    create_endpoint(
        url=f"http://127.0.0.1:{receiver.server_port}/",
        events=["question.asked"],
        description="",
        by=support_agent,
    )
    from community.actions.questions import ask_question

    secret = {
        "title": "My invoice 4471 is wrong",
        "body": "Account details here.",
        "category": None,
        "tags": [],
    }
    run(ask_question, author=member, private=True, **secret)
    assert _Receiver.received == [] and not EventDelivery.objects.exists()
