"""Support's API: escalations for support staff (claim, assign, state, internal notes,
official replies) and product feedback for product managers, with the staff scope; the
same refusals as the pages for everyone else."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.actions import create_api_token
from support.actions.escalations import open_escalation
from support.actions.feedback import route_feedback
from support.models import FeedbackItem, ProductTeam

pytestmark = pytest.mark.django_db


def _api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def escalation(question_factory, member):
    return open_escalation(
        question_factory(author=member, title="Bank feed stopped syncing"), reason="asker"
    )[0]


def test_staff_work_an_escalation_through_the_api(escalation, support_agent, user_factory):
    staff = _api(create_api_token(support_agent, name="desk", scopes=["read", "write", "staff"])[1])
    listed = staff.get("/api/v1/escalations/").json()["results"]
    assert [row["id"] for row in listed] == [escalation.pk] and listed[0][
        "title"
    ] == "Bank feed stopped syncing"
    assert (
        _post(staff, f"/api/v1/escalations/{escalation.pk}/claim/").json()["assignee"]
        == support_agent.username
    )
    colleague = user_factory(roles=("Support staff",))
    assigned = _post(staff, f"/api/v1/escalations/{escalation.pk}/assign/", {"to": colleague.username})
    assert assigned.json()["assignee"] == colleague.username
    assert _post(staff, f"/api/v1/escalations/{escalation.pk}/assign/", {"to": "nobody"}).status_code == 400
    note = _post(
        staff, f"/api/v1/escalations/{escalation.pk}/notes/", {"body": "Their bank changed its API."}
    )
    assert note.status_code == 201
    assert (
        staff.get(f"/api/v1/escalations/{escalation.pk}/").json()["notes"][0]["body"]
        == "Their bank changed its API."
    )
    replied = _post(
        staff, f"/api/v1/escalations/{escalation.pk}/reply/", {"body": "Reconnect the feed in Settings."}
    )
    assert replied.status_code == 201 and replied.json()["state"] == "waiting"
    bad = _post(staff, f"/api/v1/escalations/{escalation.pk}/state/", {"state": "vanished"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert (
        _post(staff, f"/api/v1/escalations/{escalation.pk}/state/", {"state": "resolved"}).json()["state"]
        == "resolved"
    )
    again = _post(staff, f"/api/v1/escalations/{escalation.pk}/state/", {"state": "waiting"})
    assert again.status_code == 409  # not a move a resolved escalation can make


def test_customers_advocates_and_scopes_are_refused(escalation, member, advocate, support_agent):
    for person in (member, advocate):
        token = create_api_token(person, name="x", scopes=["read", "write", "staff"])[1]
        assert _api(token).get("/api/v1/escalations/").status_code == 403
        assert _api(token).get(f"/api/v1/escalations/{escalation.pk}/").status_code == 403
    no_staff_scope = create_api_token(support_agent, name="reader", scopes=["read"])[1]
    assert _api(no_staff_scope).get("/api/v1/escalations/").status_code == 403
    anonymous = Client().get("/api/v1/escalations/")
    assert anonymous.status_code == 401 and "Bearer" in anonymous["WWW-Authenticate"]


def test_product_managers_set_feedback_status_through_the_api(question_factory, product_manager, member):
    team = ProductTeam.objects.create(name="Invoicing", slug="invoicing", product_tags="invoices")
    team.members.add(product_manager)
    idea = question_factory(title="Schedule invoices monthly", tags=["feature-request", "invoices"])
    route_feedback(idea)
    item = FeedbackItem.objects.get()
    pm = _api(create_api_token(product_manager, name="roadmap", scopes=["read", "write", "staff"])[1])
    assert [row["id"] for row in pm.get("/api/v1/feedback/").json()["results"]] == [item.pk]
    done = _post(
        pm, f"/api/v1/feedback/{item.pk}/status/", {"status": "planned", "response": "Spring release."}
    )
    assert done.status_code == 200 and done.json()["status"] == "planned"
    assert _post(pm, f"/api/v1/feedback/{item.pk}/status/", {"status": "maybe"}).status_code == 400
    customer = _api(create_api_token(member, name="x", scopes=["read", "staff"])[1])
    assert customer.get("/api/v1/feedback/").status_code == 403
    assert pm.get("/api/v1/digests/").status_code == 200
