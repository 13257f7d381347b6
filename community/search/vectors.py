"""Thread vectors: kept in the database, searched in memory.

The search worker embeds each thread and article it indexes (``store``) into
``ThreadVector`` rows: the source of truth, shared by every web process whatever the
lexical engine (no vector extension is needed: PostgreSQL here has no pgvector, SQLite
none at all). Each process holds the vectors in one float32 matrix and finds the nearest
by one matrix product (``nearest``): 50,000 threads are 77 MB and about 3 ms. It catches
up with the table at most every ``COMMUNITY_VECTOR_SYNC_SECONDS``, reading only rows
changed since it last looked (one small query when nothing changed).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from community.models import ThreadVector
from community.search.embeddings import DIMENSIONS, MODEL_ID, embedder

# Rows changed this close to the last one seen are read again on the next catch-up: the
# worker's clock and commit order need not agree to the microsecond.
OVERLAP = timedelta(seconds=5)


def text_of(title: str, body: str) -> str:
    """What is embedded of a thread: its title, then as much of its body as fits."""
    return f"{title}\n\n{body[:4000]}"


def _hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def store(items: Iterable[tuple[str, str]]) -> int:
    """Embed ``(key, text)`` pairs whose text changed since it was last embedded, and keep
    the vectors. Returns how many were embedded. Does nothing without the model."""
    model = embedder()
    if model is None:
        return 0
    wanted = {key: (text, _hash(text)) for key, text in items}
    if not wanted:
        return 0
    current = dict(
        ThreadVector.objects.filter(key__in=wanted, vector__isnull=False, model=MODEL_ID).values_list(
            "key", "text_hash"
        )
    )
    todo = [key for key, (_, digest) in wanted.items() if current.get(key) != digest]
    if not todo:
        return 0
    vectors = model.embed([wanted[key][0] for key in todo])
    now = timezone.now()
    rows = [
        ThreadVector(
            key=key,
            model=MODEL_ID,
            text_hash=wanted[key][1],
            vector=vectors[i].astype("<f4").tobytes(),
            changed_at=now,
        )
        for i, key in enumerate(todo)
    ]
    with transaction.atomic():
        ThreadVector.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["model", "text_hash", "vector", "changed_at"],
            batch_size=500,
        )
    return len(rows)


def remove(keys: list[str]) -> None:
    """Tombstones: the rows stay, without a vector, so every process learns of it."""
    if keys:
        ThreadVector.objects.filter(key__in=keys).update(vector=None, text_hash="", changed_at=timezone.now())


def clear() -> None:
    ThreadVector.objects.all().delete()


class VectorIndex:
    """This process's copy of the vectors (see the module). Thread-safe: catching up
    happens under a lock; searches read a consistent (keys, matrix) snapshot."""

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self._lock = threading.Lock()
        self._rows: dict[str, int] = {}  # key -> row in the matrix
        self._keys: list[str] = []
        self._seen: Any = None  # the newest changed_at read
        self._reset()
        self._count = 0  # rows in the table when last read
        self._checked = 0.0

    def catch_up(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < settings.COMMUNITY_VECTOR_SYNC_SECONDS:
            return
        with self._lock:
            if not force and now - self._checked < settings.COMMUNITY_VECTOR_SYNC_SECONDS:
                return
            state = ThreadVector.objects.aggregate(newest=Max("changed_at"), count=Count("pk"))
            if state["count"] < self._count or (self._seen is not None and state["newest"] is None):
                self._reset()  # rows were deleted (a rebuild): start again
            newest = state["newest"]
            if newest is not None and (
                self._seen is None
                or newest > self._seen
                or state["count"] != self._count
                or timezone.now() - self._seen < OVERLAP * 2  # a late commit may still land
            ):
                self._read(since=None if self._seen is None else self._seen - OVERLAP)
            self._count = state["count"]
            self._checked = time.monotonic()

    def _reset(self) -> None:
        """Empty: nothing read yet."""
        np = self._np
        self._rows, self._keys = {}, []
        self._stamps: dict[str, Any] = {}  # key -> changed_at read, of the rows near the newest
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._seen = None

    def _changed_rows(self, since: Any) -> Iterable[tuple[str, Any, Any]]:
        """(key, vector blob or None, changed_at) of the rows changed since ``since`` that
        this process has not read yet: the window's stamps first, then only their vectors."""
        rows = ThreadVector.objects.filter(model=MODEL_ID) | ThreadVector.objects.filter(vector__isnull=True)
        if since is None:
            yield from rows.values_list("key", "vector", "changed_at").iterator(chunk_size=2000)
            return
        rows = rows.filter(changed_at__gte=since)
        stamps = self._stamps
        unread = [key for key, changed in rows.values_list("key", "changed_at") if stamps.get(key) != changed]
        for start in range(0, len(unread), 500):
            chosen = rows.filter(key__in=unread[start : start + 500])
            yield from chosen.values_list("key", "vector", "changed_at")

    def _read(self, since: Any) -> None:
        np = self._np
        new_keys: list[str] = []
        updates: list[tuple[str, Any]] = []
        newest = self._seen
        stamps = dict(self._stamps)
        for key, blob, changed in self._changed_rows(since):
            vector = None if blob is None else np.frombuffer(bytes(blob), dtype="<f4")
            updates.append((key, vector))
            stamps[key] = changed
            if key not in self._rows and vector is not None:
                new_keys.append(key)
            if newest is None or changed > newest:
                newest = changed
        if not updates:
            return
        if new_keys:
            start = len(self._keys)
            matrix = np.zeros((start + len(new_keys), DIMENSIONS), dtype=np.float32)
            matrix[:start] = self._matrix
            alive = np.zeros(start + len(new_keys), dtype=bool)
            alive[:start] = self._alive
            for offset, key in enumerate(new_keys):
                self._rows[key] = start + offset
            self._keys = self._keys + new_keys
        else:
            matrix, alive = self._matrix.copy(), self._alive.copy()
        for key, vector in updates:
            row = self._rows.get(key)
            if row is None:
                continue
            if vector is None:
                alive[row] = False
            else:
                matrix[row] = vector
                alive[row] = True
        self._matrix, self._alive = matrix, alive  # searches already running keep the old ones
        self._seen = newest
        # What was read within the window the next catch-up reads again (not read twice).
        self._stamps = {key: changed for key, changed in stamps.items() if changed >= newest - OVERLAP}

    def __len__(self) -> int:
        return int(self._alive.sum())

    def nearest(self, vector: Any, limit: int, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``limit`` keys whose vectors are closest to ``vector``, with their cosine."""
        self.catch_up()
        np = self._np
        keys, matrix, alive = self._keys, self._matrix, self._alive
        if not len(keys):
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        scores[~alive] = -2.0
        for key in exclude:
            if (row := self._rows.get(key)) is not None and row < len(scores):
                scores[row] = -2.0
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [(keys[i], float(scores[i])) for i in top if scores[i] > -2.0]

    def similarity(self, vector: Any, keys: Iterable[str]) -> dict[str, float]:
        """The cosine of each of these keys' vectors to ``vector`` (keys without one left out)."""
        np = self._np
        rows, matrix, alive = self._rows, self._matrix, self._alive
        found = [(key, row) for key in keys if (row := rows.get(key)) is not None and row < len(alive)]
        found = [(key, row) for key, row in found if alive[row]]
        if not found:
            return {}
        scores = matrix[[row for _, row in found]] @ np.asarray(vector, dtype=np.float32)
        return {key: float(score) for (key, _), score in zip(found, scores, strict=True)}


_index: VectorIndex | None = None
_index_lock = threading.Lock()


def index() -> VectorIndex:
    """The process's vector index."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = VectorIndex()
    return _index


def forget() -> None:
    """A new, empty copy on next use (tests that swap databases)."""
    global _index
    with _index_lock:
        _index = None
