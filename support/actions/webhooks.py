"""Outbound webhooks: an event is recorded in the outbox inside its action's transaction;
after the commit it becomes one delivery per active endpoint that subscribed to it,
signed in the Standard Webhooks format (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``). A failed attempt is retried by beat after 1, 2, 4 … ×
SUPPORT_WEBHOOK_BACKOFF_SECONDS, up to SUPPORT_WEBHOOK_MAX_ATTEMPTS; an endpoint failing
SUPPORT_WEBHOOK_DISABLE_AFTER times in a row is switched off and support staff are told.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.models import User
from accounts.roles import support_staff_members
from community.actions import outbox
from community.actions.notifications import notify
from community.extensions import ThreadEvent
from community.models import NotificationEvent
from support import permissions
from support.actions.digests import post_json
from support.models import EventDelivery, WebhookEndpoint, WebhookEvent


def emit(event: str, data: dict[str, Any]) -> None:
    """Announce an event (inside the caller's transaction: sent only if it commits)."""
    if WebhookEndpoint.objects.filter(is_active=True).exists():
        outbox.record("webhooks.emit", {"event": event, "data": data, "at": timezone.now().isoformat()})


@outbox.handler("webhooks.emit")
def fan_out(payload: dict[str, Any]) -> None:
    now = timezone.now()
    for endpoint in WebhookEndpoint.objects.filter(is_active=True):
        if payload["event"] not in endpoint.events:
            continue
        delivery = EventDelivery.objects.create(
            endpoint=endpoint, event=payload["event"], msg_id=f"msg_{uuid.uuid4().hex}",
            payload={"type": payload["event"], "timestamp": payload["at"], "data": payload["data"]},
            created_at=now, next_attempt_at=now,
        )  # fmt: skip
        attempt(delivery)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def create_endpoint(*, url: str, events: list[str], description: str, by: User) -> WebhookEndpoint:
    permissions.check_can_work_queue(by)
    return WebhookEndpoint.objects.create(
        url=url, events=sorted(set(events) & set(WebhookEvent.values)), description=description,
        secret=new_secret(), created_by=by, created_at=timezone.now(),
    )  # fmt: skip


def set_active(endpoint: WebhookEndpoint, *, active: bool, by: User) -> None:
    permissions.check_can_work_queue(by)
    fields: dict[str, Any] = {"is_active": active}
    if active:
        fields.update(consecutive_failures=0, disabled_at=None, disabled_reason="")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**fields)


def _post(endpoint: WebhookEndpoint, delivery: EventDelivery, now: datetime) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, sort_keys=True)
    headers = {
        "webhook-id": delivery.msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(delivery.msg_id, now, body),
    }
    return post_json(endpoint.url, body.encode(), headers)


def attempt(delivery: EventDelivery, *, now: datetime | None = None) -> bool:
    """One attempt, logged; on failure the next is scheduled (or the endpoint switched off)."""
    now = now or timezone.now()
    endpoint = delivery.endpoint
    status, error = _post(endpoint, delivery, now)
    ok = status is not None and 200 <= status < 300
    attempts = delivery.attempts + 1
    wait = timedelta(seconds=settings.SUPPORT_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempts - 1))
    more = not ok and attempts < settings.SUPPORT_WEBHOOK_MAX_ATTEMPTS
    EventDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, status_code=status, error=error, last_attempt_at=now,
        delivered_at=now if ok else None, next_attempt_at=now + wait if more else None,
    )  # fmt: skip
    if ok:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    else:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        endpoint.refresh_from_db()
        if endpoint.is_active and endpoint.consecutive_failures >= settings.SUPPORT_WEBHOOK_DISABLE_AFTER:
            _switch_off(
                endpoint,
                reason=f"{endpoint.consecutive_failures} failed deliveries in a row ({error or status})",
            )
    delivery.refresh_from_db()
    return ok


def _switch_off(endpoint: WebhookEndpoint, *, reason: str) -> None:
    if not WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
    ):
        return
    notify(
        support_staff_members(),
        event=NotificationEvent.WEBHOOK_DISABLED,
        actor=None,
        target=endpoint,
        text=f"Webhook switched off after repeated failures: {endpoint.url}",
        url=endpoint.get_absolute_url(),
        dedupe_key=f"webhook_disabled:{endpoint.pk}:{endpoint.consecutive_failures}",
    )


def retry_due(*, now: datetime | None = None) -> int:
    """Beat: the failed deliveries whose backoff has passed, to endpoints still on."""
    now = now or timezone.now()
    due = EventDelivery.objects.filter(
        delivered_at__isnull=True, next_attempt_at__lte=now, endpoint__is_active=True
    ).select_related("endpoint")
    tried = 0
    for delivery in due:
        attempt(delivery, now=now)
        tried += 1
    return tried


def replay(delivery: EventDelivery, *, by: User) -> bool:
    """Send a delivery again now (the same message id: receivers can tell a repeat)."""
    permissions.check_can_work_queue(by)
    return attempt(delivery)


# --- where events come from -------------------------------------------------------------
def on_thread_event(event: ThreadEvent) -> None:
    """Questions asked, answered and solved (public threads only)."""
    question = event.question
    if question.is_private or question.in_coaching:
        return
    kind = {
        "question_asked": WebhookEvent.QUESTION_ASKED,
        "answer_posted": WebhookEvent.QUESTION_ANSWERED,
        "answer_accepted": WebhookEvent.QUESTION_SOLVED,
    }.get(event.kind)
    if kind is None or (event.post is not None and getattr(event.post, "is_private", False)):
        return
    url = f"{settings.SITE_URL}{question.get_absolute_url()}"
    data: dict[str, Any] = {"question_id": question.pk, "title": question.title, "url": url}
    if event.post is not None:
        data["answer_id"] = event.post.pk
    emit(kind, data)
