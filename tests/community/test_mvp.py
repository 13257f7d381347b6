"""The MVP program: nominate, award for a term, badge and ordering, reminders, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community import permissions
from community.actions.mvp import award_mvp, nominate_mvp, sweep_mvp_terms
from community.actions.votes import cast_vote
from community.models import MvpNomination, MvpTerm, Notification
from community.querysets import question_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(user_factory):
    return user_factory(is_staff=True, is_superuser=True)


def test_staff_nominate_and_an_admin_awards_a_one_year_term(member, support_agent, admin):
    nomination = nominate_mvp(
        member, by=support_agent, citation="Answered forty billing questions overnight."
    )
    term = award_mvp(nomination, by=admin)
    member.refresh_from_db()
    assert member.is_mvp and "MVP" in member.role_badges
    assert (term.ends_at - term.starts_at).days == 365
    assert permissions.is_advocate(member)  # MVPs hold advocate rights


def test_members_cannot_nominate_and_staff_cannot_award(member, other_member, support_agent):
    with pytest.raises(PermissionDenied):
        nominate_mvp(other_member, by=member, citation="I think they are great, honestly.")
    nomination = nominate_mvp(other_member, by=support_agent, citation="Great work in the payments tag.")
    with pytest.raises(PermissionDenied):
        award_mvp(nomination, by=support_agent)


def test_a_nomination_is_decided_once(member, support_agent, admin):
    nomination = nominate_mvp(member, by=support_agent, citation="Kept the forum friendly all year.")
    award_mvp(nomination, by=admin)
    with pytest.raises(PermissionDenied):
        award_mvp(nomination, by=admin)
    assert MvpTerm.objects.count() == 1


def test_an_mvps_answer_comes_first_among_equal_scores(
    question, answer_factory, user_factory, support_agent, admin
):
    regular = answer_factory(question=question)
    mvp_answer = answer_factory(question=question)
    award_mvp(
        nominate_mvp(mvp_answer.author, by=support_agent, citation="Always the first to help."), by=admin
    )
    voter = user_factory(reputation=20)
    cast_vote(regular, by=voter, value=1)
    cast_vote(mvp_answer, by=voter, value=1)
    page = question_page(question, voter)
    assert [a.pk for a in page.answers] == [mvp_answer.pk, regular.pk]


def test_the_sweep_reminds_once_thirty_days_before_and_expires_keeping_history(
    member, support_agent, admin, django_capture_on_commit_callbacks
):
    term = award_mvp(
        nominate_mvp(member, by=support_agent, citation="Helped hundreds of customers."), by=admin
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_mvp_terms(now=now) == (0, 0)
        assert sweep_mvp_terms(now=term.ends_at - timedelta(days=29)) == (1, 0)
        assert sweep_mvp_terms(now=term.ends_at - timedelta(days=10)) == (0, 0)
    assert Notification.objects.filter(recipient=member, text__startswith="Your MVP term ends").count() == 1
    assert any("MVP term ends" in m.subject for m in mail.outbox)
    assert sweep_mvp_terms(now=term.ends_at + timedelta(seconds=1)) == (0, 1)
    member.refresh_from_db()
    assert member.mvp_until is None and not member.is_mvp
    term.refresh_from_db()
    assert term.expired_at is not None and MvpTerm.objects.filter(member=member).count() == 1


def test_the_mvp_pages_through_the_site(client, member, support_agent, admin):
    client.force_login(support_agent)
    assert client.get("/mvp/nominate/").status_code == 200
    bad = client.post("/mvp/nominate/", {"username": "nobody", "citation": "short"})
    assert bad.status_code == 400 and "No active member" in bad.content.decode()
    response = client.post(
        "/mvp/nominate/",
        {"username": member.username, "citation": "Answers every SSO question within the hour."},
    )
    assert response.status_code == 302
    assert client.get("/mvp/nominations/").status_code == 403
    client.force_login(admin)
    nomination = MvpNomination.objects.get()
    assert member.username in client.get("/mvp/nominations/").content.decode()
    assert (
        client.post(
            f"/mvp/nominations/{nomination.pk}/decide/", {"decision": "award", "days": "0"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/mvp/nominations/{nomination.pk}/decide/", {"decision": "award", "days": "90"}
        ).status_code
        == 302
    )
    public = client.get("/mvp/").content.decode()
    assert "Answers every SSO question" in public and '<span class="role-badge">MVP</span>' in public
    assert "MVP terms" in client.get(f"/users/{member.username}/").content.decode()
    client.force_login(member)
    assert client.get("/mvp/nominate/").status_code == 403
