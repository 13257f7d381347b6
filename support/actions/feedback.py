"""Routing threads tagged as feedback to the product teams that own them, and the
product managers' public statuses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from community import pagecache
from community.actions import outbox
from community.actions.queues import claim, log, release
from community.extensions import ThreadEvent
from community.models import Follow, LinkKind, MeToo, NotificationEvent, Question, QuestionLink
from support import permissions
from support.actions import webhooks
from support.models import FeedbackItem, FeedbackKind, FeedbackStatus, ProductTeam, TriageState
from support.models.webhooks import WebhookEvent


def _kinds() -> list[tuple[str, bool]]:
    """The feedback kinds set in the admin, as (tag, is_idea): a small table that every
    question page reads, so this process keeps it until the next write to the site."""
    return pagecache.until_next_write(
        "support:feedback-kinds",
        lambda: [(tag.lower(), idea) for tag, idea in FeedbackKind.objects.values_list("tag", "is_idea")],
    )


def feedback_tags() -> set[str]:
    """The feedback kinds set in the admin, or the SUPPORT_FEEDBACK_TAGS setting."""
    configured = {tag for tag, _ in _kinds()}
    return configured or {tag.lower() for tag in settings.SUPPORT_FEEDBACK_TAGS}


def feedback_tag_list() -> list[str]:
    return sorted(feedback_tags())


def idea_tags() -> set[str]:
    if kinds := _kinds():
        return {tag for tag, idea in kinds if idea}
    return {tag.lower() for tag in settings.SUPPORT_IDEA_TAGS}


def owning_teams(tags: set[str], category_id: int | None) -> list[ProductTeam]:
    teams = ProductTeam.objects.prefetch_related("categories")
    return [
        team
        for team in teams
        if team.tag_names & tags
        or (category_id is not None and any(c.pk == category_id for c in team.categories.all()))
    ]


@transaction.atomic
def route_feedback(question: Question, *, by: User | None = None) -> list[FeedbackItem]:
    """Make the thread's feedback items match its tags: one item per owning team, or one
    in the triage inbox when no team owns it; none when it carries no feedback tag (or
    is deleted, or private: product teams are not support staff). Retagging reroutes: an
    item whose team no longer applies moves to a team that now does (keeping its status
    and history), or is removed."""
    tags = {name.lower() for name in question.tags.names()}
    kinds = sorted(tags & feedback_tags())
    existing = {item.team_id: item for item in FeedbackItem.objects.filter(question=question)}
    if not kinds or question.is_deleted or question.is_private or question.in_coaching:
        FeedbackItem.objects.filter(question=question).delete()
        return []
    wanted: set[int | None] = {team.pk for team in owning_teams(tags, question.category_id)} or {None}
    stale = [team_id for team_id in existing if team_id not in wanted]
    new = [team_id for team_id in wanted if team_id not in existing]
    now = timezone.now()
    for team_id in stale:
        item = existing.pop(team_id)
        if new:
            to = new.pop(0)
            FeedbackItem.objects.filter(pk=item.pk).update(team_id=to, updated_at=now, kind=kinds[0])
            log(
                item, actor=by, from_state=item.state, to_state=item.state, note="rerouted by a retag", at=now
            )
            existing[to] = item
        else:
            item.delete()
    for team_id in new:
        item = FeedbackItem.objects.create(
            question=question,
            team_id=team_id,
            kind=kinds[0],
            state=TriageState.OPEN,
            created_at=now,
            updated_at=now,
        )
        log(
            item,
            actor=by,
            from_state="",
            to_state=TriageState.OPEN,
            note="routed" if team_id else "to triage",
            at=now,
        )
    return list(FeedbackItem.objects.filter(question=question))


def on_thread_event(event: ThreadEvent) -> None:
    if event.kind in ("question_asked", "question_edited", "question_deleted", "question_restored"):
        route_feedback(event.question, by=event.by)
    elif event.kind == "question_merged":
        # The duplicate's demand now counts on the original; its own items go.
        for item in FeedbackItem.objects.filter(question=event.post):
            log(item, actor=event.by, from_state=item.state, to_state=item.state,
                note=f"merged in: {event.question.title[:200]}")  # fmt: skip
        FeedbackItem.objects.filter(question=event.question).delete()


def is_idea(question: Question) -> bool:
    """Ideas (feature requests and ideas, not bugs) say "me too"."""
    ideas = idea_tags()
    return any(tag.name.lower() in ideas for tag in question.tags.all())


@transaction.atomic
def send_to_team(item: FeedbackItem, *, team: ProductTeam, by: User) -> FeedbackItem:
    """Triage: give an unowned item to a team."""
    permissions.check_can_triage_feedback(by)
    if item.team_id == team.pk:  # sent again to the team that has it
        return item
    already = FeedbackItem.objects.filter(question_id=item.question_id, team=team).first()
    if already is not None:  # that team has the thread already: one item, theirs
        item.delete()
        return already
    now = timezone.now()
    FeedbackItem.objects.filter(pk=item.pk).update(team=team, updated_at=now)
    log(item, actor=by, from_state=item.state, to_state=item.state, note=f"sent to {team.name}", at=now)
    item.refresh_from_db()
    return item


@transaction.atomic
def set_status(item: FeedbackItem, *, status: str, response: str, by: User) -> FeedbackItem:
    """A public status and response. Everyone following the thread or saying "me too" is
    notified; shipping also tells the askers of the support threads linked to it."""
    if not permissions.can_answer_feedback(by, item):
        raise PermissionDenied("Only the owning team's product managers can set its status.")
    now = timezone.now()
    changed = item.status != status or item.public_response != response
    if not changed:
        return item
    FeedbackItem.objects.filter(pk=item.pk).update(
        status=status, public_response=response, status_changed_at=now, updated_at=now
    )
    label = FeedbackStatus(status).label
    log(
        item,
        actor=by,
        from_state=item.status or "new",
        to_state=status or "new",
        note=f"status: {label}",
        at=now,
    )
    outbox.record("feedback.status", {"item_id": item.pk, "status": status, "at": now.isoformat()})
    webhooks.emit(
        WebhookEvent.FEEDBACK_STATUS,
        {"item_id": item.pk, "question_id": item.question_id, "status": status, "response": response},
    )
    item.refresh_from_db()
    return item


@outbox.handler("feedback.status")
def notify_status(payload: dict[str, Any]) -> None:
    from community.actions.notifications import notify

    item = FeedbackItem.objects.select_related("question", "team").filter(pk=payload["item_id"]).first()
    if item is None or item.status != payload["status"]:
        return  # gone, or changed again since (that change notifies)
    question = item.question
    label = FeedbackStatus(item.status).label
    audience = User.objects.filter(
        Q(pk__in=Follow.objects.filter(question=question).values("user"))
        | Q(pk__in=MeToo.objects.filter(question=question).values("user"))
        | Q(pk=question.author_id),
        is_active=True,
    )
    notify(
        audience,
        event=NotificationEvent.FEEDBACK_STATUS,
        actor=None,
        target=question,
        text=f"{item.team.name if item.team else 'Product'}: “{question.title}” is now {label.lower()}",
        url=question.get_absolute_url(),
        dedupe_key=f"feedback-status:{item.pk}:{payload['at']}",
    )
    if item.status == FeedbackStatus.SHIPPED:
        linked = QuestionLink.objects.filter(Q(source=question) | Q(target=question)).exclude(
            kind=LinkKind.DUPLICATE
        )
        askers = {link.source.author for link in linked.select_related("source__author", "target__author")}
        askers |= {link.target.author for link in linked.select_related("target__author")}
        askers.discard(question.author)
        notify(
            [asker for asker in askers if asker.is_active],
            event=NotificationEvent.FEEDBACK_STATUS,
            actor=None,
            target=question,
            text=f"Shipped: “{question.title}”, which your question is linked to",
            url=reverse("community:question_redirect", args=[question.pk]),
            dedupe_key=f"feedback-shipped:{item.pk}:{payload['at']}",
        )


@transaction.atomic
def claim_feedback(item: FeedbackItem, *, by: User) -> FeedbackItem:
    """Take an item to work it (atomic: two people never hold one); it shows in My work."""
    permissions.check_can_triage_feedback(by)
    return claim(item, by=by)


@transaction.atomic
def release_feedback(item: FeedbackItem, *, by: User) -> FeedbackItem:
    permissions.check_can_triage_feedback(by)
    return release(item, by=by)
