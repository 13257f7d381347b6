"""Knowledge articles through the site: capture from a solved thread, read, rate, edit,
review reminders, the list by tag, and articles first in search and hints."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.actions.answers import accept_answer
from community.actions.articles import ArticleDraft, capture_article, remind_reviews
from community.actions.search import reconcile
from community.models import (
    Article,
    ArticleRevision,
    DeflectionEvent,
    DeflectionKind,
    Notification,
    NotificationEvent,
    Question,
)
from community.search import SearchQuery, get_engine

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(question_factory, answer_factory, member):
    question = question_factory(
        author=member,
        title="Invoice PDF export shows a blank page",
        body="Exporting **invoice 42** to PDF gives an empty page.",
    )
    answer = answer_factory(
        question=question, body="Turn off *compact layout* in Settings → Billing, then export again."
    )
    accept_answer(answer, by=member)
    question.refresh_from_db()
    return question


def form_data(**overrides):
    data = {
        "title": "Fix a blank PDF when exporting an invoice",
        "summary": "Turn off compact layout, then export again.",
        "body": "## Steps\n\n1. Settings → Billing\n2. Untick *compact layout*\n3. Export again\n",
        "tags": "billing export",
        "review_by": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def capture(client, question, **overrides):
    return client.post(f"/questions/{question.pk}/capture-article/", form_data(**overrides))


def test_advocate_captures_an_article_prefilled_from_the_solved_thread(client, advocate, solved):
    client.force_login(advocate)
    page = client.get(solved.get_absolute_url()).content.decode()
    assert f"/questions/{solved.pk}/capture-article/" in page
    form = client.get(f"/questions/{solved.pk}/capture-article/").content.decode()
    assert "Invoice PDF export shows a blank page" in form
    assert "Exporting **invoice 42** to PDF" in form and "Turn off *compact layout*" in form
    assert "Adapted from" in form
    response = capture(client, solved)
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.source_question == solved and article.author == advocate
    assert sorted(article.tags.names()) == ["billing", "export"]
    assert article.revisions.count() == 1
    shown = client.get(article.get_absolute_url()).content.decode()
    assert "<h1>Fix a blank PDF when exporting an invoice</h1>" in shown
    assert solved.get_absolute_url() in shown and "<em>compact layout</em>" in shown
    assert article.get_absolute_url() in client.get(solved.get_absolute_url()).content.decode()


def test_only_advocates_and_staff_capture_and_only_from_solved_threads(
    client, member, advocate, question_factory, solved
):
    client.force_login(member)
    assert (
        f"/questions/{solved.pk}/capture-article/"
        not in client.get(solved.get_absolute_url()).content.decode()
    )
    refused = capture(client, solved)
    assert refused.status_code == 403 and b"Only advocates and staff" in refused.content
    client.force_login(advocate)
    unsolved = question_factory()
    refused = capture(client, unsolved)
    assert refused.status_code == 403 and b"Only a solved thread" in refused.content
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary", "   ", "The summary"),
        ("review_by", "2001-01-01", "cannot be in the past"),
        ("review_by", "not a date", "Enter a valid date"),
        ("title", "x" * 400, "at most"),
        ("tags", "<script>", "may only use letters"),
    ],
)
def test_bad_article_input_is_refused_with_the_text_kept(client, advocate, solved, field, value, message):
    client.force_login(advocate)
    response = capture(client, solved, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Untick *compact layout*" in response.content.decode()
    assert Article.objects.count() == 0


def test_edits_are_revisions_with_a_diff(client, advocate, solved):
    client.force_login(advocate)
    capture(client, solved)
    article = Article.objects.get()
    response = client.post(
        f"/articles/{article.pk}/edit/",
        form_data(summary="Untick compact layout in Billing settings.", note="shorter summary"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.summary == "Untick compact layout in Billing settings."
    assert list(ArticleRevision.objects.filter(article=article).values_list("number", flat=True)) == [1, 2]
    history = client.get(f"/articles/{article.pk}/revisions/").content.decode()
    assert "shorter summary" in history and "<ins>" in history and "<del>" in history


def test_readers_say_whether_it_helped_once_each_and_staff_read_the_comments(
    client, advocate, member, support_agent, solved
):
    article = capture_article(solved, by=advocate, draft=ArticleDraft(**{**form_data(), "tags": ["billing"]}))
    url = f"/articles/{article.pk}/helpful/"
    assert client.post(url, {"helpful": "yes"}).status_code == 302  # a visitor
    assert client.post(url, {"helpful": "no", "comment": "Still blank on Safari"}).status_code == 302
    article.refresh_from_db()
    assert (article.helpful_count, article.not_helpful_count) == (0, 1)  # changed mind, counted once
    client.force_login(member)
    thanks = client.post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true")
    assert thanks.status_code == 200 and b"Thank you" in thanks.content
    article.refresh_from_db()
    assert (article.helpful_count, article.not_helpful_count) == (1, 1)
    assert client.post(url, {"helpful": "maybe"}).status_code == 400
    assert b"Still blank on Safari" not in client.get(article.get_absolute_url()).content
    client.force_login(support_agent)
    assert b"Still blank on Safari" in client.get(article.get_absolute_url()).content


def test_staff_are_reminded_once_when_the_review_date_comes_and_can_mark_it_reviewed(
    client, advocate, support_agent, member, solved, django_capture_on_commit_callbacks
):
    article = capture_article(solved, by=advocate, draft=ArticleDraft(**{**form_data(), "tags": ["billing"]}))
    Article.objects.filter(pk=article.pk).update(review_by=timezone.localdate())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reviews() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reviews() == 0
    reminders = Notification.objects.filter(event=NotificationEvent.ARTICLE_REVIEW)
    assert list(reminders.values_list("recipient", flat=True)) == [support_agent.pk]
    assert [m.to for m in mail.outbox] == [[support_agent.email]]
    client.force_login(member)
    assert client.post(f"/articles/{article.pk}/reviewed/").status_code == 403
    client.force_login(support_agent)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Review due" in page
    client.post(f"/articles/{article.pk}/reviewed/")
    article.refresh_from_db()
    assert article.review_by > timezone.localdate() and article.reviewed_at is not None


def test_the_list_by_tag(client, advocate, solved):
    capture_article(solved, by=advocate, draft=ArticleDraft(**{**form_data(), "tags": ["billing"]}))
    capture_article(
        solved,
        by=advocate,
        draft=ArticleDraft(**{**form_data(title="Change your plan mid-month"), "tags": ["plans"]}),
    )
    everything = client.get("/articles/").content.decode()
    assert "Fix a blank PDF" in everything and "Change your plan mid-month" in everything
    plans = client.get("/articles/?tag=plans").content.decode()
    assert "Change your plan mid-month" in plans and "Fix a blank PDF" not in plans
    assert client.get("/articles/?page=0").status_code == 400


def test_articles_come_first_in_search_and_hints_and_their_clicks_count(
    client, advocate, solved, question_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            question_factory(
                title="Blank PDF export from the invoice page", body="Blank PDF again on export."
            )
        article = capture_article(
            solved, by=advocate, draft=ArticleDraft(**{**form_data(), "tags": ["billing"]})
        )
    hits = get_engine().search(SearchQuery(text="blank pdf export")).hits
    assert hits[0].kind == "article" and hits[0].url == f"/articles/{article.pk}/"
    page = client.get("/search/", {"q": "blank pdf export"}).content.decode()
    assert page.index("Knowledge article</span>") < page.index("invoice page")
    client.session.save()  # a visitor with a session: one without (a crawler) is not counted
    hint = client.get("/questions/similar/", {"title": "blank pdf when I export"}).content.decode()
    assert f"/articles/{article.pk}/from-hint/" in hint
    first_link = hint[: hint.index("/from-hint/") + len("/from-hint/")]
    assert first_link.endswith(f"/articles/{article.pk}/from-hint/")
    assert DeflectionEvent.objects.filter(kind=DeflectionKind.HINT_SHOWN, article=article).exists()
    response = client.get(f"/articles/{article.pk}/from-hint/")
    assert response.status_code == 302
    assert DeflectionEvent.objects.filter(kind=DeflectionKind.HINT_CLICKED, article=article).count() == 1


def test_reconcile_and_rebuild_include_articles(advocate, solved):
    article = capture_article(solved, by=advocate, draft=ArticleDraft(**{**form_data(), "tags": ["billing"]}))
    get_engine().clear()
    reconcile()
    assert f"article:{article.pk}" in get_engine().versions()
    Article.objects.filter(pk=article.pk).update(is_deleted=True)
    reconcile()
    assert f"article:{article.pk}" not in get_engine().versions()
    Article.objects.filter(pk=article.pk).update(is_deleted=False)
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert f"article:{article.pk}" in get_engine().versions()


def test_an_article_from_an_imported_thread_carries_its_attribution_and_licence(
    client, advocate, django_capture_on_commit_callbacks
):
    from tests.community.test_import_stackexchange import CONLANG, run_import

    run_import(CONLANG, django_capture_on_commit_callbacks)
    question = (
        Question.objects.filter(accepted_answer__isnull=False).select_related("accepted_answer").first()
    )
    client.force_login(advocate)
    response = capture(client, question)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.licence == "CC BY-SA 4.0"
    assert f"https://conlang.meta.stackexchange.com/q/{question.external_id}" in article.attribution
    assert question.author.public_name in article.attribution
    assert question.accepted_answer.author.public_name in article.attribution
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license noopener"' in page
    assert "conlang.meta.stackexchange.com" in page
