"""Incidents through the product: the beat sweep over real rows opens one for a surge
(alerting staff and the owning team on the site, by email and by the team's signed
webhook), groups the threads and the similar ones that follow, staff post one official
status that every grouped thread shows, and resolving tells every asker and follower.
The detection itself is replayed on real timelines in test_signals.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from taggit.models import Tag

from community.models import Follow, Notification, NotificationEvent, Question
from support.actions.incidents import group_similar, post_status, resolve, sweep_incidents
from support.models import (
    GroupedBy,
    Incident,
    IncidentSignal,
    IncidentStage,
    IncidentState,
    ProductTeam,
    ToneReading,
)
from tests.corpora import naughty_strings, unsafe_parts, xss_sample


def _bulk_questions(
    author, category, tag: str, times, *, title: str = "Billing question", body: str = "It fails."
):
    """Questions at the given times (bulk: a week of history in one go), tagged."""
    made = Question.objects.bulk_create(
        [
            Question(
                author=author, title=f"{title} {i}", body=body, body_html=f"<p>{body}</p>", category=category,
                created_at=at, last_activity_at=at,
            )
            for i, at in enumerate(times)
        ]
    )  # fmt: skip
    Tag.objects.get_or_create(name=tag, defaults={"slug": tag})
    for question in made:
        question.tags.add(tag)
    return made


@pytest.fixture
def team(db, product_manager, category):
    team = ProductTeam.objects.create(name="Payments", slug="payments", product_tags="invoices")
    team.members.add(product_manager)
    return team


@pytest.fixture
def surge(member, category, team):
    """A tag seen for weeks (one old question), then twelve questions in the last hour."""
    now = timezone.now()
    _bulk_questions(member, category, "invoices", [now - timedelta(days=9)], title="Old invoices question")
    recent = _bulk_questions(
        member, category, "invoices", [now - timedelta(minutes=50 - 4 * i) for i in range(12)],
        title="Invoice PDF export fails",
    )  # fmt: skip
    return now, recent


def test_a_surge_opens_one_incident_grouping_the_threads_of_the_hour(
    run, surge, support_agent, product_manager
):
    now, recent = surge
    result = run(sweep_incidents, now=now)
    assert result["opened"] == 1
    incident = Incident.objects.get()
    assert incident.state == IncidentState.OPEN
    assert incident.team.slug == "payments"  # the team owning the tag
    assert set(incident.threads.values_list("question_id", flat=True)) == {q.pk for q in recent}
    signals = {(t.series, t.signal) for t in incident.triggers.all()}
    # The tag, its category and its team surged together: one incident, three triggers.
    assert ("tag:invoices", IncidentSignal.QUESTIONS) in signals
    assert ("team:payments", IncidentSignal.QUESTIONS) in signals
    assert Incident.objects.count() == 1
    # Support staff and the owning team heard of it, on the site and by email.
    alerted = set(
        Notification.objects.filter(event=NotificationEvent.INCIDENT_OPENED).values_list(
            "recipient", flat=True
        )
    )
    assert {support_agent.pk, product_manager.pk} <= alerted
    assert any("Possible incident" in m.subject for m in mail.outbox)
    # The next sweeps (the surge still in the trailing hour) extend it, never open another.
    again = run(sweep_incidents, now=now + timedelta(minutes=5))
    assert again["opened"] == 0 and again["extended"] >= 1
    assert Incident.objects.count() == 1


def test_a_quiet_tag_and_a_steady_week_raise_nothing(run, member, category, team):
    now = timezone.now()
    _bulk_questions(member, category, "invoices", [now - timedelta(days=9)])
    _bulk_questions(member, category, "invoices", [now - timedelta(minutes=m) for m in (5, 15, 25)])
    assert run(sweep_incidents, now=now)["surges"] == 0  # three posts: below the minimum count
    # Nine an hour at this time of day every day of the week, and nine now: usual.
    times = [
        now - timedelta(days=day, hours=shift) - timedelta(minutes=5 * i)
        for day in range(1, 8)
        for shift in (-1, 0, 1)
        for i in range(9)
    ]
    _bulk_questions(
        member, category, "export", times + [now - timedelta(minutes=5 * i + 1) for i in range(9)]
    )
    assert run(sweep_incidents, now=now)["surges"] == 0
    assert not Incident.objects.exists()


def test_a_surge_of_unhappy_questions_is_its_own_signal(run, member, category, team):
    now = timezone.now()
    _bulk_questions(member, category, "invoices", [now - timedelta(days=9)])
    angry = _bulk_questions(
        member, category, "invoices", [now - timedelta(minutes=3 * i + 1) for i in range(10)],
        title="This is terrible, the invoice export is broken again", body="I am furious, awful and useless.",
    )  # fmt: skip
    run(sweep_incidents, now=now)
    assert ToneReading.objects.filter(question__in=angry, tone__lt=0).count() == 10
    signals = set(Incident.objects.get().triggers.values_list("signal", flat=True))
    assert {IncidentSignal.QUESTIONS, IncidentSignal.NEGATIVE} <= signals


def test_similar_threads_asked_later_join_the_incident(run, surge, member, category, question_factory):
    now, recent = surge
    run(sweep_incidents, now=now)
    incident = Incident.objects.get()
    later = question_factory(title="PDF of my invoice is empty", tags=["billing"])
    unrelated = question_factory(title="How do I change my avatar?", tags=["billing"])
    # The search worker keeps each question's similar threads (related_keys).
    Question.objects.filter(pk=later.pk).update(related_keys=[f"question:{recent[0].pk}"], related_at=now)
    Question.objects.filter(pk=unrelated.pk).update(related_keys=["question:999999"], related_at=now)
    assert group_similar() == 1
    link = incident.threads.get(question=later)
    assert link.grouped_by == GroupedBy.SIMILAR
    assert not incident.threads.filter(question=unrelated).exists()


def test_the_official_status_shows_on_every_grouped_thread_and_resolving_tells_askers_and_followers(
    run, surge, client, support_agent, other_member
):
    now, recent = surge
    run(sweep_incidents, now=now)
    incident = Incident.objects.get()
    page = client.get(recent[0].get_absolute_url())
    assert "Known issue" not in page.content.decode()  # nothing public before a status
    Follow.objects.create(user=other_member, question=recent[3], created_at=now)
    post_status(
        incident, by=support_agent, stage=IncidentStage.IDENTIFIED, body="PDF export fails; fix coming."
    )
    incident.refresh_from_db()
    assert incident.first_status_at is not None
    for question in (recent[0], recent[7]):
        html = client.get(question.get_absolute_url()).content.decode()
        assert "PDF export fails; fix coming." in html and "Identified" in html
    mail.outbox.clear()
    assert run(resolve, incident, by=support_agent)
    assert not run(resolve, incident, by=support_agent)  # once
    told = set(
        Notification.objects.filter(event=NotificationEvent.INCIDENT_RESOLVED).values_list(
            "recipient", flat=True
        )
    )
    assert told == {recent[0].author_id, other_member.pk}
    assert Notification.objects.filter(event=NotificationEvent.INCIDENT_RESOLVED).count() == 2
    assert len(mail.outbox) == 2


def test_the_team_webhook_gets_a_signed_alert(run, surge, team):
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            expected = "sha256=" + hmac.new(team.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
            received.append({"valid": hmac.compare_digest(expected, self.headers["X-Askwell-Signature"]),
                             "body": json.loads(body)})  # fmt: skip
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            return None

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        team.webhook_url = f"http://127.0.0.1:{server.server_port}/hooks"
        team.save()
        now, _ = surge
        run(sweep_incidents, now=now)
    finally:
        server.shutdown()
    assert len(received) == 1 and received[0]["valid"]
    assert received[0]["body"]["event"] == "incident.opened"
    assert len(received[0]["body"]["threads"]) == 12
    assert Incident.objects.get().alert_delivered_at is not None


def test_the_incident_pages_are_for_support_staff_only(
    run, surge, client, member, product_manager, support_agent
):
    now, _ = surge
    run(sweep_incidents, now=now)
    incident = Incident.objects.get()
    for who in (member, product_manager):
        client.force_login(who)
        assert client.get("/support/incidents/").status_code == 403
        assert client.get(incident.get_absolute_url()).status_code == 403
        assert client.post(f"/support/incidents/{incident.pk}/resolve/").status_code == 403
    client.logout()
    assert client.get("/support/incidents/").status_code == 302  # to sign in
    client.force_login(support_agent)
    listing = client.get("/support/incidents/").content.decode()
    assert incident.title in listing
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "<svg" in page and "Invoice PDF export fails" in page
    assert client.get("/support/incidents/?state=nonsense").status_code == 400


def test_staff_work_an_incident_through_the_site(run, surge, client, support_agent, question_factory):
    now, recent = surge
    run(sweep_incidents, now=now)
    incident = Incident.objects.get()
    client.force_login(support_agent)
    url = f"/support/incidents/{incident.pk}"
    assert client.post(f"{url}/title/", {"title-title": "Invoice PDFs are empty"}).status_code == 302
    other = question_factory(title="Exported invoice is blank")
    assert (
        client.post(
            f"{url}/threads/", {"thread-question": f"http://x/questions/{other.pk}/slug/"}
        ).status_code
        == 302
    )
    assert incident.threads.filter(question=other, grouped_by=GroupedBy.STAFF).exists()
    assert client.post(f"{url}/threads/", {"thread-question": "not a thread"}).status_code == 400
    assert client.post(f"{url}/threads/", {"thread-question": "9" * 40}).status_code == 400
    assert client.post(f"{url}/threads/{other.pk}/remove/").status_code == 302
    assert not incident.threads.filter(question=other).exists()
    assert (
        client.post(f"{url}/status/", {"status-stage": "investigating", "status-body": "a\x00b"}).status_code
        == 400
    )
    assert (
        client.post(f"{url}/status/", {"status-stage": "nope", "status-body": "Looking"}).status_code == 400
    )
    blank = {"status-stage": "identified", "status-body": "   "}
    assert client.post(f"{url}/status/", blank).status_code == 400
    assert not incident.updates.exists()
    response = client.post(f"{url}/status/", {"status-stage": "resolved", "status-body": "Fixed in 4.2."})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "Invoice PDFs are empty" and incident.state == IncidentState.RESOLVED
    assert "Fixed in 4.2." in client.get(recent[1].get_absolute_url()).content.decode()


# (A status of only spaces, or with a NUL byte, is refused: tested in the staff test above.)
STATUS_TEXTS = [
    t for t in [*naughty_strings()[:40], *xss_sample(25)] if len(t.strip()) >= 2 and "\x00" not in t
]


@pytest.mark.parametrize("text", STATUS_TEXTS)
def test_a_status_is_kept_as_written_and_shown_inert(run, surge, client, support_agent, text):
    now, recent = surge
    run(sweep_incidents, now=now)
    incident = Incident.objects.get()
    client.force_login(support_agent)
    response = client.post(
        f"/support/incidents/{incident.pk}/status/", {"status-stage": "identified", "status-body": text}
    )
    assert response.status_code == 302
    assert incident.updates.get().body == text
    html = client.get(recent[0].get_absolute_url()).content.decode()
    assert unsafe_parts(html, allowed_script_srcs=("/static/",)) == []
