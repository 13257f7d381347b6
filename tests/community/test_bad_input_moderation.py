"""Naughty strings and XSS payloads through the moderation forms: flag details, close
notes, lock reasons, review notes, redaction and the audit-log filters. Never a 500,
what was typed is stored as typed (up to the field's length), and the pages that show
it — the question with its closed and locked notices, the review item, the audit log,
the author's notifications — carry nothing executable."""

from __future__ import annotations

import pytest

from community.models import AuditEntry, Flag, Question, ReviewItem
from tests.community.test_bad_input_forms import _assert_page_is_safe, _chunks
from tests.corpora import naughty_strings, xss_sample

pytestmark = pytest.mark.django_db


def _moderate(client, moderator, flagger, question: Question, texts: list[str]) -> None:
    for text in texts:
        client.force_login(flagger)
        response = client.post(f"/questions/{question.pk}/flag/", {"reason": "other", "detail": text})
        assert response.status_code in (302, 403), (text, response.status_code)  # 403: flagged already
        client.force_login(moderator)
        response = client.post(f"/questions/{question.pk}/close/", {"reason": "needs_details", "note": text})
        assert response.status_code == 302, (text, response.status_code)
        response = client.post(f"/questions/{question.pk}/lock/", {"reason": text})
        assert response.status_code in (302, 400), (text, response.status_code)  # 400: only spaces
        question.refresh_from_db()
        assert question.close_note == text[:500]
        assert question.lock_reason == (text.strip()[:500] if response.status_code == 302 else "")
        _assert_page_is_safe(client, question.get_absolute_url())  # both notices, one page
        if question.locked_at:
            assert client.post(f"/questions/{question.pk}/unlock/", {"reason": text}).status_code == 302
        assert client.post(f"/questions/{question.pk}/reopen/", {"note": text}).status_code == 302
        response = client.get("/review/log/", {"by": text[:150], "action": text[:40], "on": text[:20]})
        assert response.status_code == 200, text
        response = client.post(f"/questions/{question.pk}/redact/", {"text": text, "reason": text})
        assert response.status_code == 400, (text, response.status_code)  # not in the post: said so
        assert "not in this post" in response.content.decode() or "at least" in response.content.decode()


@pytest.mark.parametrize("chunk", _chunks(naughty_strings() + xss_sample(120)), ids=lambda c: f"bad-{len(c)}")
def test_bad_input_through_the_moderation_forms(client, question_factory, support_agent, member, chunk):
    question = question_factory(title="A thread moderated with odd input")
    _moderate(client, support_agent, member, question, chunk)
    flag = Flag.objects.get(question=question, flagger=member)
    assert flag.detail in [text[:500] for text in chunk]
    item = ReviewItem.objects.get(question=question, kind="flag")
    client.force_login(support_agent)
    for text in chunk[:10]:
        client.post(f"/review/items/{item.pk}/decide/", {"verdict": "keep", "note": text})
    _assert_page_is_safe(client, f"/review/items/{item.pk}/")
    client.force_login(question.author)
    _assert_page_is_safe(client, "/notifications/")
    client.force_login(member)
    _assert_page_is_safe(client, "/flags/")
    assert AuditEntry.objects.filter(action="close").count() == len(chunk)


def test_redacting_odd_text_that_is_in_the_post(client, question_factory, advocate):
    strings = [s for s in naughty_strings() if len(s.strip()) >= 3][:40]
    for text in strings:
        question = question_factory(body=f"Context before. {text} Context after, long enough.")
        client.force_login(advocate)
        response = client.post(f"/questions/{question.pk}/redact/", {"text": text, "reason": "Personal data"})
        assert response.status_code in (302, 400), (text, response.status_code)
        question.refresh_from_db()
        if response.status_code == 302:
            assert text not in question.body and "[redacted]" in question.body
            assert not question.revisions.filter(body__contains=text).exists()
        _assert_page_is_safe(client, question.get_absolute_url())
