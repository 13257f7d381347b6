"""Escalations through the site: the sweep, requests for help, the staff queue, the
customer's view, and what thread events do to an escalation."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from community.actions.answers import accept_answer, post_answer
from community.actions.comments import add_comment
from community.models import Answer, Question
from support.actions.escalations import sweep
from support.models import Escalation, EscalationReason, EscalationState, SlaPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_outbox(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def age(question: Question, hours: float) -> Question:
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    question.refresh_from_db()
    return question


def test_the_sweep_opens_one_escalation_for_an_unanswered_question_past_its_sla(
    question_factory, run_outbox, support_agent
):
    fresh = question_factory()
    late = age(question_factory(), 25)
    mail.outbox.clear()
    assert run_outbox(sweep)["breaches"] == 1
    assert run_outbox(sweep)["breaches"] == 0  # idempotent
    escalation = Escalation.objects.get()
    assert escalation.question == late and escalation.reason == EscalationReason.FIRST_REPLY
    assert escalation.state == EscalationState.OPEN and escalation.due_at < timezone.now()
    assert not Escalation.objects.filter(question=fresh).exists()
    assert list(escalation.history.values_list("to_state", flat=True)) == ["open"]
    customer_mail = [m for m in mail.outbox if m.to == [late.author.email]]
    assert customer_mail and "support specialist is looking" in customer_mail[0].body
    assert any(m.to == [support_agent.email] for m in mail.outbox)


def test_answered_questions_breach_only_the_solution_sla_and_imported_history_never(
    question_factory, answer_factory, run_outbox
):
    answered = question_factory()
    answer_factory(question=answered)
    age(answered, 30)
    assert run_outbox(sweep)["breaches"] == 0  # replied in time, not yet 72 hours old
    age(answered, 73)
    assert run_outbox(sweep)["breaches"] == 1
    assert Escalation.objects.get().reason == EscalationReason.SOLUTION
    imported = age(question_factory(), 500)
    from community.models import ImportSite

    site = ImportSite.objects.create(domain="example.stackexchange.com", imported_at=timezone.now())
    Question.objects.filter(pk=imported.pk).update(import_site=site, external_id=1)
    assert run_outbox(sweep)["breaches"] == 0


def test_vip_customers_and_category_policies_set_the_clock(
    question_factory, user_factory, category, run_outbox
):
    vip = user_factory(is_vip=True)
    vip_question = age(question_factory(author=vip), 5)
    ordinary = age(question_factory(), 5)
    run_outbox(sweep)
    assert list(Escalation.objects.values_list("question", flat=True)) == [vip_question.pk]
    assert Escalation.objects.get().priority >= 40  # VIP weighs in triage too
    SlaPolicy.objects.create(category=category, first_reply_hours=2)
    run_outbox(sweep)
    assert Escalation.objects.filter(question=ordinary).exists()


def test_business_hours_in_the_policy_time_zone_hold_the_sweep_back(question_factory, category, run_outbox):
    SlaPolicy.objects.create(
        category=category, first_reply_hours=1, business_hours_only=True, time_zone="Pacific/Kiritimati",
        opens=time(9, 0), closes=time(10, 0), working_days="",
    )  # fmt: skip
    question = age(question_factory(), 2)
    due = SlaPolicy.objects.get().as_policy().first_reply_due(question.created_at)
    run_outbox(sweep)
    assert Escalation.objects.exists() == (due <= timezone.now())
    run_outbox(sweep, now=due + timedelta(minutes=1))
    assert Escalation.objects.count() == 1


def test_only_one_open_escalation_per_question_is_a_database_rule(question, support_agent):
    now = timezone.now()
    fields = {"question": question, "reason": "asker", "state": "open", "created_at": now, "updated_at": now}
    Escalation.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(**fields)
    Escalation.objects.filter(question=question).update(state="closed")
    Escalation.objects.create(**fields)  # a later one follows a closed one


def test_the_asker_can_ask_for_staff_help_once_the_question_is_old_enough(
    client, question_factory, member, django_capture_on_commit_callbacks
):
    question = question_factory(author=member)
    client.force_login(member)
    assert b"I still need help" not in client.get(question.get_absolute_url()).content
    assert client.post(f"/support/questions/{question.pk}/need-help/").status_code == 403
    age(question, 25)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "I still need help" in page
    with django_capture_on_commit_callbacks(execute=True):  # the sweep runs after commit
        response = client.post(f"/support/questions/{question.pk}/need-help/")
    assert response.status_code == 302
    escalation = Escalation.objects.get(question=question)
    assert escalation.reason == EscalationReason.ASKER and escalation.opened_by == member
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Your question is with support" in page and "I still need help" not in page


def test_an_advocate_escalates_with_a_reason_and_members_cannot(
    client, question, advocate, other_member, django_capture_on_commit_callbacks
):
    client.force_login(other_member)
    assert client.post(f"/support/questions/{question.pk}/escalate/", {"reason": "x"}).status_code == 403
    client.force_login(advocate)
    assert "Escalate to support" in client.get(question.get_absolute_url()).content.decode()
    assert client.post(f"/support/questions/{question.pk}/escalate/", {"reason": "   "}).status_code == 302
    assert not Escalation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/support/questions/{question.pk}/escalate/", {"reason": "Billing bug, customer blocked"}
        )
    escalation = Escalation.objects.get()
    assert (
        escalation.reason == EscalationReason.ADVOCATE
        and escalation.detail == "Billing bug, customer blocked"
    )
    assert "Staff are on it" in client.get(question.get_absolute_url()).content.decode()


@pytest.fixture
def escalation(question_factory, run_outbox):
    question = age(question_factory(title="Export to PDF crashes the app"), 30)
    run_outbox(sweep)
    return Escalation.objects.get(question=question)


def test_staff_claim_reply_officially_and_the_asker_resolves_it(
    client, escalation, support_agent, user_factory, django_capture_on_commit_callbacks
):
    other_agent = user_factory(roles=("Support staff",))
    client.force_login(support_agent)
    queue = client.get("/support/queue/").content.decode()
    assert escalation.question.title in queue
    client.post(f"/support/escalations/{escalation.pk}/claim/")
    escalation.refresh_from_db()
    assert escalation.state == "assigned" and escalation.assignee == support_agent
    client.force_login(other_agent)
    response = client.post(f"/support/escalations/{escalation.pk}/claim/", follow=True)
    assert b"already claimed" in response.content
    client.force_login(support_agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/support/escalations/{escalation.pk}/assign/", {"to": other_agent.pk})
    escalation.refresh_from_db()
    assert escalation.assignee == other_agent
    assert any(m.to == [other_agent.email] and "Assigned to you" in m.subject + m.body for m in mail.outbox)
    client.force_login(other_agent)
    client.post(
        f"/support/escalations/{escalation.pk}/reply/", {"reply-body": "Update to 4.2; the export is fixed."}
    )
    answer = Answer.objects.get(question=escalation.question)
    assert answer.is_official and answer.author == other_agent
    escalation.refresh_from_db()
    assert escalation.state == "waiting" and escalation.first_staff_reply_at is not None
    page = client.get(escalation.question.get_absolute_url()).content.decode()
    assert "Official" in page
    asker = escalation.question.author
    client.force_login(asker)
    assert "This helped me" in client.get(escalation.question.get_absolute_url()).content.decode()
    client.post(f"/answers/{answer.pk}/helped/")
    escalation.refresh_from_db()
    assert escalation.state == "resolved" and escalation.resolved_at is not None
    states = list(escalation.history.values_list("to_state", flat=True))
    assert states == ["open", "assigned", "assigned", "waiting", "resolved"]
    # The asker replying after it was resolved reopens it.
    post_answer(escalation.question, author=asker, body="Still crashes on the second page, sorry.")
    escalation.refresh_from_db()
    assert escalation.state == "open" and escalation.assignee is None


def test_an_accepted_answer_resolves_and_an_official_comment_counts_as_a_first_reply(
    escalation, support_agent, other_member, question_factory, run_outbox
):
    answer = post_answer(escalation.question, author=other_member, body="Try the desktop app instead.")
    accept_answer(answer, by=escalation.question.author)
    escalation.refresh_from_db()
    assert escalation.state == "resolved"
    commented = age(question_factory(), 30)
    add_comment(commented, author=support_agent, body="Looking into it now.", official=True)
    run_outbox(sweep)
    assert not Escalation.objects.filter(question=commented).exists()


def test_bad_input_on_the_escalation_page_gets_a_clear_message(client, escalation, support_agent):
    client.force_login(support_agent)
    response = client.post(f"/support/escalations/{escalation.pk}/note/", {"note-body": "   "})
    assert response.status_code == 400 and b"cannot be empty or only spaces" in response.content
    response = client.post(f"/support/escalations/{escalation.pk}/state/", {"state": "exploded"}, follow=True)
    assert b"not a state" in response.content
    response = client.post(f"/support/escalations/{escalation.pk}/state/", {"state": "waiting"}, follow=True)
    assert b"cannot become waiting" in response.content
    assert client.get("/support/queue/?page=0").status_code == 400
    assert client.get("/support/escalations/999999/").status_code == 404


SUPPORT_URLS = [
    ("get", "/support/queue/"),
    ("get", "/support/dashboard/"),
    ("get", "/support/dashboard/?format=csv"),
    ("get", "/support/escalations/{pk}/"),
    ("post", "/support/escalations/{pk}/claim/"),
    ("post", "/support/escalations/{pk}/release/"),
    ("post", "/support/escalations/{pk}/assign/"),
    ("post", "/support/escalations/{pk}/state/"),
    ("post", "/support/escalations/{pk}/note/"),
    ("post", "/support/escalations/{pk}/reply/"),
]


@pytest.mark.parametrize("role", ["customer", "advocate"])
@pytest.mark.parametrize(("method", "url"), SUPPORT_URLS)
def test_customers_and_advocates_get_403_on_every_staff_url(
    client, escalation, user_factory, role, method, url
):
    who = user_factory(reputation=5000) if role == "customer" else user_factory(roles=("Advocate",))
    client.force_login(who)
    data = {"note-body": "x", "reply-body": "x", "state": "closed"}
    response = getattr(client, method)(url.format(pk=escalation.pk), data)
    assert response.status_code in (403, 404)
    escalation.refresh_from_db()
    assert escalation.state == "open" and not escalation.notes.exists()


SENTINEL = "NOTE-SENTINEL-4f1c9b"


def test_an_internal_note_never_reaches_a_customer_or_an_advocate(
    client, escalation, support_agent, advocate, django_capture_on_commit_callbacks
):
    client.force_login(support_agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/support/escalations/{escalation.pk}/note/",
            {"note-body": f"Customer is on the old plan {SENTINEL}"},
        )
        client.post(f"/support/escalations/{escalation.pk}/claim/")
        client.post(f"/support/escalations/{escalation.pk}/reply/", {"reply-body": "We are on it."})
    assert SENTINEL in client.get(f"/support/escalations/{escalation.pk}/").content.decode()  # staff see it
    question = escalation.question
    for reader in (question.author, advocate, None):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        for url in [
            question.get_absolute_url(),
            # (searched in lower case: the page echoes the query, never the note's own text)
            f"/search/?q={SENTINEL.lower()}",
            "/search/?q=old+plan",
            f"/questions/similar/?title={SENTINEL.lower()}",
            "/notifications/",
            "/questions/",
            f"/questions/{question.pk}/revisions/",
            "/my-work/",
            "/articles/",
            f"/users/{question.author.username}/",
            f"/questions/{question.pk}/capture-article/",
            f"/support/escalations/{escalation.pk}/",
            "/support/queue/",
            "/support/dashboard/?format=csv",
        ]:
            response = client.get(url, follow=True)
            assert SENTINEL not in response.content.decode(), url
    for message in mail.outbox:
        assert SENTINEL not in message.subject + message.body
    assert not re.search(SENTINEL, str(list(User.objects.values_list("display_name", "bio"))))


def test_a_request_whose_immediate_sweep_was_lost_is_picked_up_by_the_next_one(question, advocate):
    from support.models import HelpRequest

    # As if the worker crashed before running the sweep queued by the request.
    HelpRequest.objects.create(
        question=question, kind="advocate", by=advocate, reason="lost", created_at=timezone.now()
    )
    assert not Escalation.objects.exists()
    assert sweep()["requests"] == 1
    assert Escalation.objects.get().reason == EscalationReason.ADVOCATE
    assert sweep()["requests"] == 0


def test_the_demo_has_escalations_in_the_queue(client, capsys):
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_support_demo")
    call_command("seed_support_demo")  # idempotent
    # The breached and the advocate's, and the unanswered threads of the demo's Pro and
    # Enterprise customers, whose plans answer sooner.
    reasons = set(Escalation.objects.values_list("reason", flat=True))
    assert reasons == {"advocate", "first_reply"}
    assert Escalation.objects.filter(question__author__plan__slug="enterprise").exists()
    assert User.objects.get(username="omar").is_vip
    client.force_login(User.objects.get(username="sam"))
    page = client.get("/support/queue/").content.decode()
    assert "Recurring invoices stopped going out" in page and "Two-factor codes never arrive" in page
    client.force_login(User.objects.get(username="priya"))
    inbox = client.get("/feedback/").content.decode()
    assert "recurring invoices on the last day of the month" in inbox and "Planned" in inbox
    assert "Feedback inbox" in inbox
    client.force_login(User.objects.get(username="sam"))
    incidents = client.get("/support/incidents/").content.decode()
    assert "Surge of new questions" in incidents
    blank = Question.objects.get(title="Blank PDF when I export an invoice")
    assert (
        "Invoice PDFs generated since 9:00 come out blank"
        in client.get(blank.get_absolute_url()).content.decode()
    )


def test_the_demo_team_gets_a_digest_with_its_feedback_in_it(
    client, capsys, django_capture_on_commit_callbacks
):
    """The demo's product team had no recipients and its first digest was empty."""
    from django.core.management import call_command

    from support.actions.digests import run_digests
    from support.models import Digest

    call_command("seed_demo")
    call_command("seed_support_demo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_digests() >= 1
    digest = Digest.objects.get(team__slug="invoicing")
    titles = [row["title"] for row in digest.content["new"]]
    assert "Let me schedule recurring invoices on the last day of the month" in titles
    assert any(User.objects.get(username="priya").email in m.to for m in mail.outbox)


def test_priority_grows_while_an_escalation_waits(question_factory, run_outbox):
    question = age(question_factory(), 30)
    run_outbox(sweep)
    first = Escalation.objects.get().priority
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=70))
    sweep()
    assert Escalation.objects.get().priority > first


