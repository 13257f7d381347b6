"""Answering, commenting, voting, accepting, following through the site (with and without htmx)."""

from __future__ import annotations

import pytest

from community.models import Answer, Comment, Follow, MeToo, Vote

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_member_answers_and_lands_on_the_answer(client, question, other_member):
    client.force_login(other_member)
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Restart the sync from Settings."})
    answer = Answer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{answer.pk}")
    assert answer.body == "Restart the sync from Settings."


def test_an_empty_answer_gets_a_400_and_the_page_keeps_the_text(client, question, other_member):
    client.force_login(other_member)
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "too short"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "at least 10 characters" in content and "too short</textarea>" in content
    assert not Answer.objects.exists()


def test_a_visitor_cannot_answer(client, question):
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Anonymous answer text."})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Answer.objects.exists()


def test_comments_on_questions_and_answers(client, question, answer_factory, other_member):
    answer = answer_factory(question=question)
    client.force_login(other_member)
    assert client.post(f"/questions/{question.pk}/comment/", {"body": "Which version?"}).status_code == 302
    assert client.post(f"/answers/{answer.pk}/comment/", {"body": "Worked for me"}).status_code == 302
    bad = client.post(f"/answers/{answer.pk}/comment/", {"body": "x" * 601})
    assert bad.status_code == 400 and "at most 600 characters" in bad.content.decode()
    assert Comment.objects.count() == 2
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Which version?" in page and "Worked for me" in page


def test_voting_without_javascript_redirects_back(client, question, other_member):
    client.force_login(other_member)
    response = client.post(f"/questions/{question.pk}/vote/", {"direction": "up"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.score == 1


def test_voting_with_htmx_returns_the_widget(client, answer_factory, other_member):
    answer = answer_factory()
    client.force_login(other_member)
    response = client.post(f"/answers/{answer.pk}/vote/", {"direction": "down"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and content.lstrip().startswith("{% comment") is False
    assert 'aria-pressed="true"' in content and ">-1<" in content
    again = client.post(f"/answers/{answer.pk}/vote/", {"direction": "down"}, **HTMX).content.decode()
    assert ">0<" in again and not Vote.objects.exists()


def test_voting_on_your_own_post_is_a_403_and_changes_nothing(client, question, member):
    client.force_login(member)
    response = client.post(f"/questions/{question.pk}/vote/", {"direction": "up"})
    assert response.status_code == 403
    assert "your own post" in response.content.decode()
    question.refresh_from_db()
    assert question.score == 0 and not Vote.objects.exists()


def test_a_nonsense_vote_is_a_400(client, question, other_member):
    client.force_login(other_member)
    assert client.post(f"/questions/{question.pk}/vote/", {"direction": "sideways"}).status_code == 400


def test_accepting_with_htmx_rerenders_the_thread_solved(client, question, answer_factory, member):
    answer = answer_factory(question=question)
    client.force_login(member)
    response = client.post(f"/answers/{answer.pk}/accept/", **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="thread"' in content and "✓ Accepted answer" in content
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_accepting_without_javascript_redirects(client, question, answer_factory, member):
    answer = answer_factory(question=question)
    client.force_login(member)
    assert client.post(f"/answers/{answer.pk}/accept/")["Location"] == question.get_absolute_url()
    assert client.post(f"/answers/{answer.pk}/accept/", {"undo": "1"}).status_code == 302
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_someone_other_than_the_asker_cannot_accept(client, question, answer_factory, other_member):
    answer = answer_factory(question=question)
    client.force_login(other_member)
    response = client.post(f"/answers/{answer.pk}/accept/")
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_editing_someone_elses_answer_is_a_403(client, answer_factory, other_member):
    answer = answer_factory()
    client.force_login(other_member)
    assert client.get(f"/answers/{answer.pk}/edit/").status_code == 403
    assert client.post(f"/answers/{answer.pk}/edit/", {"body": "Vandalised answer body"}).status_code == 403
    answer.refresh_from_db()
    assert answer.body != "Vandalised answer body"


def test_editing_your_own_question_through_the_form(client, question, member):
    client.force_login(member)
    assert client.get(f"/questions/{question.pk}/edit/").status_code == 200
    response = client.post(
        f"/questions/{question.pk}/edit/",
        {
            "title": "An edited, better title",
            "body": question.body + "\n\nUpdate: tried again.",
            "category": question.category_id,
            "tags": "billing",
            "summary": "added update",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "An edited, better title" and question.revisions.count() == 2


def test_deleting_and_restoring_through_the_site(client, question, answer_factory, support_agent):
    answer = answer_factory(question=question)
    client.force_login(answer.author)
    assert client.post(f"/answers/{answer.pk}/delete/").status_code == 302
    assert f'id="answer-{answer.pk}"' not in client.get(question.get_absolute_url()).content.decode()
    assert client.post(f"/answers/{answer.pk}/restore/").status_code == 404  # hidden from its author now
    client.force_login(support_agent)
    assert client.post(f"/answers/{answer.pk}/restore/").status_code == 302
    answer.refresh_from_db()
    assert not answer.is_deleted


def test_follow_and_i_have_this_too_with_htmx(client, question, other_member):
    client.force_login(other_member)
    assert "Following" in client.post(f"/questions/{question.pk}/follow/", **HTMX).content.decode()
    assert Follow.objects.filter(user=other_member).exists()
    client.post(f"/questions/{question.pk}/follow/", {"undo": "1"})
    assert not Follow.objects.filter(user=other_member).exists()
    content = client.post(f"/questions/{question.pk}/me-too/", **HTMX).content.decode()
    assert "1 member has this too" in content
    assert MeToo.objects.filter(user=other_member).exists()


def test_get_on_a_post_only_endpoint_is_a_405(client, question, other_member):
    client.force_login(other_member)
    assert client.get(f"/questions/{question.pk}/vote/").status_code == 405


def test_a_rejected_comment_keeps_its_text(client, question, other_member):
    client.force_login(other_member)
    text = "x" * 601
    response = client.post(f"/questions/{question.pk}/comment/", {"body": text})
    assert response.status_code == 400
    assert text in response.content.decode()
