"""The community guidelines, the about page and "meet the team": public, linked from every
page's footer and from the ask page, written by support staff in the site; and what a
customer can expect from support, on the ask page and on a question waiting for staff."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.utils import timezone

from community.models import SitePage, TeamProfile
from support.expectations import expectation, reply_within
from support.models import Escalation, SlaPolicy
from support.sla import BusinessHours, Policy
from tests.corpora import naughty_strings, unsafe_parts, xss_sample

pytestmark = pytest.mark.django_db


def test_the_pages_are_public_and_linked_from_every_page(client: Any) -> None:
    home = client.get("/").content.decode()
    for url, heading in (
        ("/guidelines/", "Community guidelines"),
        ("/about/", "About this community"),
        ("/team/", "Meet the team"),
    ):
        assert f'href="{url}"' in home
        page = client.get(url)
        assert page.status_code == 200
        assert f"<h1>{heading}</h1>" in page.content.decode()
    assert "Search first." in client.get("/guidelines/").content.decode()  # the default text


def test_only_support_staff_edit_them(client: Any, member: Any, support_agent: Any) -> None:
    assert client.get("/guidelines/edit/").status_code == 302  # to sign in
    client.force_login(member)
    assert client.get("/guidelines/edit/").status_code == 403
    assert client.post("/team/edit/", {"job_title": "Boss"}).status_code == 403
    assert "Edit this page" not in client.get("/guidelines/").content.decode()
    assert not SitePage.objects.exists() and not TeamProfile.objects.exists()
    client.force_login(support_agent)
    assert "Edit this page" in client.get("/guidelines/").content.decode()
    assert client.get("/about/edit/").status_code == 200


def test_staff_rewrite_the_guidelines_and_everyone_reads_them(client: Any, support_agent: Any) -> None:
    client.force_login(support_agent)
    body = "## Be kind\n\nAnswer **the question** asked.\r\n\r\n<script>alert(1)</script>"
    response = client.post("/guidelines/edit/", {"title": "House rules", "body": body})
    assert response.status_code == 302 and response["Location"] == "/guidelines/"
    saved = SitePage.objects.get(slug="guidelines")
    assert saved.body == body and saved.updated_by == support_agent  # kept exactly as typed
    client.logout()
    page = client.get("/guidelines/").content.decode()
    assert "<h1>House rules</h1>" in page and "<strong>the question</strong>" in page
    assert (
        "<script>alert(1)</script>" not in page
        and unsafe_parts(page, allowed_script_srcs=("/static/",)) == []
    )
    assert "Last updated" in page


def test_bad_page_input_is_refused_with_a_message_and_kept(client: Any, support_agent: Any) -> None:
    client.force_login(support_agent)
    for data in (
        {"title": "   ", "body": "Long enough body text for a page."},
        {"title": "Rules", "body": "short"},
        {"title": "Rules\x00", "body": "Long enough body text for a page."},
        {"title": "R" * 201, "body": "Long enough body text for a page."},
    ):
        response = client.post("/guidelines/edit/", data)
        assert response.status_code == 400, data
        assert 'class="errorlist"' in response.content.decode()
    assert not SitePage.objects.exists()


def test_any_text_survives_a_page_and_a_team_card(client: Any, support_agent: Any) -> None:
    client.force_login(support_agent)
    texts = [t for t in naughty_strings() if t.strip() and "\x00" not in t][:150] + xss_sample(150)
    body = "\n\n".join(texts)
    assert client.post("/about/edit/", {"title": "About us", "body": body}).status_code == 302
    assert SitePage.objects.get(slug="about").body == body
    bio = "\n".join(texts)[:2000]
    response = client.post(
        "/team/edit/", {"job_title": "Support lead", "owns": "Billing", "bio": bio, "listed": "on"}
    )
    assert response.status_code == 302
    assert TeamProfile.objects.get(user=support_agent).bio == bio
    for url in ("/about/", "/team/"):
        assert unsafe_parts(client.get(url).content.decode(), allowed_script_srcs=("/static/",)) == [], url


def test_the_team_page_shows_staff_cards(client: Any, support_agent: Any, user_factory: Any) -> None:
    client.force_login(support_agent)
    client.post(
        "/team/edit/",
        {
            "job_title": "Support lead",
            "owns": "Billing and refunds",
            "bio": "Ten years in support.",
            "listed": "on",
        },
    )
    shy = user_factory(roles=("Support staff",))
    TeamProfile.objects.create(user=shy, job_title="Agent", listed=False, updated_at=timezone.now())
    former = user_factory()  # a card left by someone who no longer works support
    TeamProfile.objects.create(user=former, job_title="Former agent", updated_at=timezone.now())
    client.logout()
    page = client.get("/team/").content.decode()
    assert support_agent.public_name in page and "Support lead" in page and "Billing and refunds" in page
    assert "Ten years in support." in page
    assert "Former agent" not in page and shy.public_name not in page
    client.force_login(support_agent)
    form = client.get("/team/edit/").content.decode()
    assert 'value="Support lead"' in form  # the card as saved, to edit


def test_wording_of_what_to_expect() -> None:
    assert reply_within(Policy(first_reply_hours=24)) == "1 day"
    assert reply_within(Policy(first_reply_hours=36)) == "36 hours"
    assert reply_within(Policy(first_reply_hours=4, vip_first_reply_hours=1), vip=True) == "1 hour"
    office = BusinessHours("Europe/London", time(9), time(17), frozenset({0, 1, 2, 3, 4}))
    assert reply_within(Policy(first_reply_hours=8, business_hours=office)) == "1 business day"
    assert reply_within(Policy(first_reply_hours=16, business_hours=office)) == "2 business days"
    assert reply_within(Policy(first_reply_hours=4, business_hours=office)) == "4 working hours"
    said = expectation(Policy(first_reply_hours=8, business_hours=office))
    assert said.sentence == "Support replies within 1 business day; the community often answers first."
    assert said.hours == "Monday to Friday, 09:00–17:00 (Europe/London)"


def test_the_ask_page_says_what_to_expect(client: Any, member: Any, category: Any) -> None:
    client.force_login(member)
    page = client.get("/questions/ask/").content.decode()
    assert "Support replies within 1 day; the community often answers first." in page
    assert 'href="/guidelines/"' in page and 'href="/team/"' in page
    SlaPolicy.objects.create(
        category=category, first_reply_hours=8, business_hours_only=True, time_zone="Europe/Berlin"
    )
    page = client.get("/questions/ask/").content.decode()
    assert f"<strong>{category.name}:</strong> Support replies within 1 business day" in page
    assert "Monday to Friday, 09:00–17:00 (Europe/Berlin)" in page


def test_a_question_waiting_for_staff_tells_its_asker_when_to_expect_a_reply(
    client: Any, question: Any, member: Any, other_member: Any
) -> None:
    now = timezone.now()
    due = now + timezone.timedelta(hours=20)
    Escalation.objects.create(
        question=question, reason="asker", state="open", created_at=now, updated_at=now, due_at=due
    )
    client.force_login(question.author)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Support replies within 1 day; the community often answers first." in page
    assert f'Reply due by <time datetime="{due.strftime("%Y-%m-%dT%H:%M:%S")}' in page
    client.force_login(other_member)  # others see only that staff are on it
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Reply due by" not in page and "Staff are on it." in page


def test_the_demo_introduces_its_team(client: Any) -> None:
    from django.core.management import call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    page = client.get("/team/").content.decode()
    assert "Sam from Support" in page and "Billing, invoices and integrations" in page