def test_staff_hear_when_an_escalation_is_past_its_due_time_and_the_queue_flags_other_languages(
    client, question_factory, support_agent, run_outbox
):
    question_factory(title="Je ne peux pas exporter mes factures", body="Rien ne se passe quand je clique.")
    Question.objects.update(created_at=timezone.now() - timedelta(hours=30))
    mail.outbox.clear()
    run_outbox(sweep)  # opened for a breach, so already past its due time
    escalation = Escalation.objects.get()
    assert escalation.breached_at is not None and escalation.tone is None
    assert any("Past its due time" in m.body and m.to == [support_agent.email] for m in mail.outbox)
    client.force_login(support_agent)
    assert "tone not assessed (not English)" in client.get("/support/queue/").content.decode()
    assert "Je ne peux pas" in client.get("/support/queue/?breached=on").content.decode()


def test_my_work_lists_escalations_only_for_those_who_work_the_queue(
    client, escalation, support_agent, member
):
    client.force_login(member)
    assert "You do not work any queue" in client.get("/my-work/").content.decode()
    client.force_login(support_agent)
    client.post(f"/support/escalations/{escalation.pk}/claim/")
    page = client.get("/my-work/").content.decode()
    assert "Escalations (1)" in page and escalation.question.title in page


def test_an_asker_asking_for_help_opens_their_escalation_without_running_the_whole_sweep(
    client, question_factory, member, django_capture_on_commit_callbacks
):
    mine = age(question_factory(author=member), 25)
    others = age(question_factory(), 30)  # breached too: the beat sweep's business, not this request's
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/support/questions/{mine.pk}/need-help/").status_code == 302
    assert list(Escalation.objects.values_list("question_id", flat=True)) == [mine.pk]
    assert not Escalation.objects.filter(question=others).exists()
    assert sweep()["breaches"] == 1  # the beat sweep still finds the other one


