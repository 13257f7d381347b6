"""Naughty strings and XSS payloads through the moderation forms: flag details, close
notes, lock reasons, review notes, redaction and the audit-log filters. Never a 500,
what was typed is stored as typed (up to the field's length), and the pages that show
it — the question with its closed and locked notices, the review item, the audit log,
the author's notifications — carry nothing executable."""

from __future__ import annotations

import pytest

from community.models import AuditEntry, Flag, Notification, Question, ReviewItem
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
        earlier = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.post(f"/questions/{question.pk}/redact/", {"text": text, "reason": text})
        assert response.status_code in (302, 400), (text, response.status_code)
        if response.status_code == 400:  # not in the post: said so
            assert "not in this post" in response.content.decode() or "at least" in response.content.decode()
        else:  # only quoted by a notice about the thread (its outbox ran): gone from there too
            assert not Notification.objects.filter(pk__lte=earlier, text__contains=text).exists(), text


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


def test_an_overlong_note_or_reason_is_refused_with_the_reason_and_shown_again(
    client, question, support_agent
):
    """Moderation notes used to be cut at 500 characters without a word."""
    client.force_login(support_agent)
    long_note = "The asker should add the export settings they used. " * 12  # 624 characters
    response = client.post(f"/questions/{question.pk}/close/", {"reason": "needs_details", "note": long_note})
    page = response.content.decode()
    assert response.status_code == 400 and "at most 500 characters (it has 624)" in page
    assert long_note.strip() in page  # the note comes back in the form
    response = client.post(f"/questions/{question.pk}/lock/", {"reason": long_note})
    assert response.status_code == 400 and "at most 500 characters" in response.content.decode()
    response = client.post(f"/questions/{question.pk}/redact/", {"text": "x" * 1001, "reason": "personal"})
    assert response.status_code == 400 and "at most 1000 characters" in response.content.decode()
    question.refresh_from_db()
    assert question.closed_at is None and question.locked_at is None and question.close_note == ""


def test_a_nul_character_in_an_address_is_refused_with_a_clear_page(client, question):
    for url in ("/users/a%00b/", "/tags/a%00b/", "/questions/1/a%00b/"):
        response = client.get(url)
        assert response.status_code == 400 and "NUL character" in response.content.decode(), url
    assert client.get("/tags/autocomplete/", {"tags": "bill\x00"}).status_code == 200
    assert client.get("/questions/similar/", {"title": "invoice\x00 export pages"}).status_code == 200
    assert client.get(question.get_absolute_url()).status_code == 200
