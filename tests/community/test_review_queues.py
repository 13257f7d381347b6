"""The review queues beyond flags: first posts, the posts after a spam removal, late
answers, close and reopen votes; the reviewer's actions (approve, close, route to support
or product feedback, skip); the header's count badges; and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.actions.answers import post_answer
from community.models import AuditEntry, CloseVote, MeToo, Question, ReviewItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(user_factory):
    """Members with the close privilege but not a moderator's rank: their votes add up."""
    return [user_factory(reputation=800) for _ in range(3)]


def decide(client, item, verdict, **extra):
    return client.post(f"/review/items/{item.pk}/decide/", {"verdict": verdict, **extra})


def test_a_new_members_first_question_and_first_answer_go_to_review_already_published(
    client, question_factory, answer_factory, newcomer, member
):
    question = question_factory(author=newcomer)
    item = ReviewItem.objects.get(question=question)
    assert item.kind == "first_post" and item.state == "open"
    assert question.title in client.get("/questions/").content.decode()  # published at once
    second = question_factory(author=newcomer)
    assert not ReviewItem.objects.filter(question=second).exists()
    answer = answer_factory(question=second, author=newcomer)
    assert ReviewItem.objects.get(answer=answer).kind == "first_post"  # the first answer too
    assert not ReviewItem.objects.filter(answer=answer_factory(question=second, author=newcomer)).exists()


def test_moderators_posts_and_imported_history_skip_the_first_post_queue(question_factory, advocate):
    question_factory(author=advocate)
    assert not ReviewItem.objects.exists()


def test_a_reviewer_approves_a_first_post_and_it_is_audited(client, question_factory, newcomer, advocate):
    question = question_factory(author=newcomer)
    item = ReviewItem.objects.get(question=question)
    client.force_login(advocate)
    page = client.get(f"/review/items/{item.pk}/").content.decode()
    assert "A new member" in page and question.body in page and "Approve" in page
    assert "Assess the message" in page  # the triage decision tree
    assert decide(client, item, "approve", note="Welcome!").status_code == 302
    item.refresh_from_db()
    assert item.state == "done" and item.resolution == "approve"
    assert AuditEntry.objects.filter(action="review_approve", actor=advocate, object_id=question.pk).exists()
    assert decide(client, item, "approve").status_code == 302  # settled: told, not a 500
    assert decide(client, item, "keep").status_code == 302  # a verdict flags have, not first posts


def test_after_a_spam_removal_the_authors_next_posts_go_to_review(
    client, question_factory, newcomer, advocate, settings
):
    settings.COMMUNITY_SPAM_REVIEW_NEXT_POSTS = 2
    spam = question_factory(author=newcomer, title="Cheap watches for sale right here")
    client.force_login(advocate)
    client.post(f"/questions/{spam.pk}/spam/")
    newcomer.refresh_from_db()
    assert newcomer.posts_to_review == 2
    later = [question_factory(author=newcomer) for _ in range(3)]
    kinds = [
        ReviewItem.objects.filter(question=q).values_list("history__note", flat=True).first() for q in later
    ]
    assert kinds == ["a question after a spam removal", "a question after a spam removal", None]


def test_a_late_answer_on_an_old_question_goes_to_its_queue(question_factory, member, user_factory, settings):
    question = question_factory()
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=400))
    question.refresh_from_db()
    answerer = user_factory(reputation=50)
    post_answer(
        question, author=answerer, body="Still true in the 2026 version: use Export."
    )  # first: first post
    late = post_answer(question, author=answerer, body="And the new API has an export endpoint too.")
    item = ReviewItem.objects.get(answer=late)
    assert item.kind == "late_answer"
    fresh = question_factory()
    assert not ReviewItem.objects.filter(
        answer=post_answer(fresh, author=answerer, body="A timely answer here.")
    ).exists()


def test_close_votes_add_up_and_close_for_the_reason_most_gave(
    client, question_factory, voters, django_capture_on_commit_callbacks
):
    question = question_factory(title="How do I print an invoice twice?")
    for who, reason in zip(voters[:2], ["off_topic", "needs_details"], strict=True):
        client.force_login(who)
        assert client.post(f"/questions/{question.pk}/close/", {"reason": reason}).status_code == 302
    question.refresh_from_db()
    assert question.closed_at is None
    item = ReviewItem.objects.get(question=question, kind="close")
    assert item.priority == 2
    page = client.get(question.get_absolute_url()).content.decode()
    assert "You have voted" in page
    assert client.post(f"/questions/{question.pk}/close/", {"reason": "off_topic"}).status_code == 403  # once
    client.force_login(voters[2])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/questions/{question.pk}/close/", {"reason": "needs_details", "note": "Which version?"})
    question.refresh_from_db()
    item.refresh_from_db()
    assert question.close_reason == "needs_details" and question.closed_at is not None
    assert item.state == "done" and not CloseVote.objects.filter(question=question, is_active=True).exists()
    assert AuditEntry.objects.filter(action="close", object_id=question.pk).exists()
    assert question.author.notifications.filter(
        event="moderated", text__contains="closed your question"
    ).exists()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Closed" in page and "Which version?" in page and "Post your answer" not in page
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "An answer to a closed question."})
    assert response.status_code == 403 and question.answers.count() == 0
    assert "An answer to a closed question." in response.content.decode()  # kept, to copy