class _Crash(Exception):
    pass


def _crash_on(monkeypatch, topic):
    """The process dies right when the notice is recorded (a worker killed, a lost
    connection): whatever that transaction wrote must go with it."""
    from community.actions import outbox

    real = outbox.record

    def record(name, payload):
        if name == topic:
            raise _Crash(name)
        return real(name, payload)

    monkeypatch.setattr(outbox, "record", record)


def test_an_escalation_is_never_saved_without_its_notices(question_factory, monkeypatch):
    late = age(question_factory(), 25)
    _crash_on(monkeypatch, "support.escalated")
    with pytest.raises(_Crash):
        sweep()
    assert not Escalation.objects.filter(question=late).exists()  # the next sweep opens it, with notices
    monkeypatch.undo()
    assert sweep()["breaches"] == 1
    from community.models import OutboxItem

    assert OutboxItem.objects.filter(topic="support.escalated").count() == 1


def test_a_breach_is_never_marked_without_its_notice(question_factory, monkeypatch):
    late = age(question_factory(), 25)
    sweep()
    Escalation.objects.filter(question=late).update(breached_at=None)  # as if it were just due
    _crash_on(monkeypatch, "support.breached")
    with pytest.raises(_Crash):
        sweep()
    assert Escalation.objects.get(question=late).breached_at is None
    monkeypatch.undo()
    assert sweep()["overdue"] == 1


@pytest.mark.parametrize("breaker", ["\r", "\n", "\r\n", "\u2028", "\x0b", "\x85"])
def test_line_breaks_in_a_title_never_stop_the_escalation_mail(
    question_factory, user_factory, support_agent, run_outbox, breaker
):
    """A carriage return in a title used to raise BadHeaderError in every email about it:
    staff heard nothing of the escalation, and the job retried 20 times."""
    from community.models import OutboxItem

    late = age(question_factory(title=f"Invoices{breaker}export as blank pages"), 25)
    mail.outbox.clear()
    run_outbox(sweep)
    assert {m.to[0] for m in mail.outbox} >= {late.author.email, support_agent.email}
    for message in mail.outbox:
        message.message()  # what the SMTP backend sends: no header may break
        assert not any(ch in message.subject for ch in "\r\n\u2028\x0b\x85")
        assert "Invoices export as blank pages" in message.subject
    assert OutboxItem.objects.filter(topic="support.escalated", processed_at__isnull=True).count() == 0
    assert Question.objects.get(pk=late.pk).title == late.title  # what the asker wrote is kept
