"""Word-level diffs between consecutive revisions (pure functions, no database)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Chunk:
    kind: str  # "same", "added" or "removed"
    text: str


def diff_text(old: str, new: str) -> list[Chunk]:
    """Split both texts into words, spaces and punctuation and mark what changed."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    chunks: list[Chunk] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(Chunk("same", "".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            chunks.append(Chunk("removed", "".join(before[a1:a2])))
        if op in ("insert", "replace"):
            chunks.append(Chunk("added", "".join(after[b1:b2])))
    return chunks


def revision_diffs(
    revisions: list[Any], *, fields: tuple[str, ...] = ("title", "tags", "body"), note: str = "summary"
) -> list[dict[str, Any]]:
    """Newest first: each revision with the diff of each field from the revision before,
    and its edit note (the attribute named by ``note``)."""
    rows = []
    previous = None
    for revision in revisions:
        row: dict[str, Any] = {"revision": revision, "note": getattr(revision, note, "")}
        for name in fields:
            row[name] = diff_text(getattr(previous, name) if previous else "", getattr(revision, name))
        rows.append(row)
        previous = revision
    return list(reversed(rows))
