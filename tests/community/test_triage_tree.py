"""The triage tree walked step by step on an escalation, a review item and a mention; the
branch taken is recorded with the decision, and the dashboard counts each outcome."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from community.models import ReviewItem, TriageDecision
from community.triage_tree import OUTCOMES, STEPS, BadPath, walk
from support.actions.escalations import open_escalation
from support.models import Mention

pytestmark = pytest.mark.django_db


def test_every_outcome_is_reached_by_exactly_one_path_and_bad_paths_are_refused():
    reached = {}
    paths = [["positive"], ["negative", "complainer"], ["negative", "customer", "wrong"]]
    paths += [["negative", "customer", "right", "yes"], ["negative", "customer", "right", "no"]]
    for path in paths:
        taken, step, outcome = walk(path)
        assert step is None and outcome is not None and len(taken) == len(path)
        reached[outcome.key] = path
    assert set(reached) == set(OUTCOMES)
    assert walk([])[1] is STEPS["assess"]
    for bad in (["sideways"], ["positive", "more"], ["negative", "customer", "right", "yes", "again"]):
        with pytest.raises(BadPath):
            walk(bad)


def _follow(client, url: str, *answers: str) -> str:
    """Click through the walk's links, answer by answer, as a reader without JavaScript."""
    page = client.get(url).content.decode()
    for answer in answers:
        label = next(label for key, label, _ in sum((s.answers for s in STEPS.values()), ()) if key == answer)
        href = re.search(rf'<a class="button" href="([^"]+)">{re.escape(label)}</a>', page).group(1)
        page = client.get(url + href.replace("&amp;", "&")).content.decode()
    return page


def test_staff_walk_an_escalation_and_the_decision_is_recorded_and_counted(
    client, question_factory, support_agent, member
):
    escalation, _ = open_escalation(question_factory(), reason="asker")
    url = f"/triage/escalation/{escalation.pk}/"
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(support_agent)
    assert "Walk the triage tree" in client.get(escalation.get_absolute_url()).content.decode()
    page = _follow(client, url, "negative", "customer", "right", "no")
    assert "Take reasonable action and tell them" in page
    response = client.post(url, {"path": ["negative", "customer", "right", "no"], "note": "Refunded the fee"})
    assert response.status_code == 302 and response.url == escalation.get_absolute_url()
    decision = TriageDecision.objects.get()
    assert decision.outcome == "act" and decision.path == ["negative", "customer", "right", "no"]
    assert (
        decision.target == escalation and decision.by == support_agent and decision.note == "Refunded the fee"
    )
    assert client.post(url, {"path": ["negative"]}).status_code == 400  # no outcome reached yet
    assert client.get(url, {"path": ["negative", "nonsense\x00"]}).status_code == 400
    assert client.get("/triage/nothing/1/").status_code == 404
    assert client.get(f"/triage/escalation/{escalation.pk + 999}/").status_code == 404
    dashboard = client.get("/support/dashboard/").content.decode()
    section = dashboard.split('id="triage-heading"')[1].split("</section>")[0]
    assert (
        '<th scope="row">Take reasonable action and tell them</th><td>1</td><td>0</td><td>0</td><td>1</td>'
        in section
    )


def test_advocates_walk_review_items_and_staff_walk_mentions(
    client, question_factory, newcomer, advocate, support_agent
):
    question_factory(author=newcomer)  # a first post: in the review queue
    item = ReviewItem.objects.get()
    client.force_login(advocate)
    assert "Walk the triage tree" in client.get(item.get_absolute_url()).content.decode()
    client.post(f"/triage/review/{item.pk}/", {"path": ["positive"]})
    assert TriageDecision.objects.get(kind="review").outcome == "thank"
    mention = Mention.objects.create(
        source="twitter", external_id="1", author_handle="joker", text="lol your app",
        created_at=timezone.now(),
        received_at=timezone.now(),
    )  # fmt: skip
    assert (
        client.get(f"/triage/mention/{mention.pk}/").status_code == 403
    )  # advocates: not the mentions inbox
    client.force_login(support_agent)
    client.post(f"/triage/mention/{mention.pk}/", {"path": ["negative", "complainer"]})
    assert TriageDecision.objects.get(kind="mention").outcome == "monitor"
