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
    assert len(charts) == 3 and not any("<script" in chart for chart in charts)  # per day, per week, backlog
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
# deflection events; their outcome classes per week; unread notifications; the header's
# review-queue badges.
DASHBOARD_QUERIES = 12


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
