"""Private questions, answers and comments: visible only to their people (the asker, the
post's author) and support staff; never in search, lists, hints, related threads,
feedback, profiles or anyone else's notifications (the internal-note sentinel test,
extended to them)."""

from __future__ import annotations

import pytest
from django.core import mail
from taggit.models import Tag

from community.actions.answers import post_answer
from community.actions.comments import add_comment
from community.actions.engagement import follow_question
from community.actions.votes import cast_vote
from community.models import Answer, Comment, Notification, Question, ReviewItem
from community.search import SearchQuery, get_engine

pytestmark = pytest.mark.django_db

SECRET_Q = "PRIVQ-SENTINEL-7d21"
SECRET_A = "PRIVA-SENTINEL-93be"
SECRET_C = "PRIVC-SENTINEL-c0f4"


def _ask(client, category, *, private: bool, title: str, body: str):
    Tag.objects.get_or_create(name="billing", defaults={"slug": "billing"})
    data = {"title": title, "body": body, "category": category.pk, "tags": "billing"}
    if private:
        data["private"] = "on"
    return client.post("/questions/ask/", data)


def _search(text: str) -> list[str]:
    return [hit.title for hit in get_engine().search(SearchQuery(text=text)).hits]


def test_a_private_question_is_seen_by_its_asker_and_staff_only(
    client, member, other_member, advocate, support_agent, category, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(
            client, category, private=True, title="My invoice 4471 shows the wrong VAT number",
            body=f"Our VAT number is DE123456789 and the invoice shows another one. {SECRET_Q}",
        )  # fmt: skip
    question = Question.objects.get()
    assert response.status_code == 302 and question.is_private
    page = client.get(question.get_absolute_url()).content.decode()
    assert SECRET_Q in page and "Only the asker and support staff can see this thread" in page
    assert question.title in client.get("/questions/").content.decode()  # the asker's own list
    assert _search("VAT number invoice") == [] and _search(SECRET_Q.lower()) == []  # never indexed
    assert not ReviewItem.objects.filter(question=question).exists()  # not the moderators' to review
    for reader in (other_member, advocate, None):
        client.logout() if reader is None else client.force_login(reader)
        assert client.get(question.get_absolute_url()).status_code == 404
        assert question.title not in client.get("/questions/").content.decode()
        assert question.title not in client.get(f"/users/{member.username}/").content.decode()
    client.force_login(support_agent)
    assert SECRET_Q in client.get(question.get_absolute_url(), follow=True).content.decode()


def test_staff_make_a_thread_private_or_public_and_the_index_follows(
    client, run, question_factory, member, support_agent, other_member
):
    question = run(question_factory, author=member, title="Refund for order 5521 never arrived")
    assert _search("refund order") == [question.title]
    client.force_login(member)
    assert client.post(f"/questions/{question.pk}/privacy/", {"private": "on"}).status_code == 403
    client.force_login(support_agent)
    response = run(client.post, f"/questions/{question.pk}/privacy/", {"private": "on"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_private and _search("refund order") == []
    client.force_login(other_member)
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(support_agent)
    run(client.post, f"/questions/{question.pk}/privacy/", {})
    question.refresh_from_db()
    assert not question.is_private and _search("refund order") == [question.title]


def test_only_the_asker_and_staff_post_privately_and_others_never_hear_of_it(
    client, run, question_factory, member, other_member, advocate, support_agent
):
    question = question_factory(author=member, title="Export to PDF cuts the last page")
    follow_question(question, user=other_member)
    mail.outbox.clear()
    # Staff answer privately (the customer's account details), the asker comments privately.
    answer = run(
        post_answer,
        question,
        author=support_agent,
        body=f"Your plan is Pro, renewed on the 3rd. {SECRET_A}",
        private=True,
    )
    run(add_comment, question, author=member, body=f"My card ends in 4242. {SECRET_C}", private=True)
    public = run(post_answer, question, author=advocate, body="Set the page size to A4 before exporting.")
    assert Answer.objects.get(pk=answer.pk).is_private and Comment.objects.get().is_private
    # The follower hears of the public answer only; nobody's mail carries the private ones.
    texts = list(Notification.objects.filter(recipient=other_member).values_list("url", flat=True))
    assert any(f"answer-{public.pk}" in url for url in texts)
    assert not any(f"answer-{answer.pk}" in url for url in texts)
    assert not any("comment-" in url for url in texts)
    for message in mail.outbox:
        if other_member.email in message.to or advocate.email in message.to:
            assert SECRET_A not in message.body and SECRET_C not in message.body
    # Another member cannot post privately (the form's box is not even offered to them).
    client.force_login(other_member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'name="private"' not in page
    refused = client.post(
        f"/questions/{question.pk}/answer/", {"body": "A private tip for you.", "private": "on"}
    )
    assert refused.status_code == 403 and "Only the asker and support staff" in refused.content.decode()
    # The asker sees both private posts on their thread, and is offered the box.
    client.force_login(member)
    mine = client.get(question.get_absolute_url()).content.decode()
    assert SECRET_A in mine and SECRET_C in mine and 'name="private"' in mine


SENTINEL_URLS = [
    "/",
    "/questions/",
    "/questions/?sort=newest",
    "/tags/",
    "/notifications/",
    "/my-work/",
    "/articles/",
    "/changelog/",
    "/feedback/",
    "/support/queue/",
]


def test_private_posts_never_reach_anyone_else(
    client, run, question_factory, member, other_member, advocate, product_manager, support_agent
):
    """The internal-note sentinel test, for private posts: every page a member, an
    advocate, a product manager or a visitor can open, search, hints and mail."""
    Tag.objects.get_or_create(name="feature-request", defaults={"slug": "feature-request"})
    secret = run(
        question_factory, author=member, title=f"Invoice for account {SECRET_Q}",
        body=f"Account number 99-1234 {SECRET_Q}", tags=["billing", "feature-request"],
    )  # fmt: skip
    Question.objects.filter(pk=secret.pk).update(is_private=True)
    run(get_engine().remove, [f"question:{secret.pk}"])
    shared = run(question_factory, author=member, title="Exports stop at 1000 rows")
    follow_question(shared, user=other_member)
    run(
        post_answer, shared, author=support_agent, body=f"Your export quota is 1000. {SECRET_A}", private=True
    )
    run(add_comment, shared, author=member, body=f"Order reference {SECRET_C}", private=True)
    cast_vote(Question.objects.get(pk=secret.pk), by=support_agent, value=1)
    from support.actions.feedback import route_feedback

    assert route_feedback(Question.objects.get(pk=secret.pk)) == []  # product teams never see it
    for reader in (other_member, advocate, product_manager, None):
        client.logout() if reader is None else client.force_login(reader)
        urls = [
            *SENTINEL_URLS,
            shared.get_absolute_url(),
            secret.get_absolute_url(),
            f"/questions/{secret.pk}/revisions/",
            f"/questions/{shared.pk}/revisions/",
            f"/users/{member.username}/",
            f"/users/{support_agent.username}/",
            f"/search/?q={SECRET_Q.lower()}",
            "/search/?q=account+number",
            "/search/?q=export+quota",
            f"/questions/similar/?title=invoice+for+account+{SECRET_Q.lower()}",
            "/tags/billing/",
        ]
        for url in urls:
            body = client.get(url, follow=True).content.decode()
            for sentinel in (SECRET_Q, SECRET_A, SECRET_C, "99-1234"):
                assert sentinel not in body, (reader, url, sentinel)
    for message in mail.outbox:
        if message.to != [member.email] and message.to != [support_agent.email]:
            for sentinel in (SECRET_Q, SECRET_A, SECRET_C):
                assert sentinel not in message.subject + message.body
