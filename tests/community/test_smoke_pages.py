"""Every public page renders for visitors and members."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_public_pages_render_for_a_visitor(client, question, answer_factory, comment_factory):
    answer = answer_factory(question=question)
    comment_factory(answer)
    comment_factory(question)
    for url in [
        "/",
        "/questions/",
        "/questions/?sort=votes&status=answered",
        question.get_absolute_url(),
        "/tags/",
        "/tags/billing/",
        f"/users/{question.author.username}/",
        reverse("community:question_revisions", args=[question.pk]),
        reverse("community:answer_revisions", args=[answer.pk]),
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_member_pages_render(client, member, question):
    client.force_login(member)
    for url in ["/questions/ask/", "/notifications/", "/profile/edit/", question.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
