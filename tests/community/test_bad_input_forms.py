"""Naughty strings and XSS payloads through the ask and answer forms: never a 500, the
Markdown stored exactly as sent, a working URL, and nothing executable on the page.

The fast tier sends every naughty string and a fixed sample of 500 payloads; the slow
tier (run when CI=true) sends every payload through ask, answer and comment.
"""

from __future__ import annotations

import pytest

from community.models import Answer, Comment, Question
from tests.corpora import naughty_strings, unsafe_parts, xss_payloads, xss_sample

pytestmark = pytest.mark.django_db
CHUNK = 60
STATIC = ("/static/",)


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _assert_page_is_safe(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    content = response.content.decode()
    assert not unsafe_parts(content, allowed_script_srcs=STATIC), (
        url,
        unsafe_parts(content, allowed_script_srcs=STATIC),
    )
    return content


def _ask(client, category, title: str, body: str) -> Question | None:
    before = Question.objects.count()
    response = client.post(
        "/questions/ask/", {"title": title, "body": body, "category": category.pk, "tags": "bad-input"}
    )
    assert response.status_code in (302, 400), (title, response.status_code)
    if response.status_code == 400:
        assert Question.objects.count() == before
        assert 'class="errorlist"' in response.content.decode(), title
        return None
    # The question the form led to (the same text sent again moments later is the same one).
    created = Question.objects.get(pk=int(response["Location"].split("/")[2]))
    assert created.body == body and created.title == title
    assert response["Location"] == created.get_absolute_url()
    return created


def _sweep(client, category, strings: list[str]) -> None:
    """Each string as a bare title and body, then inside a valid question with an answer."""
    for text in strings:
        bare = _ask(client, category, text, text)
        if bare is not None:
            _assert_page_is_safe(client, bare.get_absolute_url())
        question = _ask(
            client, category, f"Question about {text}"[:150], f"{text}\n\nSome context to pass the minimum."
        )
        assert question is not None, text
        _answer(client, question, text)
        _assert_page_is_safe(client, question.get_absolute_url())
        assert client.get("/questions/", {"tag": text[:100]}).status_code in (200, 400), text
    _assert_page_is_safe(client, "/questions/?tag=bad-input")


def _answer(client, question: Question, text: str) -> None:
    response = client.post(f"/questions/{question.pk}/answer/", {"body": text})
    assert response.status_code in (302, 400), (text, response.status_code)
    if response.status_code == 302:
        assert Answer.objects.filter(question=question, body=text).exists()


def _wide_sweep(client, category, strings: list[str]) -> None:
    """Every string through ask, answer and comment; pages checked once per chunk.

    One list page shows every title of the chunk and one thread holds every answer and
    comment, so the whole corpus is checked in a few minutes rather than an hour.
    """
    thread = _ask(client, category, "A thread collecting every payload", "Answers and comments below.")
    assert thread is not None
    for text in strings:
        question = _ask(
            client, category, f"Question about {text}"[:150], f"{text}\n\nSome context to pass the minimum."
        )
        assert question is not None, text
        _answer(client, thread, text)
        response = client.post(f"/questions/{thread.pk}/comment/", {"body": text[:600]})
        assert response.status_code in (302, 400), (text, response.status_code)
        if response.status_code == 302:
            assert Comment.objects.filter(question=thread, body=text[:600]).exists()
    _assert_page_is_safe(client, thread.get_absolute_url())
    _assert_page_is_safe(client, "/questions/?tag=bad-input&sort=newest")


@pytest.fixture
def writer(client, other_member):
    client.force_login(other_member)
    return client


@pytest.mark.parametrize("chunk", _chunks(naughty_strings()), ids=lambda c: f"blns-{len(c)}")
def test_naughty_strings_through_the_forms(writer, category, chunk):
    _sweep(writer, category, chunk)


@pytest.mark.parametrize("chunk", _chunks(xss_sample()), ids=lambda c: f"xss-{len(c)}")
def test_a_fixed_sample_of_xss_payloads_through_the_forms(writer, category, chunk):
    _sweep(writer, category, chunk)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", _chunks(xss_payloads()), ids=lambda c: f"xss-all-{len(c)}")
def test_every_xss_payload_through_every_form(writer, category, settings, chunk):
    settings.COMMUNITY_QUESTIONS_PER_PAGE = CHUNK + 1
    _wide_sweep(writer, category, chunk)
