"""The support dashboard: the community as a value centre, over a chosen period."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from community.actions.answers import accept_answer, post_answer
from community.models import Answer, Question
from support.actions.escalations import reply_officially, sweep
from support.dashboard import percentile
from support.models import Escalation

pytestmark = pytest.mark.django_db


def shift(model, pk, hours):
    model.objects.filter(pk=pk).update(created_at=timezone.now() - timedelta(hours=hours))


@pytest.fixture
def period_of_work(question_factory, user_factory, support_agent):
    """Three questions this week: one the community solved in 2 hours, one support
    answered after it breached, one still open; and one from long ago."""
    helper = user_factory(reputation=300, display_name="Helpful Hana")
    solved = question_factory(title="Community solved this one quickly")
    answer = post_answer(solved, author=helper, body="Use the export menu, then PDF.")
    accept_answer(answer, by=solved.author)
    shift(Question, solved.pk, 50)
    shift(Answer, answer.pk, 48)
    escalated = question_factory(title="Nobody answered this one")
    shift(Question, escalated.pk, 30)
    sweep()
    official = reply_officially(
        Escalation.objects.get(), by=support_agent, body="Fixed in version 4.2, sorry!"
    )
    Answer.objects.filter(pk=official.pk).update(created_at=timezone.now() - timedelta(hours=20))
    question_factory(title="Still waiting")
    old = question_factory(title="Long ago")
    shift(Question, old.pk, 24 * 100)
    return {"solved": solved, "escalated": escalated}


def test_the_dashboard_reports_deflection_reply_times_and_escalations(client, support_agent, period_of_work):
    client.force_login(support_agent)
    page = client.get("/support/dashboard/?period=7").content.decode()
    assert "1 of 3 solved without staff" in page
    assert "1 escalated" in page
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    # Per day, deflection outcomes per week, value per week, triage outcomes, backlog.
    assert len(charts) == 5 and not any("<script" in chart for chart in charts)
    assert "Helpful Hana" in page
    rows = list(
        csv.reader(io.StringIO(client.get("/support/dashboard/?period=7&format=csv").content.decode()))
    )
    metrics = {row[0]: row[1] for row in rows if len(row) == 2}
    assert metrics["questions asked"] == "3"
    assert float(metrics["deflection rate (solved without staff)"]) == pytest.approx(1 / 3, abs=1e-3)
    assert float(metrics["escalation rate"]) == pytest.approx(1 / 3, abs=1e-3)
    assert float(metrics["first reply, community, median hours"]) == pytest.approx(2, abs=0.05)
    assert float(metrics["first reply, staff, median hours"]) == pytest.approx(10, abs=0.05)
    assert metrics["SLA breaches"] == "1"
    everything = client.get("/support/dashboard/?period=365&format=csv").content.decode()
    assert "questions asked,4" in everything


def test_bad_periods_get_a_clear_message_and_customers_get_403(client, support_agent, member):
    client.force_login(support_agent)
    response = client.get("/support/dashboard/?since=2026-05-01&until=2026-04-01")
    assert response.status_code == 400 and "after the “To” date" in response.content.decode()
    assert client.get("/support/dashboard/?period=13").status_code == 400
    client.force_login(member)
    assert client.get("/support/dashboard/").status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_the_dashboard_query_count_does_not_grow_with_questions(client, support_agent, question_factory, n):
    for _ in range(n):
        question_factory()
    client.force_login(support_agent)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/support/dashboard/").status_code == 200
    assert len(queries) == DASHBOARD_QUERIES


# Session, user, groups; the period's questions (one query with their first replies and
# escalations); questions accepted from staff; breaches; open escalations; top answerers;
# deflection events; their outcome classes per week; the value section's incidents,
# articles, helpful votes and accepted answers by advocates; the escalations by plan;
# the triage tree's outcomes; first questions coached or not; unread notifications; the
# header's review-queue badges.
DASHBOARD_QUERIES = 19


def test_percentiles_interpolate_like_a_spreadsheet():
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == pytest.approx(9.1)


# The OWASP "CSV Injection" prefixes: each opens a formula in a spreadsheet.
FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_the_dashboard_csv_neutralises_a_member_name_that_starts_a_formula(
    client, support_agent, period_of_work, prefix
):
    name = f'{prefix}HYPERLINK("http://127.0.0.1/x","Hana")'
    assert User.objects.filter(display_name="Helpful Hana").update(display_name=name) == 1
    client.force_login(support_agent)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/support/dashboard/?period=7&format=csv").content.decode(), newline="")
        )
    )
    cells = [cell for row in rows for cell in row]
    assert "'" + name in cells
    assert not any(cell.startswith(tuple(FORMULA_PREFIXES)) and "HYPERLINK" in cell for cell in cells)
    # The page itself shows the name exactly as typed.
    assert "HYPERLINK" in client.get("/support/dashboard/?period=7").content.decode()


def test_the_dashboard_shows_each_weeks_outcome_classes_rate_and_cost_saved(
    client, support_agent, user_factory, settings
):
    from community.models import DeflectionEvent, DeflectionKind

    settings.SUPPORT_COST_PER_TICKET = 20
    now = timezone.now()
    last_week = now - timedelta(days=7)
    for kind, when, n in (
        (DeflectionKind.DEFLECTED, now, 3),
        (DeflectionKind.ASKED_ANYWAY, now, 1),
        (DeflectionKind.POTENTIAL, now, 0),
        (DeflectionKind.DEFLECTED, last_week, 1),
        (DeflectionKind.POTENTIAL, last_week, 1),
    ):
        for _ in range(n):
            DeflectionEvent.objects.create(kind=kind, user=user_factory(), created_at=when)
    client.force_login(support_agent)
    html = client.get("/support/dashboard/", {"period": 30}).content.decode()
    section = html.split('id="outcomes-heading"')[1].split("</section>")[0]
    assert "4 of 6 attempts that saw suggestions" in section
    assert "USD 80" in section  # 4 successful × 20
    rows = re.findall(r"<tr><th scope=\"row\"><time[^>]*>([^<]+)</time></th>(.*?)</tr>", section)
    cells = {day: re.findall(r"<td>([^<]*)</td>", rest) for day, rest in rows}
    this_week = cells[list(cells)[-1]]
    assert this_week == ["3", "1", "0", "75 %", "USD 60"]
    assert ["1", "0", "1", "50 %", "USD 20"] in cells.values()
    assert "<svg" in section  # the weekly chart


def test_the_dashboard_shows_the_value_of_the_period_with_a_chart_and_csv(
    client, support_agent, question_factory, user_factory, member
):
    from community.models import Article, ArticleFeedback
    from support.actions.incidents import post_status
    from support.models import Incident

    now = timezone.now()
    for minutes_late in (20, 40, None):
        incident = Incident.objects.create(
            title="Surge", key=f"questions|tag:t{minutes_late}", detected_at=now - timedelta(hours=3),
            last_grouped_at=now,
        )  # fmt: skip
        if minutes_late is not None:
            post_status(incident, by=support_agent, stage="investigating", body="Looking")
            Incident.objects.filter(pk=incident.pk).update(
                first_status_at=incident.detected_at + timedelta(minutes=minutes_late)
            )
    article = Article.objects.create(
        title="Export invoices", summary="How", body="Body", body_html="<p>Body</p>", author=support_agent,
        created_at=now, updated_at=now, review_by=now.date() + timedelta(days=90), helpful_count=2,
    )  # fmt: skip
    for voter in (member, user_factory()):
        ArticleFeedback.objects.create(article=article, user=voter, helpful=True, created_at=now)
    advocate = user_factory(reputation=1500)
    for author in (advocate, user_factory(reputation=5)):
        question = question_factory()
        accept_answer(post_answer(question, author=author, body="Try the export menu."), by=question.author)
    client.force_login(support_agent)
    html = client.get("/support/dashboard/", {"period": 30}).content.decode()
    section = html.split('id="value-heading"')[1].split("</section>")[0]
    assert "<dt>Incidents detected</dt><dd>3</dd>" in section
    assert "30 min" in section and "median, 2 with a status" in section
    assert "<dt>Articles written</dt><dd>1</dd>" in section and "2 helpful" in section
    assert "1 of 2 accepted community answers" in section and "50 %" in section
    assert "<svg" in section
    download = client.get("/support/dashboard/", {"period": 30, "format": "csv"}).content.decode()
    rows = {row[0]: row[1] for row in csv.reader(io.StringIO(download)) if len(row) == 2}
    assert rows["incidents detected"] == "3"
    assert rows["first signal to first official status, median minutes"] == "30"
    assert rows["helpful votes on any article in the period"] == "2"
    assert rows["advocates' share of accepted community answers"] == "0.5"
