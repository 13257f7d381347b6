"""Building each product team's digest on its cadence, emailing it, and posting it to the
team's webhook (signed, retried with exponential backoff, every attempt logged)."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.mail import header_safe
from community.actions import outbox
from community.actions.redaction import scrub
from community.models import Follow, MeToo, Question
from support.digests import ItemFacts, StatusChange, build, period_containing, periods_due
from support.models import Digest, FeedbackEvent, FeedbackItem, ProductTeam, WebhookDelivery
from support.querysets import count_per_question

WEBHOOK_TIMEOUT_SECONDS = 5


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def gather(team: ProductTeam, start: datetime, end: datetime) -> dict[str, Any]:
    """The team's digest content for one period (a fixed number of queries)."""
    previous = start - (end - start)
    items = (
        FeedbackItem.objects.filter(team=team, question__is_deleted=False, created_at__lt=end)
        .select_related("question")
        .annotate(
            followers=count_per_question(Follow.objects.filter(question=OuterRef("question"))),
            in_period=count_per_question(
                MeToo.objects.filter(question=OuterRef("question"), created_at__gte=start, created_at__lt=end)
            ),
            in_previous=count_per_question(
                MeToo.objects.filter(
                    question=OuterRef("question"), created_at__gte=previous, created_at__lt=start
                )
            ),
        )
    )
    facts = [
        ItemFacts(
            item_id=item.pk,
            title=item.question.title,
            url=_site(item.question.get_absolute_url()),
            kind=item.kind,
            status=item.get_status_display(),
            created_at=item.created_at,
            demand=item.question.me_too_count + item.followers,
            me_too_in_period=item.in_period,
            me_too_in_previous=item.in_previous,
            body=item.question.body,
        )
        for item in items
    ]
    changes = [
        StatusChange(
            item_id=event.item_id,
            title=event.item.question.title,
            url=_site(event.item.question.get_absolute_url()),
            status=event.note.removeprefix("status: "),
            at=event.at,
        )
        for event in FeedbackEvent.objects.filter(
            item__team=team, at__gte=start, at__lt=end, note__startswith="status:"
        ).select_related("item__question")
    ]
    return build(team=team.name, start=start, end=end, items=facts, changes=changes)


def run_digests(*, now: datetime | None = None) -> int:
    """Build every team's due digests (beat job). Exactly one per team and period: the
    unique constraint turns a second, concurrent build into a no-op, and a missed run is
    caught up next time (at most CATCH_UP_PERIODS back)."""
    now = now or timezone.now()
    built = 0
    for team in ProductTeam.objects.all():
        last = team.digests.order_by("-period_end").values_list("period_end", flat=True).first()
        current_start, _ = period_containing(now, team.digest_cadence, team.time_zone)
        first_start = period_containing(
            current_start - timedelta(seconds=1), team.digest_cadence, team.time_zone
        )[0]
        for start, end in periods_due(
            cadence=team.digest_cadence,
            time_zone=team.time_zone,
            now=now,
            last_end=last,
            team_since=first_start,
        ):
            content = gather(team, start, end)
            try:
                with transaction.atomic():
                    digest = Digest.objects.create(
                        team=team, period_start=start, period_end=end, built_at=now, content=content
                    )
                    outbox.record("feedback.digest", {"digest_id": digest.pk})
            except IntegrityError:
                continue  # another run built this one
            built += 1
    return built


@outbox.handler("feedback.digest")
def deliver_digest(payload: dict[str, Any]) -> None:
    digest = Digest.objects.select_related("team").filter(pk=payload["digest_id"]).first()
    if digest is None:
        return
    email_digest(digest)
    if digest.team.webhook_url and digest.webhook_delivered_at is None:
        post_webhook(digest)


def email_digest(digest: Digest) -> bool:
    """HTML and plain text to the team's recipients, once (at-least-once delivery)."""
    recipients = digest.team.recipients
    if not recipients or digest.emailed_at is not None:
        return False
    context = {"digest": digest, "content": digest.content, "url": _site(digest.get_absolute_url())}
    send_mail(
        subject=header_safe(f"{digest.team.name} feedback digest, {digest.period_start:%b %-d}"),
        message=render_to_string("support/email/digest.txt", context),
        html_message=render_to_string("support/email/digest.html", context),
        from_email=None,
        recipient_list=recipients,
    )
    Digest.objects.filter(pk=digest.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_signed(url: str, secret: str, body: bytes, *, delivery: str) -> tuple[int | None, str]:
    """POST a JSON body signed with the team's secret (the digests' HMAC header)."""
    headers = {"X-Askwell-Signature": signature(secret, body), "X-Askwell-Delivery": delivery}
    return post_json(url, body, headers)


def post_json(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST a JSON body: the HTTP status (None when no answer came) and the error, if
    any. Never raises for the network's failures."""
    request = urllib.request.Request(  # noqa: S310 (an address staff configured)
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as failure:
        return failure.code, f"HTTP {failure.code}"
    except (urllib.error.URLError, OSError, ValueError) as failure:
        return None, str(failure)[:500]


def post_webhook(digest: Digest, *, now: datetime | None = None) -> WebhookDelivery:
    """One delivery attempt, logged whatever happens."""
    now = now or timezone.now()
    team = digest.team
    body = json.dumps({"digest_id": digest.pk, **digest.content}, sort_keys=True).encode()
    attempt = digest.deliveries.count() + 1
    status, error = post_signed(
        team.webhook_url, team.webhook_secret, body, delivery=f"{digest.pk}-{attempt}"
    )
    succeeded = status is not None and 200 <= status < 300
    delivery = WebhookDelivery.objects.create(
        digest=digest, attempt=attempt, at=now, url=team.webhook_url, status_code=status, error=error,
        succeeded=succeeded,
    )  # fmt: skip
    if succeeded:
        Digest.objects.filter(pk=digest.pk, webhook_delivered_at__isnull=True).update(
            webhook_delivered_at=now
        )
    return delivery


def retry_webhooks(*, now: datetime | None = None) -> int:
    """Try failed deliveries again once their backoff has passed (beat job): the n-th retry
    waits SUPPORT_WEBHOOK_BACKOFF_SECONDS × 2^(n−1), up to SUPPORT_WEBHOOK_MAX_ATTEMPTS."""
    now = now or timezone.now()
    retried = 0
    pending = (
        Digest.objects.filter(webhook_delivered_at__isnull=True)
        .exclude(team__webhook_url="")
        .select_related("team")
    )
    for digest in pending.annotate(attempts=Count("deliveries")).filter(
        attempts__gte=1, attempts__lt=settings.SUPPORT_WEBHOOK_MAX_ATTEMPTS
    ):
        last = digest.deliveries.order_by("-attempt").first()
        wait = timedelta(seconds=settings.SUPPORT_WEBHOOK_BACKOFF_SECONDS * 2 ** (digest.attempts - 1))
        if last is not None and now >= last.at + wait:
            post_webhook(digest, now=now)
            retried += 1
    return retried


def scrub_digests(question: Question, text: str) -> int:
    """A moderator redacted ``text`` from a thread: stored digests of the teams its feedback
    went to lose it too (their page, JSON and CSV read the stored content). Mail already
    sent and webhooks already delivered cannot be called back. Returns how many changed."""
    changed = 0
    for digest in Digest.objects.filter(team__items__question=question).distinct():
        content = scrub(digest.content, text)
        if content != digest.content:
            Digest.objects.filter(pk=digest.pk).update(content=content)
            changed += 1
    return changed
