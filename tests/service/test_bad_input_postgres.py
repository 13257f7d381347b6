"""Bad input on PostgreSQL, which refuses NUL characters that SQLite stores: every
page and form answers with a clear 4xx (or works), never a 500, and keeps what was typed.

The fast tier's sweeps run here on a fixed sample of the corpora (every sixth naughty
string, 30 XSS payloads; the whole corpora run on PostgreSQL in ``make resilience``), and
NUL bytes go through the paths, query parameters and moderation forms that read raw input.
"""

from __future__ import annotations

import pytest
from django.db import connection

from community.models import Question
from tests.community.test_bad_input_forms import _sweep
from tests.community.test_bad_input_moderation import _moderate
from tests.corpora import naughty_strings, xss_sample

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
SAMPLE = naughty_strings()[::6] + xss_sample(30)

NUL = "\x00"


def test_a_sample_of_the_corpora_through_ask_answer_and_the_pages(client, other_member, category):
    assert connection.vendor == "postgresql"
    client.force_login(other_member)
    _sweep(client, category, SAMPLE)


def test_a_sample_of_the_corpora_through_the_moderation_forms(
    client, question_factory, support_agent, member
):
    _moderate(
        client, support_agent, member, question_factory(title="A thread moderated with odd input"), SAMPLE
    )


@pytest.mark.parametrize(
    "url",
    [
        "/users/a%00b/",
        "/questions/similar/?title=invoice%00export+pages",
        "/tags/autocomplete/?tags=a%00",
        "/search/?q=invoice%00export",
        "/questions/?tag=bill%00ing",
        "/review/log/?by=a%00b&action=cl%00ose",
        "/articles/?tag=a%00",
        "/tags/a%00b/",
    ],
)
def test_a_nul_byte_in_an_address_is_a_clear_4xx_not_a_500(client, support_agent, url):
    assert connection.vendor == "postgresql"
    client.force_login(support_agent)
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_nul_bytes_in_the_moderation_forms_are_refused_with_the_reason(
    client, question_factory, support_agent
):
    question = question_factory(body="Reach me at dana@example.com about the invoice export problem.")
    client.force_login(support_agent)
    for url, fields in [
        (f"/questions/{question.pk}/close/", {"reason": "needs_details", "note": f"see{NUL}this"}),
        (f"/questions/{question.pk}/lock/", {"reason": f"heated{NUL}thread"}),
        (f"/questions/{question.pk}/redact/", {"text": f"dana@example{NUL}.com", "reason": "personal data"}),
        (f"/questions/{question.pk}/redact/", {"text": "dana@example.com", "reason": f"personal{NUL}data"}),
    ]:
        response = client.post(url, fields)
        assert response.status_code == 400, (url, response.status_code)
        assert "Null characters are not allowed" in response.content.decode(), url
    question.refresh_from_db()
    assert question.closed_at is None and question.locked_at is None and "dana@example.com" in question.body


def test_nul_bytes_in_posts_are_refused_by_the_forms_and_the_text_is_shown_again(client, member, category):
    client.force_login(member)
    body = f"The export{NUL} gives blank pages every time I try."
    response = client.post(
        "/questions/ask/", {"title": "Export gives blank pages", "body": body, "category": category.pk}
    )
    assert response.status_code == 400 and "Null characters are not allowed" in response.content.decode()
    assert not Question.objects.exists()
