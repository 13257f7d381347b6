"""Flags and the flag review queue: flagging once, hiding by flag weight, reviewers'
decisions with the spam penalty, the flagger's outcome, the author's notice, the audit
log, and who may do what."""

from __future__ import annotations

import pytest
from django.core import mail

from community.actions.comments import add_comment
from community.models import AuditEntry, Flag, Notification, ReviewItem

pytestmark = pytest.mark.django_db


def flag(client, post, reason="spam", **extra):
    kind = type(post).__name__.lower()
    url = f"/comments/{post.pk}/flag/" if kind == "comment" else f"/{kind}s/{post.pk}/flag/"
    return client.post(url, {"reason": reason, **extra})


@pytest.fixture
def flaggers(user_factory):
    return [user_factory(reputation=20) for _ in range(3)]


def test_members_flag_once_and_see_the_outcome(client, answer_factory, member, advocate):
    answer = answer_factory()
    client.force_login(member)
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert "Flag" in page and "What is wrong with it?" in page
    assert flag(client, answer, "rude").status_code == 302
    assert flag(client, answer, "rude").status_code == 403  # once per member and post
    assert flag(client, answer, "other", detail="still wrong").status_code == 403
    item = ReviewItem.objects.get(answer=answer, kind="flag")
    assert item.priority == 1 and item.state == "open"
    assert "Waiting for review" in client.get("/flags/").content.decode()
    client.force_login(advocate)
    client.post(f"/review/items/{item.pk}/decide/", {"verdict": "keep", "note": "Blunt, not abusive."})
    client.force_login(member)
    assert "Declined" in client.get("/flags/").content.decode()


def test_bad_flags_get_a_clear_message(client, question, member):
    client.force_login(member)
    response = client.post(f"/questions/{question.pk}/flag/", {"reason": "other"}, follow=True)
    assert b"say a few words" in response.content
    response = client.post(f"/questions/{question.pk}/flag/", {"reason": "bogus"}, follow=True)
    assert b"Choose why you are flagging it" in response.content
    assert not Flag.objects.exists()
    client.force_login(question.author)
    assert flag(client, question).status_code == 403  # not one's own post


def test_enough_weighted_spam_flags_hide_the_post_pending_review(client, answer_factory, flaggers, newcomer):
    answer = answer_factory(body="Buy cheap watches at spam.example")
    client.force_login(newcomer)  # no flag weight: counted for review, not for hiding
    flag(client, answer)
    for who in flaggers[:2]:
        client.force_login(who)
        flag(client, answer)
    answer.refresh_from_db()
    assert not answer.is_deleted
    client.force_login(flaggers[2])
    flag(client, answer)
    answer.refresh_from_db()
    assert answer.is_deleted
    assert AuditEntry.objects.filter(action="hidden_by_flags").count() == 1
    assert ReviewItem.objects.get(answer=answer, kind="flag").priority == 4


def test_a_reviewer_removes_spam_the_author_pays_and_is_told(
    client, answer_factory, flaggers, advocate, user_factory, django_capture_on_commit_callbacks
):
    answer = answer_factory(body="Buy cheap watches at spam.example", author=user_factory(reputation=300))
    author = answer.author
    before = author.reputation
    for who in flaggers:
        client.force_login(who)
        flag(client, answer)
    item = ReviewItem.objects.get(answer=answer, kind="flag")
    client.force_login(advocate)
    page = client.get(f"/review/items/{item.pk}/").content.decode()
    assert "Spam has no customer behind it" in page and "Buy cheap watches" in page
    client.post(f"/review/items/{item.pk}/claim/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/review/items/{item.pk}/decide/", {"verdict": "spam", "note": "Advertising"})
    item.refresh_from_db()
    answer.refresh_from_db()
    author.refresh_from_db()
    assert item.state == "done" and item.resolution == "spam" and answer.is_deleted
    assert author.reputation < before  # the spam penalty
    assert set(Flag.objects.filter(answer=answer).values_list("outcome", flat=True)) == {"helpful"}
    assert Notification.objects.filter(
        recipient=author, event="moderated", text__contains="Advertising"
    ).exists()
    assert any(m.to == [author.email] for m in mail.outbox)
    assert AuditEntry.objects.filter(action="flags_spam", actor=advocate).exists()


def test_keeping_a_post_hidden_by_flags_brings_it_back(client, answer_factory, flaggers, advocate):
    answer = answer_factory()
    question = answer.question
    for who in flaggers:
        client.force_login(who)
        flag(client, answer)
    question.refresh_from_db()
    assert question.answer_count == 0
    item = ReviewItem.objects.get(answer=answer, kind="flag")
    client.force_login(advocate)
    client.post(f"/review/items/{item.pk}/decide/", {"verdict": "keep"})
    answer.refresh_from_db()
    question.refresh_from_db()
    assert not answer.is_deleted and question.answer_count == 1


def test_two_reviewers_never_hold_one_item(client, question, other_member, advocate, user_factory):
    other = user_factory(roles=("Advocate",))
    client.force_login(other_member)
    flag(client, question, "off_topic")
    item = ReviewItem.objects.get(kind="flag")
    client.force_login(advocate)
    client.post(f"/review/items/{item.pk}/claim/")
    client.force_login(other)
    response = client.post(f"/review/items/{item.pk}/claim/", follow=True)
    assert b"Another reviewer took this one first" in response.content
    response = client.post(f"/review/items/{item.pk}/decide/", {"verdict": "keep"})
    assert response.status_code == 403
    client.force_login(advocate)
    assert "Review (1)" in client.get("/my-work/").content.decode()


