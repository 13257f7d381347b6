"""Thread vectors: kept in the database, searched in memory.

The search worker embeds each thread and article it indexes (``store``) into
``ThreadVector`` rows: the source of truth, shared by every web process whatever the
lexical engine (no vector extension is needed: PostgreSQL here has no pgvector, SQLite
none at all). Each process searches the vectors in memory, one matrix product
(``nearest``): 50,000 threads are 77 MB and a few milliseconds. The processes of a host
share one copy: the search worker writes a snapshot file (``write_snapshot``) that each
process memory-maps, then catches up with the table at most every
``COMMUNITY_VECTOR_SYNC_SECONDS``, reading only rows changed since it last looked (one
small query when nothing changed) into a private overlay (see ``VectorIndex``).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
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
# A process without a shared snapshot folds its overlay into its base past this many rows
# (or a quarter of the base).
COMPACT_AT = 1000


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
    (_snapshot_dir() / "current.json").unlink(missing_ok=True)  # no process maps the old vectors again


def _snapshot_dir() -> Path:
    return Path(settings.COMMUNITY_VECTOR_SNAPSHOT_DIR)


def _current_snapshot() -> dict[str, Any] | None:
    """The snapshot the pointer file names (``{"name", "seen", "count"}``), if any."""
    try:
        pointer = json.loads((_snapshot_dir() / "current.json").read_text())
    except (OSError, ValueError):
        return None
    return pointer if pointer.get("model") == MODEL_ID else None


def write_snapshot() -> bool:
    """Write the table's vectors to one file that every process of this host maps into
    memory (the page cache holds one copy for all), unless the current one is up to date.
    The search worker calls it (``community.snapshot_vectors``, from beat). Returns
    whether it wrote one."""
    import numpy as np

    state = ThreadVector.objects.aggregate(newest=Max("changed_at"), count=Count("pk"))
    current = _current_snapshot()
    if state["newest"] is None or (
        current and current["seen"] == state["newest"].isoformat() and current["count"] == state["count"]
    ):
        return False
    keys: list[str] = []
    blobs: list[bytes] = []
    changes = []
    hashes = []
    seen = state["newest"]
    rows = ThreadVector.objects.filter(model=MODEL_ID, vector__isnull=False).order_by("key")
    for key, blob, changed, digest in rows.values_list("key", "vector", "changed_at", "text_hash").iterator(
        chunk_size=2000
    ):
        if blob is None:  # (filtered out; for the type checker)
            continue
        keys.append(key)
        blobs.append(bytes(blob))
        changes.append(changed)
        hashes.append(digest)
        seen = max(seen, changed)
    # The stamps of the rows a reader's first catch-up reads again: it need not fetch them.
    stamps = {
        key: changed.isoformat()
        for key, changed in zip(keys, changes, strict=True)
        if changed >= seen - OVERLAP
    }
    matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(keys), DIMENSIONS)
    folder = _snapshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"vectors-{int(time.time() * 1000)}-{os.getpid()}"
    with open(folder / f"{name}.npy.tmp", "wb") as out:
        np.save(out, matrix)
    os.replace(folder / f"{name}.npy.tmp", folder / f"{name}.npy")
    (folder / f"{name}.keys.json").write_text(json.dumps({"keys": keys, "stamps": stamps}))
    # A few rows' text hashes: a reader checks them against the table it reads, so a
    # snapshot of another database (a restored backup, another test) is never mapped.
    sample = {keys[i]: hashes[i] for i in {0, len(keys) // 2, len(keys) - 1} if keys}
    pointer = {
        "model": MODEL_ID, "name": name, "seen": seen.isoformat(), "count": state["count"], "sample": sample,
    }  # fmt: skip
    (folder / "current.json.tmp").write_text(json.dumps(pointer))
    os.replace(folder / "current.json.tmp", folder / "current.json")
    for old in folder.glob("vectors-*"):  # processes still mapping one keep it until they switch
        if not old.name.startswith(name) and time.time() - old.stat().st_mtime > 600:
            old.unlink(missing_ok=True)
    return True


def _usable(snapshot: dict[str, Any], state: dict[str, Any]) -> bool:
    """A snapshot of this table, not older than its last rebuild (only a rebuild deletes
    rows): its sample rows are still there, unchanged or changed since it was written."""
    seen = datetime.fromisoformat(snapshot["seen"])
    if state["newest"] is None or state["count"] < snapshot["count"] or state["newest"] < seen:
        return False
    sample = snapshot.get("sample", {})
    rows = ThreadVector.objects.filter(key__in=list(sample)).values_list("key", "text_hash", "changed_at")
    matching = {key for key, digest, changed in rows if digest == sample[key] or changed > seen}
    return len(matching) == len(sample)


class VectorIndex:
    """This process's vectors (see the module). Thread-safe: catching up happens under a
    lock; searches read a consistent view.

    The vectors are a *base* matrix, memory-mapped from the host's snapshot file when there
    is one (shared with every process of the host) or read from the table, and a small
    private *overlay* of the rows added or changed since: a changed row is marked dead in
    the base and kept in the overlay, so the base is never copied or written."""

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self._lock = threading.Lock()
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
            snapshot = _current_snapshot()
            if snapshot and snapshot["name"] != self._snapshot and not _usable(snapshot, state):
                snapshot = None
            if state["count"] < self._count or (self._seen is not None and state["newest"] is None):
                self._reset(publish=False)  # rows were deleted (a rebuild): start again
            elif snapshot and snapshot["name"] != self._snapshot:
                self._reset(publish=False)  # a newer shared snapshot: map it, drop the private rows
            if self._seen is None and snapshot:
                self._map(snapshot)
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
            self._publish()  # searches meanwhile kept the view they had

    def _reset(self, *, publish: bool = True) -> None:
        """Empty: nothing read yet (``publish``: searches see it empty at once)."""
        np = self._np
        self._rows: dict[str, int] = {}  # key -> row (base rows first, then the overlay's)
        self._keys: list[str] = []
        self._stamps: dict[str, Any] = {}  # key -> changed_at read, of the rows near the newest
        self._base = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._extra = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._seen: Any = None  # the newest changed_at read
        self._snapshot = ""  # the name of the mapped snapshot
        if publish:
            self._publish()

    def _map(self, snapshot: dict[str, Any]) -> None:
        np = self._np
        folder = _snapshot_dir()
        try:
            base = np.load(folder / f"{snapshot['name']}.npy", mmap_mode="r")
            saved = json.loads((folder / f"{snapshot['name']}.keys.json").read_text())
            keys = saved["keys"]
            stamps = {key: datetime.fromisoformat(changed) for key, changed in saved["stamps"].items()}
        except (OSError, ValueError, KeyError):
            return  # gone or half-written: read the table instead
        if base.shape != (len(keys), DIMENSIONS):
            return
        self._base, self._keys, self._stamps = base, keys, stamps
        self._rows = {key: row for row, key in enumerate(keys)}
        self._alive = np.ones(len(keys), dtype=bool)
        self._seen = datetime.fromisoformat(snapshot["seen"])
        self._snapshot = snapshot["name"]
        self._publish()

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
        newest = self._seen
        stamps = dict(self._stamps)
        rows, keys = dict(self._rows), list(self._keys)
        alive = list(self._alive)
        base_size = len(self._base)
        extra = list(self._extra)  # the overlay is small: rebuilt, never written in place
        fresh = since is None and base_size == 0 and not extra
        read = 0
        for key, blob, changed in self._changed_rows(since):
            read += 1
            stamps[key] = changed
            if newest is None or changed > newest:
                newest = changed
            row = rows.get(key)
            if blob is None:
                if row is not None:
                    alive[row] = False
                continue
            vector = np.frombuffer(bytes(blob), dtype="<f4")
            if row is not None and row >= base_size:
                extra[row - base_size] = vector
                alive[row] = True
                continue
            if row is not None:
                alive[row] = False  # the base is not written: the new vector goes to the overlay
            rows[key] = len(keys)
            keys.append(key)
            alive.append(True)
            extra.append(vector)
        if not read:
            return
        overlay = np.array(extra, dtype=np.float32).reshape(len(extra), DIMENSIONS)
        if fresh:  # a first read from the table: all of it is the base
            self._base, overlay = overlay, np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._rows, self._keys, self._extra = rows, keys, overlay
        self._alive = np.array(alive, dtype=bool)
        self._seen = newest
        # What was read within the window the next catch-up reads again (not read twice).
        self._stamps = {key: changed for key, changed in stamps.items() if changed >= newest - OVERLAP}
        if not self._snapshot and len(self._extra) > max(COMPACT_AT, len(self._base) // 4):
            self._compact()
        self._publish()

    def _compact(self) -> None:
        """One private base of the live rows: without a shared snapshot to replace it, the
        overlay would otherwise grow with every edit."""
        np = self._np
        keep = np.flatnonzero(self._alive)
        base = np.concatenate([np.asarray(self._base), self._extra])[keep]
        self._keys = [self._keys[i] for i in keep]
        self._rows = {key: row for row, key in enumerate(self._keys)}
        self._base, self._extra = base, np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._alive = np.ones(len(keep), dtype=bool)

    def _publish(self) -> None:
        """What searches read, swapped in one assignment (they never see half an update)."""
        self._view = (self._rows, self._keys, self._base, self._extra, self._alive)

    def _scores(self, base: Any, extra: Any, vector: Any, rows: Any = None) -> Any:
        np = self._np
        vector = np.asarray(vector, dtype=np.float32)
        if rows is None:
            return np.concatenate([base @ vector, extra @ vector])
        size = len(base)
        return np.array(
            [float((base[row] if row < size else extra[row - size]) @ vector) for row in rows],
            dtype=np.float32,
        )

    def __len__(self) -> int:
        return int(self._view[4].sum())

    def nearest(self, vector: Any, limit: int, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``limit`` keys whose vectors are closest to ``vector``, with their cosine."""
        self.catch_up()
        rows, keys, base, extra, alive = self._view
        if not len(alive):
            return []
        scores = self._scores(base, extra, vector)
        scores[~alive] = -2.0
        for key in exclude:
            if (row := rows.get(key)) is not None and row < len(scores):
                scores[row] = -2.0
        limit = min(limit, len(scores))
        top = self._np.argpartition(-scores, limit - 1)[:limit]
        top = top[self._np.argsort(-scores[top])]
        return [(keys[i], float(scores[i])) for i in top if scores[i] > -2.0]

    def similarity(self, vector: Any, keys: Iterable[str]) -> dict[str, float]:
        """The cosine of each of these keys' vectors to ``vector`` (keys without one left out)."""
        rows, _, base, extra, alive = self._view
        found = [(key, row) for key in keys if (row := rows.get(key)) is not None and row < len(alive)]
        found = [(key, row) for key, row in found if alive[row]]
        if not found:
            return {}
        scores = self._scores(base, extra, vector, [row for _, row in found])
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
