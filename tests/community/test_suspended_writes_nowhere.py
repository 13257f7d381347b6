"""A suspended member reads but writes nowhere — even one who holds every role and
privilege: every write URL of the community, review, support and feedback answers 4xx
(or sends them back with a message), and no row anywhere changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADVOCATE, PRODUCT_MANAGER, SUPPORT_STAFF
from community.actions.answers import accept_answer, delete_answer
from community.actions.articles import ArticleDraft, capture_article, default_review_date
from community.actions.moderation import flag_post
from community.actions.suspensions import suspend_member
from community.models import Article, ReviewItem
from support.models import Escalation

pytestmark = pytest.mark.django_db

SKIP_TABLES = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "community.OutboxItem"}


def snapshot() -> dict[str, Any]:
    """Every row of every model of ours (and the user table), as values."""
    rows: dict[str, Any] = {}
    for model in apps.get_models():
        label = model._meta.label
        if (
            model._meta.app_label not in ("accounts", "community", "support", "taggit")
            or label in SKIP_TABLES
        ):
            continue
        rows[label] = sorted(map(repr, model._default_manager.values()))
    return rows


@pytest.fixture
def world(question_factory, answer_factory, comment_factory, user_factory, member, support_agent):
    question = question_factory(title="Why does the invoice total round down?")
    answer = answer_factory(
        question=question, body="It rounds half to even; set it under Settings → Rounding."
    )
    gone = answer_factory(question=question, body="A duplicate answer its author deleted.")
    delete_answer(gone, by=gone.author)
    comment = comment_factory(question, body="Same here since the update")
    accept_answer(answer, by=question.author)
    article = capture_article(
        question,
        by=support_agent,
        draft=ArticleDraft(title="Invoice rounding", summary="How totals round.", body="Half to even.",
                           tags=["billing"], review_by=default_review_date()),
    )  # fmt: skip
    flag_post(comment, by=member, reason="rude")
    item = ReviewItem.objects.get(comment=comment, kind="flag")
    escalation = Escalation.objects.create(
        question=question, state="open", created_at=timezone.now(), updated_at=timezone.now(),
        due_at=timezone.now() + timedelta(hours=4),
    )  # fmt: skip
    return {"q": question, "a": answer, "gone": gone, "c": comment, "article": article, "item": item,
            "escalation": escalation}  # fmt: skip


def test_a_suspended_member_with_every_role_writes_nowhere(client, world, user_factory, support_agent):
    who = user_factory(reputation=5000, roles=(ADVOCATE, SUPPORT_STAFF, PRODUCT_MANAGER))
    suspend_member(who, by=support_agent, days=7, reason="Cooling off")
    q, a, gone, c = world["q"], world["a"], world["gone"], world["c"]
    article: Article = world["article"]
    item, escalation = world["item"], world["escalation"]
    other = User.objects.exclude(pk=who.pk).exclude(is_superuser=True).first()
    assert other is not None
    body = {"body": "Text written while suspended, long enough to pass."}
    writes = [
        (
            "/questions/ask/",
            {"title": "Asking while suspended here", "body": body["body"], "tags": "billing"},
        ),
        (f"/questions/{q.pk}/edit/", {"title": q.title, "body": body["body"], "tags": "billing"}),
        (f"/questions/{q.pk}/delete/", {}),
        (f"/questions/{q.pk}/answer/", body),
        (f"/questions/{q.pk}/me-too/", {}),
        (f"/questions/{q.pk}/solved-it/", {}),
        (f"/questions/{q.pk}/capture-article/", {"title": "x", "body": "y"}),
        (f"/questions/{q.pk}/merge/", {"into": str(a.question_id)}),
        (f"/questions/{q.pk}/close/", {"reason": "off_topic"}),
        (f"/questions/{q.pk}/lock/", {"reason": "Suspended moderator"}),
        (f"/questions/{q.pk}/redact/", {"text": "invoice", "reason": "x"}),
        (f"/questions/{q.pk}/vote/", {"direction": "up"}),
        (f"/questions/{q.pk}/comment/", body),
        (f"/questions/{q.pk}/flag/", {"reason": "spam"}),
        (f"/answers/{a.pk}/edit/", body),
        (f"/answers/{a.pk}/delete/", {}),
        (f"/answers/{a.pk}/accept/", {}),
        (f"/answers/{a.pk}/vote/", {"direction": "down"}),
        (f"/answers/{a.pk}/spam/", {}),
        (f"/answers/{a.pk}/redact/", {"text": "Rounding", "reason": "x"}),
        (f"/answers/{gone.pk}/restore/", {}),
        (f"/comments/{c.pk}/delete/", {}),
        (f"/comments/{c.pk}/flag/", {"reason": "rude"}),
        (f"/review/items/{item.pk}/claim/", {}),
        (f"/review/items/{item.pk}/decide/", {"verdict": "remove"}),
        (f"/review/items/{item.pk}/skip/", {}),
        (f"/articles/{article.pk}/edit/", {"title": "x", "body": "y"}),
        (f"/articles/{article.pk}/reviewed/", {}),
        (f"/users/{other.username}/suspend/", {"days": 3, "reason": "x"}),
        ("/mvp/nominate/", {"member": other.username, "citation": "Great"}),
        (f"/support/escalations/{escalation.pk}/claim/", {}),
        (f"/support/escalations/{escalation.pk}/note/", {"body": "note"}),
        (f"/support/escalations/{escalation.pk}/reply/", body),
        (f"/support/escalations/{escalation.pk}/state/", {"state": "closed"}),
        (f"/support/questions/{q.pk}/escalate/", {"reason": "x"}),
        ("/feedback/bulk-status/", {"status": "planned"}),
    ]
    client.force_login(who)
    before = snapshot()
    for url, data in writes:
        response = client.post(url, data)
        # Refused (403), or sent back to the page with a message (302, 400); never a change.
        assert response.status_code in (302, 400, 403), (url, response.status_code)
    assert snapshot() == before
    page = client.get(q.get_absolute_url()).content.decode()
    assert "Your account is suspended until" in page and "Cooling off" in page
