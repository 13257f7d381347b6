"""Knowledge gaps: what readers search for and do not find, and what they search for
right before asking anyway (community.models.SearchGap).

The search page calls ``record_search`` for a reader who has a session (a crawler without
one writes nothing), and keeps the reader's last few searches in their own session for
``COMMUNITY_DEFLECTION_WAIT_MINUTES``; asking a question then counts those searches as
"followed by a new question" (``record_asked_after_searching``). Only the search text and
weekly counts reach the table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from community.models import SearchGap

RECENT_KEY = "askwell_recent_searches"
RECENT_KEEP = 5


def normalised(text: str) -> str:
    return " ".join(text.lower().split())[:200]


def week_of(when: datetime) -> date:
    """The Monday of ``when``'s week, in the current time zone (the site's weeks)."""
    day = timezone.localtime(when).date()
    return day - timedelta(days=day.weekday())


def _count(text: str, when: datetime, **increments: int) -> None:
    week = week_of(when)
    changes = {name: F(name) + n for name, n in increments.items()}
    with transaction.atomic():
        if SearchGap.objects.filter(week=week, text=text).update(**changes):
            return
        try:
            with transaction.atomic():
                SearchGap.objects.create(week=week, text=text, **increments)
        except IntegrityError:  # another request made the row first
            SearchGap.objects.filter(week=week, text=text).update(**changes)


def record_search(session: Any, raw: str, *, found: int) -> None:
    """One search by a reader with a session: counted, and remembered in their session."""
    text = normalised(raw)
    if not text:
        return
    now = timezone.now()
    _count(text, now, searches=1, no_results=0 if found else 1)
    recent = [entry for entry in session.get(RECENT_KEY, []) if entry[0] != text]
    session[RECENT_KEY] = [*recent, [text, now.isoformat()]][-RECENT_KEEP:]


def record_asked_after_searching(session: Any) -> int:
    """The reader just asked a question: their searches of the last
    COMMUNITY_DEFLECTION_WAIT_MINUTES did not answer it. Returns how many were counted."""
    recent = session.pop(RECENT_KEY, [])
    since = timezone.now() - timedelta(minutes=settings.COMMUNITY_DEFLECTION_WAIT_MINUTES)
    counted = 0
    for text, when in recent:
        searched = datetime.fromisoformat(when)
        if searched >= since:
            _count(text, searched, then_asked=1)
            counted += 1
    return counted
