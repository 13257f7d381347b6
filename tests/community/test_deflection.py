"""Deflection events: hints shown and clicked, asks abandoned after a click, "this solved it"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.actions.deflection import settle_hint_clicks
from community.actions.questions import ask_question
from community.models import DeflectionEvent, DeflectionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(django_capture_on_commit_callbacks, member, category):
    with django_capture_on_commit_callbacks(execute=True):
        return ask_question(
            author=member,
            title="Export invoices to CSV",
            body="How do I export all invoices?",
            category=category,
            tags=[],
        )


def kinds() -> list[str]:
    return list(DeflectionEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_hints_shown_and_clicked_are_recorded_for_visitors_too(client, thread):
    client.session.save()  # a visitor with a session (one without stays unrecorded: crawlers)
    fragment = client.get("/questions/similar/", {"title": "export invoices csv"}).content.decode()
    assert f"/questions/{thread.pk}/from-hint/" in fragment
    response = client.get(f"/questions/{thread.pk}/from-hint/")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert kinds() == [DeflectionKind.HINT_SHOWN, DeflectionKind.HINT_CLICKED]
    shown = DeflectionEvent.objects.get(kind=DeflectionKind.HINT_SHOWN)
    assert shown.typed == "export invoices csv" and shown.session_key


def test_a_click_not_followed_by_a_question_counts_as_abandoned(client, thread, other_member, category):
    client.force_login(other_member)
    client.get(f"/questions/{thread.pk}/from-hint/")
    assert settle_hint_clicks() == 0  # too soon to judge
    later = timezone.now() + timedelta(minutes=31)
    assert settle_hint_clicks(now=later) == 1
    assert settle_hint_clicks(now=later) == 0  # settled once
    assert DeflectionEvent.objects.filter(
        kind=DeflectionKind.ABANDONED_AFTER_CLICK, user=other_member
    ).exists()


def test_a_click_followed_by_asking_is_not_abandoned(client, thread, other_member, category):
    client.force_login(other_member)
    client.get(f"/questions/{thread.pk}/from-hint/")
    ask_question(author=other_member, title="Export only paid invoices?", body="Only the paid ones please.",
                 category=category, tags=[])  # fmt: skip
    assert settle_hint_clicks(now=timezone.now() + timedelta(minutes=31)) == 0


def test_this_solved_it_once_per_member_and_never_on_your_own(client, thread, other_member, member):
    client.force_login(other_member)
    assert "This solved my problem" in client.get(thread.get_absolute_url()).content.decode()
    response = client.post(f"/questions/{thread.pk}/solved-it/", HTTP_HX_REQUEST="true")
    assert "glad this solved it" in response.content.decode()
    client.post(f"/questions/{thread.pk}/solved-it/")
    assert DeflectionEvent.objects.filter(kind=DeflectionKind.SOLVED_IT).count() == 1
    client.force_login(member)
    assert "This solved my problem" not in client.get(thread.get_absolute_url()).content.decode()
    assert client.post(f"/questions/{thread.pk}/solved-it/").status_code == 403


def test_hints_follow_the_body_and_show_the_accepted_answers_first_lines(
    client, thread, django_capture_on_commit_callbacks, other_member
):
    from community.actions.answers import accept_answer, post_answer

    with django_capture_on_commit_callbacks(execute=True):
        answer = post_answer(
            thread,
            author=other_member,
            body="Open **Billing**, choose *Export*, then pick CSV. " + "More. " * 80,
        )
        accept_answer(answer, by=thread.author)
    # Nothing of the title yet: the body being written finds the thread.
    fragment = client.get(
        "/questions/similar/", {"title": "", "body": "I need all my invoices exported as csv"}
    )
    html = fragment.content.decode()
    assert f"/questions/{thread.pk}/from-hint/" in html
    assert "Open Billing, choose Export, then pick CSV." in html  # plain text, from the accepted answer
    assert html.count("More.") < 40  # its first lines only
    assert "<strong>" not in html.split("hint-answer")[1]
    too_little = client.get("/questions/similar/", {"title": "ex", "body": "short"}).content.decode()
    assert "from-hint" not in too_little
