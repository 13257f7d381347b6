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


def revision_diffs(revisions: list[Any]) -> list[dict[str, Any]]:
    """Newest first: each revision with the diff of its title, tags and body from the last."""
    rows = []
    previous = None
    for revision in revisions:
        rows.append(
            {
                "revision": revision,
                "title": diff_text(previous.title if previous else "", revision.title),
                "tags": diff_text(previous.tags if previous else "", revision.tags),
                "body": diff_text(previous.body if previous else "", revision.body),
            }
        )
        previous = revision
    return list(reversed(rows))