def test_without_the_privilege_every_review_url_is_403(client, question, other_member, newcomer):
    client.force_login(other_member)
    flag(client, question, "off_topic")
    item = ReviewItem.objects.get(kind="flag")
    for who in (other_member, newcomer):
        client.force_login(who)
        for method, url in [
            ("get", "/review/"),
            ("get", f"/review/items/{item.pk}/"),
            ("post", f"/review/items/{item.pk}/claim/"),
            ("post", f"/review/items/{item.pk}/decide/"),
            ("get", "/review/log/"),
        ]:
            assert getattr(client, method)(url, {"verdict": "spam"}).status_code == 403, url
    item.refresh_from_db()
    assert item.state == "open"


def test_comments_can_be_flagged_and_removed_and_staff_read_the_audit_log(
    client, question, other_member, advocate, support_agent, user_factory
):
    comment = add_comment(question, author=user_factory(reputation=50), body="You are all idiots")
    client.force_login(other_member)
    assert flag(client, comment, "rude").status_code == 302
    item = ReviewItem.objects.get(comment=comment, kind="flag")
    client.force_login(advocate)
    response = client.post(f"/review/items/{item.pk}/decide/", {"verdict": "spam"}, follow=True)
    assert "Choose one of" in response.content.decode()  # comments are removed, not charged as spam
    client.post(f"/review/items/{item.pk}/decide/", {"verdict": "remove", "note": "Abuse"})
    comment.refresh_from_db()
    assert comment.is_deleted
    client.force_login(advocate)
    assert client.get("/review/log/").status_code == 403
    client.force_login(support_agent)
    log = client.get("/review/log/?action=flags_remove").content.decode()
    assert "flags_remove" in log and "Abuse" in log


def test_a_needs_staff_flag_goes_to_support(
    client, question, other_member, django_capture_on_commit_callbacks
):
    from support.models import Escalation

    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        flag(client, question, "needs_staff", detail="Customer is locked out")
    escalation = Escalation.objects.get(question=question)
    assert "Customer is locked out" in escalation.detail


def test_a_suspended_member_reads_but_cannot_write_anywhere_and_sees_why(
    client, question, other_member, support_agent, member
):
    client.force_login(member)
    assert (
        client.post(f"/users/{other_member.username}/suspend/", {"days": 3, "reason": "x"}).status_code == 403
    )
    client.force_login(support_agent)
    response = client.post(
        f"/users/{other_member.username}/suspend/", {"days": 0, "reason": " "}, follow=True
    )
    assert b"1 to 365 days" in response.content
    client.post(
        f"/users/{other_member.username}/suspend/", {"days": 3, "reason": "Repeated abuse in comments"}
    )
    other_member.refresh_from_db()
    assert other_member.is_suspended
    client.force_login(other_member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Your account is suspended until" in page and "Repeated abuse in comments" in page
    for url, data in [
        (f"/questions/{question.pk}/answer/", {"body": "An answer while suspended."}),
        (f"/questions/{question.pk}/vote/", {"direction": "up"}),
        (f"/questions/{question.pk}/comment/", {"body": "A comment while suspended"}),
        (f"/questions/{question.pk}/flag/", {"reason": "spam"}),
        (f"/questions/{question.pk}/me-too/", {}),
        ("/questions/ask/", {"title": "Asking while suspended", "body": "Body of it", "tags": ""}),
    ]:
        response = client.post(url, data)
        assert response.status_code in (400, 403), url
    assert question.answers.count() == 0 and not Flag.objects.exists()
    assert AuditEntry.objects.filter(action="suspension", reason="Repeated abuse in comments").exists()
    client.force_login(support_agent)
    client.post(f"/users/{other_member.username}/unsuspend/")
    other_member.refresh_from_db()
    assert not other_member.is_suspended


def test_moderators_edits_deletions_and_merges_are_audited_with_before_and_after(
    question_factory, answer_factory, support_agent, category, django_capture_on_commit_callbacks
):
    from community.actions.answers import delete_answer
    from community.actions.duplicates import merge_duplicate
    from community.actions.questions import edit_question

    question = question_factory(title="Export invoice as PDF please")
    with django_capture_on_commit_callbacks(execute=True):
        edit_question(
            question, by=support_agent, title="How do I export an invoice as PDF?", body=question.body,
            category=category, tags=["billing"], summary="clearer title",
        )  # fmt: skip
    assert (
        Notification.objects.filter(  # the author hears what a moderator did, and why
            recipient=question.author, event="moderated", text__contains="edited your post"
        )
        .filter(text__contains="clearer title")
        .exists()
    )
    entry = AuditEntry.objects.get(action="edit")
    assert entry.before["title"] == "Export invoice as PDF please"
    assert entry.after["title"] == "How do I export an invoice as PDF?" and entry.reason == "clearer title"
    edit_question(
        question, by=question.author, title="Mine again", body=question.body, category=category, tags=[]
    )
    assert (
        AuditEntry.objects.filter(action="edit").count() == 1
    )  # authors editing their own posts: not moderation
    answer = answer_factory(question=question)
    delete_answer(answer, by=support_agent)
    assert AuditEntry.objects.filter(action="delete", actor=support_agent).exists()
    merge_duplicate(question_factory(), into=question, by=support_agent)
    assert AuditEntry.objects.filter(action="merge").exists()
