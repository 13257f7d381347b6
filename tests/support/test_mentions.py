"""The mentions inbox: the real Twitter support sample imported as CSV, the listening
tool's webhook verified with the standardwebhooks package, staff replying, leaving a
mention to stand or turning it into a thread, and mentions feeding the incident signals."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from community.models import Question
from support.actions.incidents import sweep_incidents
from support.actions.mentions import receive
from support.models import Incident, Mention, MentionState

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "support-twcs-sample" / "sample.csv"
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _upload(client, data: bytes, name: str = "mentions.csv"):
    return client.post(
        "/support/mentions/import/", {"file": SimpleUploadedFile(name, data, "text/csv"), "source": "twitter"}
    )


def test_the_twitter_sample_imports_once_with_tone_conversation_and_vip_first(
    client, support_agent, user_factory
):
    rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    inbound = [row for row in rows if row["inbound"] == "True"]
    vip = user_factory(is_vip=True, social_handle="@" + inbound[-1]["author_id"])
    client.force_login(support_agent)
    page = _upload(client, SAMPLE.read_bytes()).content.decode()
    assert f"Imported {len(rows)} mentions" in page
    assert Mention.objects.filter(inbound=True).count() == len(inbound)
    assert Mention.objects.filter(inbound=True, tone__isnull=False).exists()
    # The company's replies in the file mark the customer's mention answered.
    answered = {row["in_response_to_tweet_id"] for row in rows if row["inbound"] == "False"}
    replied = Mention.objects.filter(inbound=True, state=MentionState.REPLIED)
    assert set(replied.values_list("external_id", flat=True)) == answered & {
        row["tweet_id"] for row in inbound
    }
    again = _upload(client, SAMPLE.read_bytes()).content.decode()
    assert "Imported 0 mentions" in again and f"{len(rows)} already here" in again
    # The VIP member's mention leads the inbox (state: all).
    listing = client.get("/support/mentions/", {"state": "all"}).content.decode()
    first_row = listing.split("<tbody>")[1].split("</tr>")[0]
    assert vip.public_name in first_row and "VIP" in first_row
    mention = Mention.objects.get(external_id=inbound[-1]["tweet_id"])
    assert mention.member == vip and mention.is_vip


def test_bad_files_get_a_clear_message_and_rows_are_refused_not_changed(
    client, support_agent, member, settings
):
    client.force_login(member)
    assert _upload(client, SAMPLE.read_bytes()).status_code == 403
    client.force_login(support_agent)
    missing = _upload(client, b"id,text\n1,hello\n")
    assert missing.status_code == 400 and "lacks the column(s)" in missing.content.decode()
    assert _upload(client, b"\xff\xfe\x00garbage").status_code == 400
    header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    body = (
        header
        + '1,cust,True,Wed Oct 11 06:55:44 +0000 2017,"Broken again\x00",,\n'
        + "2,cust,True,not a date,Hello,,\n"
        + "3,cust,True,2017-10-11T07:00:00Z,Exactly as written  \u202e,,\n"
    )
    page = _upload(client, body.encode()).content.decode()
    assert "Imported 1 mention" in page and "row 1: text contains a NUL byte" in page and "row 2:" in page
    assert Mention.objects.get().text == "Exactly as written  \u202e"  # kept exactly
    settings.SUPPORT_MENTIONS_MAX_UPLOAD_MB = 0
    assert _upload(client, SAMPLE.read_bytes()).status_code == 413


def _signed(client, payload, *, secret=SECRET, at=None, raw=None):
    body = raw if raw is not None else json.dumps(payload)
    msg_id = "msg_" + str(abs(hash(body)))
    at = at or datetime.now(tz=UTC)
    signature = Webhook(secret).sign(msg_id, at, body)
    return client.post(
        "/support/mentions/webhook/", data=body, content_type="application/json",
        headers={
            "webhook-id": msg_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature,
        },
    )  # fmt: skip


def test_the_webhook_takes_signed_mentions_once_and_refuses_the_rest(client, settings):
    mention = {
        "id": "t-1",
        "author": "@casey",
        "text": "Invoices are blank today!",
        "created_at": "2026-12-04T10:00:00Z",
    }
    assert _signed(client, mention).status_code == 404  # not switched on
    settings.SUPPORT_MENTIONS_WEBHOOK_SECRET = SECRET
    response = _signed(client, {"mentions": [mention, {**mention, "id": "t-2", "text": "Still blank"}]})
    assert response.status_code == 200 and response.json()["added"] == 2
    assert _signed(client, mention).json() == {"added": 0, "already": 1, "refused": []}  # a re-sent delivery
    assert _signed(client, mention, secret="whsec_" + "b3RoZXJzZWNyZXRvdGhlcnNlY3JldA==").status_code == 401
    old = datetime.now(tz=UTC) - timedelta(hours=1)
    assert _signed(client, {**mention, "id": "t-3"}, at=old).status_code == 401  # a replayed capture
    assert _signed(client, None, raw="{not json").status_code == 400
    nul = _signed(client, {**mention, "id": "t-4", "text": "bad\x00byte"})
    assert nul.status_code == 400 and "NUL" in nul.json()["refused"][0]["reason"]
    unsigned = client.post(
        "/support/mentions/webhook/", data=json.dumps(mention), content_type="application/json"
    )
    assert unsigned.status_code == 401
    assert Mention.objects.count() == 2


def test_staff_reply_leave_it_or_make_it_a_thread(client, support_agent, member, category):
    receive([{"id": "9", "author": "@omar", "text": "How do I export invoices as PDF?\nIt is urgent.",
              "created_at": "2026-12-04T09:00:00Z"}], source="twitter")  # fmt: skip
    mention = Mention.objects.get()
    client.force_login(member)
    assert client.get(mention.get_absolute_url()).status_code == 403
    client.force_login(support_agent)
    assert "How do I export invoices" in client.get(mention.get_absolute_url()).content.decode()
    assert client.post(f"/support/mentions/{mention.pk}/reply/", {"reply-text": "   "}).status_code == 400
    client.post(f"/support/mentions/{mention.pk}/reply/", {"reply-text": "Use Export, then PDF. ^Sam"})
    mention.refresh_from_db()
    assert mention.state == MentionState.REPLIED and mention.reply == "Use Export, then PDF. ^Sam"
    assert mention.replied_by == support_agent
    response = client.post(
        f"/support/mentions/{mention.pk}/thread/",
        {
            "thread-title": "How do I export invoices as PDF?",
            "thread-category": category.pk,
            "thread-tags": "billing",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert (
        "> How do I export invoices as PDF?\n> It is urgent." in question.body
        and "@omar on twitter" in question.body
    )
    mention.refresh_from_db()
    assert mention.state == MentionState.THREADED and mention.question == question
    other = Mention.objects.create(
        source="twitter", external_id="10", author_handle="troll", text="lol", created_at=timezone.now(),
        received_at=timezone.now(),
    )  # fmt: skip
    client.post(f"/support/mentions/{other.pk}/monitor/")
    other.refresh_from_db()
    assert other.state == MentionState.MONITORED


def test_a_surge_of_mentions_opens_an_incident(client, support_agent):
    now = timezone.now()
    items = [
        {"id": "old", "author": "a", "text": "hello", "created_at": (now - timedelta(days=9)).isoformat()}
    ]
    items += [
        {"id": f"s{i}", "author": f"c{i}", "text": "The app is down and I am furious, this is terrible",
         "created_at": (now - timedelta(minutes=55 - 4 * i)).isoformat()}
        for i in range(12)
    ]  # fmt: skip
    receive(items, source="twitter")
    result = sweep_incidents(now=now)
    assert result["opened"] == 1
    incident = Incident.objects.get()
    assert incident.title == "Surge of mentions on twitter"
    assert {t.signal for t in incident.triggers.all()} == {"mentions", "negative"}
    client.force_login(support_agent)
    assert "<svg" in client.get(incident.get_absolute_url()).content.decode()
