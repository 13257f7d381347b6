"""A customer signs up and asks; another answers; votes and acceptance are instant."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from taggit.models import Tag

from community.models import Question
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_sign_up_ask_answer_vote_accept(live_server, new_page, dialogs, user_factory, category):
    base = live_server.url
    helper = user_factory(username="helper", reputation=200)  # enough to vote up
    for name in ("invoices", "pdf"):  # existing tags: a newcomer may use, not create, tags
        Tag.objects.create(name=name, slug=name)

    # A new customer signs up and confirms their email address.
    asker = new_page()
    asker.goto(f"{base}/accounts/signup/")
    asker.get_by_label("Email").fill("casey@example.com")
    asker.get_by_label("Username").fill("casey")
    asker.get_by_label("Password:", exact=True).fill("a-long-Passphrase-42")
    asker.get_by_label("Password (again)").fill("a-long-Passphrase-42")
    asker.get_by_role("button", name="Sign Up").click()
    asker.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    link = re.search(r"(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    asker.goto(f"{base}{link}")
    asker.get_by_role("button", name="Confirm").click()
    _log_in(asker, base, "casey", "a-long-Passphrase-42")

    # They ask, with a live preview of the Markdown.
    asker.goto(f"{base}/questions/ask/")
    asker.get_by_label("Title").fill("Invoice PDF shows the wrong currency")
    asker.get_by_label("Body").fill("The **PDF** shows `$` but the client pays in CHF.")
    asker.locator("#id_body-preview strong").wait_for()
    asker.get_by_label("Category").select_option(label=category.name)
    asker.get_by_label("Tags").fill("invoices, pdf")
    asker.get_by_role("button", name="Post your question").click()
    asker.wait_for_url(re.compile(r".*/questions/\d+/invoice-pdf-shows-the-wrong-currency/$"))
    question = Question.objects.get()

    # A second member answers (with a payload that must stay inert) and up-votes the question.
    answerer = new_page()
    _log_in(answerer, base, helper.username, PASSWORD)
    answerer.goto(f"{base}{question.get_absolute_url()}")
    answerer.get_by_label("Body").fill(
        "Set the template's number format to `de-CH`. <img src=x onerror=alert(1)> [x](javascript:alert(2))"
    )
    answerer.get_by_role("button", name="Post your answer").click()
    answerer.wait_for_url(re.compile(r".*#answer-\d+$"))
    vote = answerer.locator(f"#question-{question.pk} .vote")
    vote.get_by_role("button", name="Vote up").click()
    answerer.locator(f"#question-{question.pk} .vote .score", has_text="1").wait_for()
    assert answerer.url.endswith(re.search(r"#answer-\d+", answerer.url).group(0))  # no reload happened

    # The asker (new, so not yet allowed to vote) accepts the answer without a page load.
    asker.reload()
    answer_block = asker.locator("article.answer").first
    assert answer_block.get_by_role("button", name="Vote up").is_disabled()
    asker.get_by_role("button", name="Accept this answer").click()
    asker.locator(".accepted-mark").wait_for()
    assert asker.locator("#question-status").inner_text() == "Solved"
    asker.get_by_role("link", name="x").first.click(trial=False) if asker.get_by_role(
        "link", name="x"
    ).count() else None
    question.refresh_from_db()
    assert question.is_solved and question.score == 1
    helper.refresh_from_db()
    assert helper.reputation == 200 + 15  # accepted answer
    asker.reload()
    assert "Member" not in asker.locator(".site-header").inner_text()
    assert asker.locator(".site-header .rank").inner_text() == str(1 + 5 + 2)  # upvoted question, accepted
    assert dialogs == []

    # The list shows it solved too.
    asker.goto(f"{base}/questions/?status=solved")
    assert asker.get_by_role("link", name="Invoice PDF shows the wrong currency").is_visible()

    # The next customer with the same problem starts describing it, title left for later:
    # the hint appears as the body is written, with the accepted answer's first lines.
    answerer.goto(f"{base}/questions/ask/")
    answerer.get_by_label("Body").fill("My invoice PDF shows the wrong currency for a Swiss client")
    hint = answerer.locator("#similar-questions .similar")
    hint.wait_for()
    assert "Invoice PDF shows the wrong currency" in hint.inner_text()
    assert "number format" in hint.locator(".hint-answer").inner_text()
    assert dialogs == []
