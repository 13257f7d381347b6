"""Query text cleaning and highlighting, shared by every engine (pure functions)."""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 300
_OPERATORS_ONLY = re.compile(r"^[\s\"'()*+\-!?:^~&|/\\\[\]{}<>=.,;]*$")


def clean_query(raw: str) -> tuple[str, list[str]]:
    """Make any input searchable: drop control characters, cap the length. Returns the
    text and notices telling the person what was changed (never silently)."""
    notices = []
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in raw)
    if text.strip() != raw.strip():
        notices.append("Control characters were left out of your search.")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
        notices.append(f"Your search was shortened to its first {MAX_QUERY_CHARS} characters.")
    return text, notices


def has_words(text: str) -> bool:
    return bool(text) and not _OPERATORS_ONLY.match(text)
