"""Redacting personal data from a post and every earlier revision of it, and the audit of
role changes (admin grants, MVP awards)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ADVOCATE
from community.actions.answers import edit_answer
from community.models import AuditEntry, Revision

pytestmark = pytest.mark.django_db

SECRET = "jane.doe@example.org"


def test_a_moderator_redacts_personal_data_from_a_post_and_all_its_revisions(
    client, answer_factory, advocate, django_capture_on_commit_callbacks
):
    answer = answer_factory(body=f"Write to me at {SECRET} and I will send the file.")
    edit_answer(answer, by=answer.author, body=f"Write to me at {SECRET} or call, and I will send it.")
    edit_answer(
        answer, by=advocate, body="Use Settings → Billing → Download PDF."
    )  # an edit by others: audited
    assert Revision.objects.filter(answer=answer, body__contains=SECRET).count() == 2
    client.force_login(advocate)
    page = client.get(f"/answers/{answer.pk}/redact/").content.decode()
    assert "Exact text to redact" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/answers/{answer.pk}/redact/", {"text": SECRET, "reason": "Personal e-mail"})
    assert response.status_code == 302
    assert not Revision.objects.filter(answer=answer, body__contains=SECRET).exists()
    assert Revision.objects.filter(answer=answer, body__contains="[redacted]").count() == 2
    history = client.get(f"/answers/{answer.pk}/revisions/").content.decode()
    assert SECRET not in history and "[redacted]" in history
    assert not any(SECRET in str(entry.before) + str(entry.after) for entry in AuditEntry.objects.all())
    entry = AuditEntry.objects.get(action="redact")
    assert entry.actor == advocate and SECRET not in entry.reason + str(entry.after)
    assert answer.author.notifications.filter(text__contains="redacted personal data").exists()


def test_redaction_input_is_checked_and_kept(client, answer_factory, advocate, member):
    answer = answer_factory(body="Call me on 555 0100 after five please.")
    client.force_login(advocate)
    response = client.post(f"/answers/{answer.pk}/redact/", {"text": "not in it", "reason": "Phone"})
    assert response.status_code == 400 and b"not in this post" in response.content
    assert b"not in it" in response.content  # what they typed is still there
    response = client.post(f"/answers/{answer.pk}/redact/", {"text": "55", "reason": "Phone"})
    assert response.status_code == 400 and b"at least 3 characters" in response.content
    response = client.post(f"/answers/{answer.pk}/redact/", {"text": "555 0100", "reason": " "})
    assert response.status_code == 400 and b"Say why" in response.content
    client.force_login(member)
    assert (
        client.post(f"/answers/{answer.pk}/redact/", {"text": "555 0100", "reason": "x"}).status_code == 403
    )
    answer.refresh_from_db()
    assert "555 0100" in answer.body


def test_a_question_title_and_a_comment_can_be_redacted(client, question_factory, comment_factory, advocate):
    question = question_factory(title=f"Refund for {SECRET} please", body=f"My login is {SECRET}, thanks.")
    comment = comment_factory(question, body=f"Same here, {SECRET} is my login")
    client.force_login(advocate)
    client.post(f"/questions/{question.pk}/redact/", {"text": SECRET, "reason": "Personal e-mail"})
    client.post(f"/comments/{comment.pk}/redact/", {"text": SECRET, "reason": "Personal e-mail"})
    question.refresh_from_db()
    comment.refresh_from_db()
    assert SECRET not in question.title + question.body + comment.body
    assert not Revision.objects.filter(question=question, title__contains=SECRET).exists()


def test_role_changes_in_the_admin_are_audited(client, user_factory, member):
    admin = user_factory(is_superuser=True, is_staff=True)
    advocates = Group.objects.get_or_create(name=ADVOCATE)[0]
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{member.pk}/change/")
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("groups", "user_permissions", "password", "avatar")
    }
    data.update(
        {"groups": [advocates.pk], "date_joined_0": member.date_joined.strftime("%Y-%m-%d"),
         "date_joined_1": member.date_joined.strftime("%H:%M:%S"), "is_active": "on"},
    )  # fmt: skip
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(f"/admin/accounts/user/{member.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="role_change", object_id=member.pk)
    assert entry.actor == admin and entry.before["groups"] == [] and entry.after["groups"] == [ADVOCATE]


def test_staff_filter_the_audit_log_by_action_actor_and_target(
    client, question_factory, advocate, support_agent
):
    question = question_factory(title="A question an advocate closes")
    client.force_login(advocate)
    client.post(f"/questions/{question.pk}/close/", {"reason": "off_topic"})
    client.post(f"/questions/{question.pk}/lock/", {"reason": "Heated"})
    client.force_login(support_agent)
    page = client.get(f"/review/log/?by={advocate.username}&on=question&action=close").content.decode()
    assert "Off-topic" in page and "Heated" not in page and f"/questions/{question.pk}/" in page
    assert "match these filters" in client.get("/review/log/?by=nobody-at-all").content.decode()
    assert client.get("/review/log/?on=%00&by=%00&action=%00").status_code == 200


def test_audit_rows_link_to_the_answer_or_comment_they_are_about(
    client, answer_factory, comment_factory, advocate, support_agent, member
):
    answer = answer_factory(body="Call 555 0100 for the fix, it works.")
    comment = comment_factory(answer, body="Or mail 555 0100 directly")
    client.force_login(advocate)
    client.post(f"/answers/{answer.pk}/redact/", {"text": "555 0100", "reason": "Phone number"})
    client.post(f"/comments/{comment.pk}/redact/", {"text": "555 0100", "reason": "Phone number"})
    client.force_login(support_agent)
    log = client.get("/review/log/?action=redact").content.decode()
    assert f'href="/answers/{answer.pk}/"' in log and f'href="/comments/{comment.pk}/"' in log
    assert client.get(f"/answers/{answer.pk}/")["Location"].endswith(f"#answer-{answer.pk}")
    assert client.get(f"/comments/{comment.pk}/")["Location"].endswith(f"#comment-{comment.pk}")
    client.force_login(answer.author)
    client.post(f"/answers/{answer.pk}/delete/")
    client.force_login(member)
    assert client.get(f"/answers/{answer.pk}/").status_code == 404  # deleted: moderators only
