"""SLA by customer plan × category × severity: the most specific target wins, the sweep
escalates by it, staff set severity on the escalation page (its due time follows), the
asker reads the plan's "reply due by", and the dashboard reports each plan's P90."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Plan
from community.models import Category, Question
from support.actions.escalations import SlaBook, open_escalation, policy_for, sweep
from support.models import Escalation, SlaTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(category):
    """The default plans (made by the migration) with targets: Enterprise 2 h / 8 h and
    1 h / 4 h when urgent; Pro 8 h / 24 h; the billing category 12 h / 48 h for any plan."""
    found = {plan.slug: plan for plan in Plan.objects.all()}
    SlaTarget.objects.create(plan=found["enterprise"], first_reply_hours=2, solution_hours=8)
    SlaTarget.objects.create(
        plan=found["enterprise"], severity="urgent", first_reply_hours=1, solution_hours=4
    )
    SlaTarget.objects.create(plan=found["pro"], first_reply_hours=8, solution_hours=24)
    SlaTarget.objects.create(category=category, first_reply_hours=12, solution_hours=48)
    return found


def test_the_most_specific_target_wins(plans, category, settings):
    other = Category.objects.create(slug="other", name="Other")
    book = SlaBook()
    enterprise, pro = plans["enterprise"].pk, plans["pro"].pk
    assert (
        book.policy(category_id=category.pk, plan_id=enterprise).first_reply_hours == 2
    )  # plan over category
    assert book.policy(category_id=category.pk, plan_id=enterprise, severity="urgent").first_reply_hours == 1
    assert book.policy(category_id=other.pk, plan_id=pro).solution_hours == 24
    assert book.policy(category_id=category.pk, plan_id=None).first_reply_hours == 12
    assert (
        book.policy(category_id=other.pk, plan_id=None).first_reply_hours
        == settings.SUPPORT_SLA_FIRST_REPLY_HOURS
    )
    # A VIP keeps the shorter of the VIP target and the plan's (site VIP default: 4 h).
    assert book.policy(category_id=category.pk, plan_id=enterprise).vip_first_reply_hours == 2
    assert book.policy(category_id=category.pk, plan_id=pro).vip_first_reply_hours == 4
    assert book.shortest_first_reply() == 1


def test_the_sweep_escalates_by_the_askers_plan(plans, question_factory, user_factory):
    enterprise_customer = user_factory(plan=plans["enterprise"])
    fast = question_factory(author=enterprise_customer, title="Our SSO login fails for every user")
    slow = question_factory(title="Where is the dark mode setting?")
    Question.objects.filter(pk__in=[fast.pk, slow.pk]).update(created_at=timezone.now() - timedelta(hours=3))
    sweep()
    assert list(Escalation.objects.values_list("question_id", flat=True)) == [fast.pk]  # 2 h passed; 12 h not


def test_staff_set_severity_and_the_due_time_follows(
    client, plans, question_factory, user_factory, support_agent, member
):
    question = question_factory(author=user_factory(plan=plans["enterprise"]))
    escalation, _ = open_escalation(question, reason="asker")
    assert escalation.due_at == escalation.created_at + timedelta(hours=2)
    client.force_login(member)
    assert (
        client.post(f"/support/escalations/{escalation.pk}/severity/", {"severity": "urgent"}).status_code
        == 403
    )
    client.force_login(support_agent)
    assert (
        client.post(f"/support/escalations/{escalation.pk}/severity/", {"severity": "urgent"}).status_code
        == 302
    )
    escalation.refresh_from_db()
    assert escalation.severity == "urgent" and escalation.due_at == escalation.created_at + timedelta(hours=1)
    assert escalation.history.filter(note="severity normal → urgent").exists()
    client.post(f"/support/escalations/{escalation.pk}/severity/", {"severity": "catastrophic\x00"})
    escalation.refresh_from_db()
    assert escalation.severity == "urgent"  # refused with a message, nothing changed
    page = client.get(f"/support/escalations/{escalation.pk}/").content.decode()
    assert "severity urgent" in page and "Enterprise plan" in page


def test_the_asker_reads_the_reply_due_by_of_their_plan(client, plans, question_factory, user_factory):
    customer = user_factory(plan=plans["pro"])
    question = question_factory(author=customer)
    escalation, _ = open_escalation(question, reason="asker")
    assert policy_for(question).first_reply_hours == 8
    client.force_login(customer)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Reply due by" in html and f'datetime="{escalation.due_at.isoformat()}"'[:40] in html


def test_the_dashboard_reports_each_plans_p90(client, plans, question_factory, user_factory, support_agent):
    now = timezone.now()
    for hours in (1, 2, 3, 10):
        escalation, _ = open_escalation(
            question_factory(author=user_factory(plan=plans["enterprise"])), reason="asker"
        )
        Escalation.objects.filter(pk=escalation.pk).update(
            first_staff_reply_at=escalation.created_at + timedelta(hours=hours),
            breached_at=now if hours > 2 else None,
        )
    open_escalation(question_factory(), reason="asker")
    client.force_login(support_agent)
    html = client.get("/support/dashboard/", {"period": 7}).content.decode()
    table = html.split("SLA by customer plan")[1].split("</table>")[0]
    assert '<th scope="row">Enterprise</th><td>4</td><td>2</td><td>7.9</td>' in table  # p90 of 1, 2, 3, 10
    assert "No plan" in table
    rows = list(
        csv.reader(
            io.StringIO(client.get("/support/dashboard/", {"period": 7, "format": "csv"}).content.decode())
        )
    )
    assert ["Enterprise", "4", "2", "7.9", ""] in rows


def test_vip_customers_stay_on_top_of_the_queue_whatever_the_plans(
    client, plans, question_factory, user_factory, support_agent
):
    enterprise = question_factory(
        author=user_factory(plan=plans["enterprise"]), title="Enterprise customer asks"
    )
    vip = question_factory(author=user_factory(is_vip=True), title="VIP customer asks")
    open_escalation(enterprise, reason="asker")  # due in 2 hours
    escalation, _ = open_escalation(vip, reason="asker")  # due in 4 hours (the site's VIP target)
    assert escalation.due_at > Escalation.objects.get(question=enterprise).due_at
    client.force_login(support_agent)
    page = client.get("/support/queue/").content.decode()
    assert page.index("VIP customer asks") < page.index("Enterprise customer asks")
