"""Digests on real services: concurrent builds on PostgreSQL make one digest per team and
period, and a real beat and worker on Redis build and email it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from community.models import Question
from support.actions.digests import run_digests
from support.models import Digest, FeedbackItem, ProductTeam
from tests.service.conftest import wait_for
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
BUILDERS = 4


@pytest.fixture
def team_with_feedback(question_factory):
    for name in ("feature-request", "invoices"):
        Tag.objects.get_or_create(name=name, defaults={"slug": name})
    team = ProductTeam.objects.create(
        name="Invoicing", slug="invoicing", product_tags="invoices", digest_cadence="daily",
        digest_recipients="pm@example.com",
    )  # fmt: skip
    question = question_factory(title="Pay invoices by card", tags=["feature-request", "invoices"])
    yesterday = timezone.now() - timedelta(days=1)
    Question.objects.filter(pk=question.pk).update(created_at=yesterday)
    FeedbackItem.objects.filter(question=question).update(created_at=yesterday)
    return team


def test_builds_running_at_once_make_one_digest_per_team_and_period(team_with_feedback):
    now = timezone.now()
    all_at_once(lambda _: run_digests(now=now), range(BUILDERS))
    assert Digest.objects.filter(team=team_with_feedback).count() == 1


def test_beat_builds_the_digest_and_the_worker_emails_it(
    team_with_feedback, celery_beat_process, celery_worker_process
):
    digest = wait_for(
        lambda: Digest.objects.filter(team=team_with_feedback).first(), timeout=90, what="the digest"
    )
    assert digest.content["new"][0]["title"] == "Pay invoices by card"
    wait_for(
        lambda: any(
            "pm@example.com" in path.read_text() and "feedback digest" in path.read_text()
            for path in celery_worker_process["mail_dir"].glob("*.log")
        ),
        timeout=90,
        what="the digest email",
    )
    digest.refresh_from_db()
    assert digest.emailed_at is not None
