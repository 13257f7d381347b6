"""The admin is no side door around the actions: posts and their state, articles,
notifications and outbox rows are read-only there, for admins and support staff alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.roles import SUPPORT_STAFF
from community.models import Answer, Comment, OutboxItem, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(question, answer_factory, comment_factory):
    answer = answer_factory(question=question)
    comment = comment_factory(answer)
    outbox_row = OutboxItem.objects.order_by("pk").first()
    return {"question": question, "answer": answer, "comment": comment, "outboxitem": outbox_row}


@pytest.fixture(params=["admin", "support staff"])
def staff_client(request, client, user_factory, support_agent):
    who = user_factory(is_staff=True, is_superuser=True) if request.param == "admin" else support_agent
    client.force_login(who)
    return client


@pytest.mark.parametrize("model", ["question", "answer", "comment", "outboxitem"])
def test_staff_can_look_posts_and_outbox_rows_up_but_not_change_them(staff_client, rows, model):
    row = rows[model]
    row.refresh_from_db()
    before = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    assert staff_client.get(f"/admin/community/{model}/").status_code == 200
    page = staff_client.get(f"/admin/community/{model}/{row.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    fields = {"body": "Changed behind the actions' back", "is_deleted": "on", "is_closed": "on", "topic": "x"}
    assert staff_client.post(f"/admin/community/{model}/{row.pk}/change/", fields).status_code == 403
    assert staff_client.post(f"/admin/community/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert staff_client.get(f"/admin/community/{model}/add/").status_code == 403
    row.refresh_from_db()
    assert {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields} == before


def test_bulk_delete_is_not_offered_on_posts(staff_client, rows):
    page = staff_client.get("/admin/community/question/").content.decode()
    assert "delete_selected" not in page
    staff_client.post(
        "/admin/community/question/",
        {"action": "delete_selected", "_selected_action": [rows["question"].pk], "post": "yes"},
    )
    assert Question.objects.filter(pk=rows["question"].pk).exists()
    assert Answer.objects.exists() and Comment.objects.exists()


def test_the_support_staff_group_holds_no_write_permission_on_posts_or_the_outbox(support_agent):
    held = set(Group.objects.get(name=SUPPORT_STAFF).permissions.values_list("codename", flat=True))
    for model in ("question", "answer", "comment", "notification", "outboxitem", "article"):
        assert not held & {f"add_{model}", f"change_{model}", f"delete_{model}"}, model
    assert "view_question" in held and "view_outboxitem" in held


def test_escalations_and_feedback_items_are_worked_in_their_queues_not_the_admin(
    client, user_factory, question_factory
):
    from support.actions.escalations import open_escalation
    from support.models import Escalation, FeedbackItem

    escalation, _ = open_escalation(question_factory(), reason="first_reply")
    idea = question_factory(tags=["feature-request"])
    item = FeedbackItem.objects.get(question=idea)
    client.force_login(user_factory(is_staff=True, is_superuser=True))
    for model, row in (("escalation", escalation), ("feedbackitem", item)):
        assert client.get(f"/admin/support/{model}/{row.pk}/change/").status_code == 200
        assert client.post(f"/admin/support/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.get(f"/admin/support/{model}/add/").status_code == 403
    assert (
        Escalation.objects.filter(pk=escalation.pk).exists()
        and FeedbackItem.objects.filter(pk=item.pk).exists()
    )
