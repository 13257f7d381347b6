"""Mentions from outside: received from a social-listening tool's webhook or a CSV export
(the columns of the Twitter customer-support dataset), each read for tone and matched to
a member by their social handle; staff reply (recorded), leave it to stand, or turn it
into a community thread so the answer becomes reusable. Mentions feed the incident
signals (support/actions/incidents.py: per channel, their count and their negative tone).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from community.actions.questions import ask_question
from community.models import Category, Question
from support import permissions, triage
from support.models import Mention, MentionState

TWCS_COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
MAX_ROWS = 50_000
MAX_TEXT = 10_000
MAX_ID = 100


class MentionError(ValueError):
    """A mention that cannot be taken as it is (the reason is for the sender)."""


@dataclass
class Received:
    added: int = 0
    already: int = 0  # the same source and id were received before
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row or item number, why)


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise MentionError(f"{name} contains a NUL byte")
    if len(text) > limit:
        raise MentionError(f"{name} is longer than {limit} characters")
    if required and not text.strip():
        raise MentionError(f"{name} is missing")
    return text


def _when(value: Any) -> datetime:
    """ISO 8601, or the dataset's "Wed Oct 11 06:55:44 +0000 2017"."""
    text = str(value or "").strip()
    try:
        found = parse_datetime(text)
    except ValueError:
        found = None
    if found is None:
        try:
            found = datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            raise MentionError(f"created_at {text[:40]!r} is not a date and time") from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _handle(text: str) -> str:
    return text.strip().lstrip("@").lower()


def receive(items: Iterable[dict[str, Any]], *, source: str) -> Received:
    """Store new mentions (one transaction; the ones already received are skipped, the
    ones that cannot be taken are refused with their reason, nothing else changes)."""
    result = Received()
    rows: list[Mention] = []
    now = timezone.now()
    source = _text(source, "source", 40)
    for number, item in enumerate(items, start=1):
        try:
            rows.append(
                Mention(
                    source=source,
                    external_id=_text(item.get("id"), "id", MAX_ID).strip(),
                    author_handle=_text(item.get("author"), "author", MAX_ID).strip(),
                    inbound=bool(item.get("inbound", True)),
                    text=_text(item.get("text"), "text", MAX_TEXT),
                    created_at=_when(item.get("created_at")),
                    received_at=now,
                    in_reply_to=_text(item.get("in_reply_to"), "in_reply_to", MAX_ID, required=False).strip(),
                )
            )
        except MentionError as refused:
            result.refused.append((number, str(refused)))
    members = {
        _handle(handle): pk
        for pk, handle in User.objects.exclude(social_handle="").values_list("pk", "social_handle")
        if _handle(handle)
    }
    for mention in rows:
        mention.tone = triage.tone(mention.text) if mention.inbound else None
        mention.member_id = members.get(_handle(mention.author_handle))
    with transaction.atomic():
        ids = [mention.external_id for mention in rows]
        known = set(
            Mention.objects.filter(source=source, external_id__in=ids).values_list("external_id", flat=True)
        )
        fresh, seen = [], set()
        for mention in rows:
            if mention.external_id in known or mention.external_id in seen:
                result.already += 1
            else:
                seen.add(mention.external_id)
                fresh.append(mention)
        Mention.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
        result.added = len(fresh)
        _answered_outside(source, [m for m in fresh if not m.inbound and m.in_reply_to])
    return result


def _answered_outside(source: str, replies: list[Mention]) -> None:
    """The company's own replies (imported with the conversation) mark the customer's
    mention they answer as replied, with their text."""
    for reply in replies:
        Mention.objects.filter(
            source=source, external_id=reply.in_reply_to, inbound=True, state=MentionState.NEW
        ).update(state=MentionState.REPLIED, reply=reply.text, replied_at=reply.created_at)


def import_csv(data: bytes, *, source: str = "twitter") -> Received:
    """A CSV with the Twitter customer-support dataset's columns (tweet_id, author_id,
    inbound, created_at, text, response_tweet_id, in_response_to_tweet_id)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MentionError("The file is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [column for column in TWCS_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise MentionError(
            f"The file lacks the column(s) {', '.join(missing)} (expected: {', '.join(TWCS_COLUMNS)})."
        )
    items = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise MentionError(f"The file has more than {MAX_ROWS:,} rows: split it.")
            items.append(
                {
                    "id": row["tweet_id"], "author": row["author_id"], "text": row["text"],
                    "inbound": str(row["inbound"]).strip().lower() == "true", "created_at": row["created_at"],
                    "in_reply_to": row["in_response_to_tweet_id"],
                }
            )  # fmt: skip
    except csv.Error as broken:
        raise MentionError(f"The file is not valid CSV: {broken}") from None
    return receive(items, source=source)


# --- staff's work ---------------------------------------------------------------------
@transaction.atomic
def reply_to(mention: Mention, *, by: User, text: str) -> Mention:
    """Record the reply staff sent where the customer wrote (Askwell keeps it; sending it
    is the listening tool's)."""
    permissions.check_can_work_queue(by)
    Mention.objects.filter(pk=mention.pk).update(
        state=MentionState.REPLIED, reply=text, replied_by=by, replied_at=timezone.now()
    )
    mention.refresh_from_db()
    return mention


@transaction.atomic
def monitor(mention: Mention, *, by: User) -> Mention:
    """Let it stand and keep an eye on it (the triage tree's answer to a joker or a
    dedicated complainer)."""
    permissions.check_can_work_queue(by)
    Mention.objects.filter(pk=mention.pk).update(state=MentionState.MONITORED)
    mention.refresh_from_db()
    return mention


@transaction.atomic
def to_thread(
    mention: Mention, *, by: User, title: str, category: Category | None, tags: list[str]
) -> Question:
    """A community thread from the mention, asked by the staff member on the customer's
    behalf (the mention quoted), so that the answer is found by the next customer."""
    permissions.check_can_work_queue(by)
    quoted = "\n".join(f"> {line}" for line in mention.text.splitlines() or [""])
    body = f"{quoted}\n\n— {mention.author_handle} on {mention.source}, {mention.created_at:%B %-d, %Y}"
    question = ask_question(author=by, title=title, body=body, category=category, tags=tags)
    Mention.objects.filter(pk=mention.pk).update(state=MentionState.THREADED, question=question)
    mention.refresh_from_db()
    return question


def conversation(mention: Mention, *, limit: int = 20) -> list[Mention]:
    """The messages around it: what it replies to, up the chain, and the replies to it."""
    chain: list[Mention] = [mention]
    current = mention
    while current.in_reply_to and len(chain) < limit:
        parent = Mention.objects.filter(source=mention.source, external_id=current.in_reply_to).first()
        if parent is None or parent in chain:
            break
        chain.insert(0, parent)
        current = parent
    replies = Mention.objects.filter(source=mention.source, in_reply_to=mention.external_id).order_by(
        "created_at"
    )
    return chain + list(replies[:limit])
