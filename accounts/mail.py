"""Mail headers built from what members wrote.

A subject line is one header line: a carriage return, line feed or any other line break
in a title or a display name would split it (Django refuses such a header with
``BadHeaderError``, so the mail would never go). ``header_safe`` folds every kind of
white space to one space and drops control characters; the stored text is untouched.
"""

from __future__ import annotations

import unicodedata

SUBJECT_LIMIT = 200


def header_safe(text: str, *, limit: int = SUBJECT_LIMIT) -> str:
    """One line of text for a mail header, at most ``limit`` characters (with "…")."""
    printable = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    line = " ".join(printable.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
