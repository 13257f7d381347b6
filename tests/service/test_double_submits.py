"""A form sent ten times at once (a double click, a retrying proxy, an impatient
customer) makes one post, on PostgreSQL with each request on its own connection."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from community.models import Answer, Comment, Question
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
TIMES = 10


def _clients(user, n=TIMES):
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_ten_identical_answers_at_once_make_one_answer(question_factory, other_member):
    assert connection.vendor == "postgresql"
    question = question_factory()
    body = {"body": "Reconnect the bank feed under Settings → Banking; it resumes within a minute."}
    codes = []
    all_at_once(lambda c: codes.append(c.post(f"/questions/{question.pk}/answer/", body).status_code),
                _clients(other_member))  # fmt: skip
    assert codes == [302] * TIMES  # every sender lands on the one answer
    assert Answer.objects.filter(question=question, author=other_member).count() == 1
    assert Question.objects.get(pk=question.pk).answer_count == 1


def test_ten_identical_questions_at_once_make_one_question(member, category):
    data = {"title": "Bank feed stopped after the May update", "body": "No new transactions since Monday.",
            "category": category.pk, "tags": ""}  # fmt: skip
    codes = []
    all_at_once(lambda c: codes.append(c.post("/questions/ask/", data).status_code), _clients(member))
    assert codes == [302] * TIMES
    assert Question.objects.filter(author=member, title=data["title"]).count() == 1


def test_ten_identical_comments_at_once_make_one_comment(question_factory, member):
    question = question_factory(author=member)
    codes = []
    url = f"/questions/{question.pk}/comment/"
    all_at_once(lambda c: codes.append(c.post(url, {"body": "Still broken."}).status_code), _clients(member))
    assert codes == [302] * TIMES
    assert Comment.objects.filter(question=question, author=member).count() == 1


def test_the_same_text_posted_again_later_is_a_new_post(question_factory, other_member, settings):
    question = question_factory()
    client = _clients(other_member, 1)[0]
    body = {"body": "Try the export again after clearing the cache."}
    assert client.post(f"/questions/{question.pk}/answer/", body).status_code == 302
    Answer.objects.update(created_at=Answer.objects.get().created_at.replace(year=2020))
    assert client.post(f"/questions/{question.pk}/answer/", body).status_code == 302
    assert Answer.objects.filter(question=question).count() == 2