def test_bad_close_requests_get_a_clear_400(client, question, voters):
    client.force_login(voters[0])
    response = client.post(f"/questions/{question.pk}/close/", {"reason": "because"})
    assert response.status_code == 400 and b"Choose why it should be closed" in response.content
    response = client.post(
        f"/questions/{question.pk}/close/", {"reason": "duplicate", "duplicate_of": "nope"}
    )
    assert response.status_code == 400 and b"the question it duplicates" in response.content
    assert not CloseVote.objects.exists()


def test_a_moderator_closes_a_duplicate_at_once_and_both_pages_show_it(
    client, question_factory, advocate, member
):
    original = question_factory(title="Exporting invoices as PDF files")
    duplicate = question_factory(title="PDF export of an invoice does nothing")
    client.force_login(advocate)
    response = client.post(
        f"/questions/{duplicate.pk}/close/",
        {"reason": "duplicate", "duplicate_of": original.get_absolute_url()},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.close_reason == "duplicate"
    client.force_login(member)
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "This question already has an answer here" in page and original.title in page
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Duplicates of this" in page and duplicate.title in page
    assert '<span class="pill closed">Duplicate</span>' in client.get("/questions/").content.decode()
    assert MeToo.objects.filter(question=original, user=duplicate.author).exists()  # its demand moved


def test_reopening_by_votes_by_a_moderator_and_the_askers_edit(
    client, question_factory, voters, advocate, category
):
    question = question_factory()
    client.force_login(advocate)
    client.post(f"/questions/{question.pk}/close/", {"reason": "needs_details"})
    client.force_login(question.author)
    client.post(
        f"/questions/{question.pk}/edit/",
        {"title": question.title, "body": question.body + " I use version 4.2 on Windows.",
         "tags": "billing export", "category": category.pk},
    )  # fmt: skip
    assert ReviewItem.objects.filter(question=question, kind="reopen", state="open").exists()
    for who in voters[:2]:
        client.force_login(who)
        client.post(f"/questions/{question.pk}/reopen/")
    question.refresh_from_db()
    assert question.closed_at is not None
    client.force_login(voters[2])
    client.post(f"/questions/{question.pk}/reopen/")
    question.refresh_from_db()
    assert question.closed_at is None
    assert not ReviewItem.objects.filter(question=question, kind="reopen", state="open").exists()
    assert AuditEntry.objects.filter(action="reopen", object_id=question.pk).exists()


def test_reviewers_leave_it_open_and_the_close_votes_are_spent(
    client, question_factory, voters, user_factory
):
    question = question_factory()
    client.force_login(voters[0])
    client.post(f"/questions/{question.pk}/close/", {"reason": "off_topic"})
    item = ReviewItem.objects.get(question=question, kind="close")
    assert item.pk not in [i.pk for i in ReviewItem.objects.exclude(skipped_by=voters[0])]
    reviewers = [voters[1], voters[2], user_factory(reputation=800)]
    for who in reviewers:
        client.force_login(who)
        assert decide(client, item, "leave_open").status_code == 302
    item.refresh_from_db()
    assert item.state == "done" and item.resolution == "leave_open"
    assert not CloseVote.objects.filter(question=question, is_active=True).exists()


def test_locked_threads_take_no_new_posts_edits_or_votes(client, question, answer_factory, advocate, member):
    answer = answer_factory(question=question)
    client.force_login(advocate)
    response = client.post(f"/questions/{question.pk}/lock/", {"reason": " "})
    assert response.status_code == 400
    client.post(f"/questions/{question.pk}/lock/", {"reason": "Heated; the facts are settled above."})
    client.force_login(member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Locked" in page and "the facts are settled above" in page
    for url, data in [
        (f"/questions/{question.pk}/answer/", {"body": "Another answer to a locked thread."}),
        (f"/questions/{question.pk}/comment/", {"body": "A comment on a locked thread"}),
        (f"/answers/{answer.pk}/comment/", {"body": "A comment on a locked answer"}),
        (f"/answers/{answer.pk}/vote/", {"direction": "up"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    response = client.post(f"/questions/{question.pk}/comment/", {"body": "A comment on a locked thread"})
    assert (
        "A comment on a locked thread" in response.content.decode() and "locked" in response.content.decode()
    )
    client.force_login(answer.author)
    assert client.post(f"/answers/{answer.pk}/edit/", {"body": "Edited while locked."}).status_code == 403
    client.force_login(advocate)
    client.post(f"/questions/{question.pk}/unlock/")
    question.refresh_from_db()
    assert question.locked_at is None
    assert set(AuditEntry.objects.filter(object_id=question.pk).values_list("action", flat=True)) >= {
        "lock",
        "unlock",
    }


def test_routing_from_review_to_support_and_to_product_feedback(
    client, question_factory, newcomer, advocate, django_capture_on_commit_callbacks
):
    from support.models import FeedbackItem, HelpRequest

    question = question_factory(author=newcomer, title="Invoices vanish after the upgrade")
    item = ReviewItem.objects.get(question=question)
    client.force_login(advocate)
    page = client.get(f"/review/items/{item.pk}/").content.decode()
    assert "Route to support" in page and "feature-request" in page
    assert decide(client, item, "route_feedback", tag="not-a-feedback-tag").status_code == 302
    item.refresh_from_db()
    assert item.state == "open"  # told to choose a feedback tag; nothing happened
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, item, "route_support", note="Data loss: needs staff")
    assert HelpRequest.objects.filter(question=question, reason__contains="Data loss").exists()
    newbie_question = question_factory(title="Please add dark mode to the invoice editor")
    feedback_item = ReviewItem.objects.get(question=newbie_question)
    client.force_login(advocate)
    decide(client, feedback_item, "route_feedback", tag="feature-request")
    newbie_question.refresh_from_db()
    assert "feature-request" in newbie_question.tags.names()
    assert FeedbackItem.objects.filter(question=newbie_question).exists()
    assert AuditEntry.objects.filter(action="review_route_feedback", object_id=newbie_question.pk).exists()


def test_skipping_leaves_the_queue_for_others_and_the_header_counts_what_waits(
    client, question_factory, newcomer, advocate, support_agent
):
    question_factory(author=newcomer)
    item = ReviewItem.objects.get()
    client.force_login(advocate)
    page = client.get("/").content.decode()
    assert 'id="review-menu"' in page and "1 waiting" in page and "First posts" in page
    client.post(f"/review/items/{item.pk}/claim/")
    client.post(f"/review/items/{item.pk}/skip/")
    item.refresh_from_db()
    assert item.state == "open" and item.assignee is None  # released for the others
    assert "1 waiting" not in client.get("/").content.decode()
    assert item.get_absolute_url() not in client.get("/review/").content.decode()
    client.force_login(support_agent)
    assert item.get_absolute_url() in client.get("/review/?queue=first_post").content.decode()
    assert client.get("/review/?queue=nonsense").status_code == 200  # unknown queue: all of them


def test_the_review_list_needs_the_same_queries_for_many_items(
    client, question_factory, user_factory, advocate
):
    def load() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/review/").status_code == 200
        # The queues are counted once: the header's badges and the page's tabs share it.
        assert sum("GROUP BY" in query["sql"] for query in queries.captured_queries) == 1
        return len(queries)

    question_factory(author=user_factory())
    client.force_login(advocate)
    few = load()
    for _ in range(8):
        question_factory(author=user_factory())
    assert load() == few


def test_without_the_privilege_every_review_and_moderation_url_is_403(
    client, question, answer_factory, member, newcomer
):
    answer = answer_factory(question=question)
    item = ReviewItem.objects.filter(question=question).first() or ReviewItem.objects.first()
    assert item is not None
    for who in (member, newcomer):
        client.force_login(who)
        for method, url in [
            ("get", "/review/"),
            ("get", f"/review/items/{item.pk}/"),
            ("post", f"/review/items/{item.pk}/claim/"),
            ("post", f"/review/items/{item.pk}/release/"),
            ("post", f"/review/items/{item.pk}/skip/"),
            ("post", f"/review/items/{item.pk}/decide/"),
            ("get", "/review/log/"),
            ("post", f"/questions/{question.pk}/lock/"),
            ("post", f"/questions/{question.pk}/unlock/"),
            ("get", f"/questions/{question.pk}/redact/"),
            ("post", f"/answers/{answer.pk}/redact/"),
        ]:
            assert (
                getattr(client, method)(url, {"verdict": "approve", "reason": "x", "text": "abc"}).status_code
                == 403
            ), url
    client.force_login(newcomer)  # no close privilege
    assert client.post(f"/questions/{question.pk}/close/", {"reason": "off_topic"}).status_code == 403
    item.refresh_from_db()
    assert item.state == "open" and not CloseVote.objects.exists()


def test_moderators_see_deleted_posts_and_undelete_them(client, answer_factory, advocate, member):
    answer = answer_factory(body="A useful answer that its author deleted by mistake.")
    client.force_login(answer.author)
    client.post(f"/answers/{answer.pk}/delete/")
    client.force_login(member)
    assert "deleted by mistake" not in client.get(answer.question.get_absolute_url()).content.decode()
    client.force_login(advocate)
    assert "deleted by mistake" in client.get(answer.question.get_absolute_url()).content.decode()
    client.post(f"/answers/{answer.pk}/restore/")
    answer.refresh_from_db()
    assert not answer.is_deleted
    assert AuditEntry.objects.filter(action="undelete", actor=advocate, object_id=answer.pk).exists()


def test_a_feedback_thread_hidden_by_flags_leaves_the_inbox_and_returns_when_kept(
    client, question_factory, user_factory, advocate
):
    from support.models import FeedbackItem

    question = question_factory(title="Please add recurring invoices", tags=["feature-request"])
    assert FeedbackItem.objects.filter(question=question).exists()
    for _ in range(3):  # members with flag weight: hidden at once, pending review
        client.force_login(user_factory(reputation=20))
        client.post(f"/questions/{question.pk}/flag/", {"reason": "spam"})
    question.refresh_from_db()
    assert question.is_deleted and not FeedbackItem.objects.filter(question=question).exists()
    client.force_login(advocate)
    decide(client, ReviewItem.objects.get(question=question, kind="flag"), "keep", note="A real request")
    question.refresh_from_db()
    assert not question.is_deleted and FeedbackItem.objects.filter(question=question).exists()


def test_a_first_post_its_author_deleted_leaves_the_queue(
    client, question_factory, newcomer, advocate, voters
):
    question = question_factory(author=newcomer)
    client.force_login(voters[0])
    client.post(f"/questions/{question.pk}/close/", {"reason": "off_topic"})  # a close item too
    client.force_login(advocate)
    assert "2 waiting" in client.get("/").content.decode()
    client.force_login(newcomer)
    client.post(f"/questions/{question.pk}/delete/")
    client.force_login(advocate)
    assert question.title not in client.get("/review/").content.decode()
    assert "waiting" not in client.get("/").content.decode()


def test_a_duplicate_flag_lets_the_reviewer_close_it_in_one_step(client, question_factory, member, advocate):
    original = question_factory(title="How do I export invoices as PDF files?")
    duplicate = question_factory(title="Export invoice to PDF not working for me")
    client.force_login(member)
    client.post(f"/questions/{duplicate.pk}/flag/", {"reason": "duplicate", "duplicate_of": str(original.pk)})
    item = ReviewItem.objects.get(question=duplicate, kind="flag")
    client.force_login(advocate)
    page = client.get(f"/review/items/{item.pk}/").content.decode()
    assert f'value="{original.pk}"' in page and "Link the original and merge" in page
    decide(client, item, "close", reason="duplicate", duplicate_of=str(original.pk))
    duplicate.refresh_from_db()
    assert duplicate.close_reason == "duplicate"
    assert original.title in client.get(duplicate.get_absolute_url()).content.decode()


def test_editing_from_the_review_page_comes_back_to_the_item(client, answer_factory, newcomer, advocate):
    answer = answer_factory(author=newcomer, body="use the export button its in settings")
    item = ReviewItem.objects.get(answer=answer, kind="first_post")
    client.force_login(advocate)
    page = client.get(f"/review/items/{item.pk}/").content.decode()
    edit_url = f"/answers/{answer.pk}/edit/?review={item.pk}"
    assert edit_url in page
    assert f'action="{edit_url}"' in client.get(edit_url).content.decode()
    response = client.post(edit_url, {"body": "Use the **Export** button under Settings → Billing."})
    assert response["Location"] == f"/review/items/{item.pk}/"
    decide(client, item, "approve", note="Fixed the formatting")
    response = client.post(
        f"/answers/{answer.pk}/edit/?review={item.pk}", {"body": "Another edit, later on."}
    )
    assert response["Location"] == answer.get_absolute_url()  # the item is settled: back to the post
    assert (
        client.post(f"/answers/{answer.pk}/edit/?review=junk", {"body": "A third edit here."}).status_code
        == 302
    )
