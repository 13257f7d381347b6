"""Search benchmark with budgets (``make bench-search``).

Builds an index of N threads by replicating the developer Stack Exchange dumps
(bicycles.meta, french.meta, conlang.meta: each question with its answers) with
variations, then reports indexing throughput and query latency p50/p95 over a fixed set
of realistic 1–4 word queries, with very-common-word queries as their own row.

    python -m bench.search --engine whoosh --docs 50000      # budget: p95 < 50 ms
    DATABASE_URL=postgres://… python -m bench.search --engine postgres --docs 200000
    python -m bench.search --engine whoosh --docs 50000 --hybrid   # with the embedding model

With ``--hybrid`` the index is the product's hybrid one (community/search/hybrid.py): the
threads are embedded while indexed (throughput reported for both parts), and besides the
search queries it times the ask page's hint query (the search part of
``/questions/similar/``: a typed title, embedded, fused, five hints).

Exits non-zero when a p95 is over budget. Timing numbers, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DUMPS = Path(__file__).resolve().parents[2] / "shared" / "data" / "stackexchange"
SITES = ("bicycles.meta.stackexchange.com", "french.meta.stackexchange.com", "conlang.meta.stackexchange.com")
BUDGET_MS = 50.0
STOP_WORD_QUERIES = ["the", "how to", "is the", "a an the of"]
_TAG = re.compile(r"<[^>]+>")


def threads_from_dumps() -> list[tuple[str, str, tuple[str, ...]]]:
    """(title, plain body of the question and its answers, tags) for every question."""
    questions: dict[str, tuple[str, list[str], tuple[str, ...]]] = {}
    answers: dict[str, list[str]] = defaultdict(list)
    for site in SITES:
        for row in ET.parse(DUMPS / site / "Posts.xml").getroot():  # noqa: S314 (fixed local files)
            body = html.unescape(_TAG.sub(" ", row.get("Body", "")))
            key = f"{site}:{row.get('Id')}"
            if row.get("PostTypeId") == "1":
                tags = tuple(t for t in re.split(r"[<>|]", row.get("Tags", "")) if t)
                questions[key] = (row.get("Title", ""), [body], tags)
            elif row.get("PostTypeId") == "2":
                answers[f"{site}:{row.get('ParentId')}"].append(body)
    return [
        (title, "\n\n".join(bodies + answers[key]), tags) for key, (title, bodies, tags) in questions.items()
    ]


def documents(n: int, seed: int = 2016) -> list:
    from community.search import SearchDocument

    base = threads_from_dumps()
    rng = random.Random(seed)
    vocabulary = sorted(
        {w for title, _, _ in base for w in title.lower().split() if w.isalpha() and len(w) > 3}
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    docs = []
    for i in range(n):
        title, body, tags = base[i % len(base)]
        if i >= len(base):  # a variation: two extra words, paragraphs shuffled
            title = f"{title} {rng.choice(vocabulary)} {rng.choice(vocabulary)}"
            paragraphs = body.split("\n\n")
            rng.shuffle(paragraphs)
            body = "\n\n".join(paragraphs)
        docs.append(
            SearchDocument(
                key=f"question:{i + 1}", kind="question", question_id=i + 1, title=title, body=body[:20000],
                tags=tags, category="", solved=rng.random() < 0.4, score=rng.randint(-2, 40),
                created_at=start + timedelta(minutes=i), version="bench",
            )
        )  # fmt: skip
    return docs


def realistic_queries(count: int = 60, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    titles = [t for t, _, _ in threads_from_dumps()]
    queries = []
    while len(queries) < count:
        words = [w.strip("?.,:;()\"'") for w in rng.choice(titles).split() if len(w) > 3]
        if words:
            size = min(len(words), rng.randint(1, 4))
            queries.append(" ".join(rng.sample(words, size)))
    return queries


def common_queries() -> list[str]:
    """Stop words alone (the engines must answer "too common" fast), then the words found
    in the most threads of the corpus, alone and in pairs: the very common words."""
    from collections import Counter

    df: Counter[str] = Counter()
    for title, body, _tags in threads_from_dumps():
        words = {w.strip("?.,:;()\"'!").lower() for w in f"{title} {body}".split()}
        df.update(w for w in words if w.isalpha() and len(w) > 4)
    top = [word for word, _ in df.most_common(8)]
    return STOP_WORD_QUERIES + top + [f"{a} {b}" for a, b in zip(top[::2], top[1::2], strict=False)]


def typed_titles(count: int = 60, seed: int = 11) -> list[str]:
    """Titles as a customer types them for the hints: a dump title, reworded a little."""
    rng = random.Random(seed)
    titles = [t for t, _, _ in threads_from_dumps() if len(t.split()) >= 4]
    out = []
    for _ in range(count):
        words = rng.choice(titles).split()
        rng.shuffle(words)
        out.append(" ".join(words[: rng.randint(4, len(words))]))
    return out


def timed(engine, queries: list[str], rounds: int = 3, **options) -> tuple[float, float]:
    from community.search import SearchQuery

    samples = []
    for _ in range(rounds):
        for text in queries:
            started = time.perf_counter()
            engine.search(SearchQuery(text=text, **options))
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def embed_for_bench(docs: list, vectors: Any) -> None:
    """Embed the corpus's own threads for real (the throughput reported), then give each
    variation its original's vector: a variation is its original with two more title words
    and its paragraphs shuffled, so its meaning is nearly the same, and the search part's
    cost (one matrix product over every vector, then the top ones) does not depend on the
    values. Embedding all 50,000 for real would take over an hour on two cores."""
    from django.utils import timezone

    from community.models import ThreadVector
    from community.search.embeddings import MODEL_ID

    distinct = len(threads_from_dumps())
    started = time.perf_counter()
    for i in range(0, min(distinct, len(docs)), 200):
        vectors.store((d.key, vectors.text_of(d.title, d.body)) for d in docs[i : min(i + 200, distinct)])
    seconds = time.perf_counter() - started
    print(
        f"  embedded the {distinct} distinct threads in {seconds:.1f} s ("
        f"{distinct / seconds:.1f} threads/s); "
        f"a full rebuild of {len(docs)} would take "
        f"{len(docs) / (distinct / seconds) / 60:.0f} min"
    )
    stored = ThreadVector.objects.filter(key__in=[d.key for d in docs[:distinct]])
    originals = dict(stored.values_list("key", "vector"))
    now = timezone.now()
    copies = [
        ThreadVector(
            key=d.key, model=MODEL_ID, text_hash="copy", vector=originals[docs[i % distinct].key],
            changed_at=now,
        )
        for i, d in enumerate(docs) if i >= distinct
    ]  # fmt: skip
    ThreadVector.objects.bulk_create(copies, batch_size=2000)
    print(f"  {len(copies)} variations take their original's vector")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["whoosh", "postgres"], default="whoosh")
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--hybrid", action="store_true", help="the hybrid engine, with embeddings")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="keep the Whoosh index in DIR (or the PostgreSQL rows) and skip indexing when it holds --docs",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ASKWELL_VAR_DIR", tempfile.mkdtemp(prefix="askwell-bench-search-"))
    import django

    django.setup()
    from django.core.management import call_command

    from community.search import SearchQuery, _engine_for

    if args.engine == "postgres" or args.hybrid:
        call_command("migrate", verbosity=0)
        call_command("createcachetable")
    engine = _engine_for(args.engine, args.reuse or tempfile.mkdtemp(prefix="askwell-index-"))
    lexical = engine
    if args.hybrid:
        from community.search import vectors
        from community.search.embeddings import embedder
        from community.search.hybrid import HybridEngine

        if embedder() is None:
            print("The embedding model did not load: no hybrid run.")
            return 1
        engine = HybridEngine(engine)
    if args.reuse and len(engine.versions()) == args.docs:
        print(f"{args.engine}: reusing an index of {args.docs} threads")
    else:
        engine.clear()
        docs = documents(args.docs)
        started = time.perf_counter()
        for i in range(0, len(docs), 2000):
            lexical.index(docs[i : i + 2000])
        seconds = time.perf_counter() - started
        print(
            f"{args.engine}: indexed {len(docs)} threads in {seconds:.1f} s "
            f"({len(docs) / seconds:.0f} threads/s)"
        )
        if args.hybrid:
            embed_for_bench(docs, vectors)
    started = time.perf_counter()
    if lexical.compact():  # as a rebuild ends (community/actions/search.py)
        print(f"  merged the index into one segment in {time.perf_counter() - started:.1f} s")
    if args.hybrid:
        from django.conf import settings

        shared = Path(settings.COMMUNITY_VECTOR_SNAPSHOT_DIR)
        settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(shared / "none")
        started = time.perf_counter()
        vectors.VectorIndex().catch_up(force=True)
        print(f"  a process reads the vectors from the table in {time.perf_counter() - started:.1f} s")
        settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(shared)
        started = time.perf_counter()
        vectors.write_snapshot()
        print(f"  the worker writes the host's shared snapshot in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        vectors.index().catch_up(force=True)
        seconds = time.perf_counter() - started
        print(f"  a process maps it ({len(vectors.index())} vectors) in {seconds:.2f} s")
    if args.engine == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:  # what autovacuum does soon after a big load
            cursor.execute("VACUUM ANALYZE community_searchentry")
    # Warm up, including a query with no result: its "did you mean" loads the vocabulary,
    # which a process does once and again every ten minutes (about half a second at 50,000).
    for text in ("warm up", "the"):
        engine.search(SearchQuery(text=text))
    failed = False
    runs = [
        ("realistic 1–4 word queries", realistic_queries(), {}),
        ("very common words", common_queries(), {}),
    ]
    if args.hybrid:
        hint = {"per_page": 5, "boosts": False, "any_word": True, "snippets": True}
        runs.append(("ask-page hints (typed titles)", typed_titles(), hint))
    for label, queries, options in runs:
        p50, p95 = timed(engine, queries, **options)
        verdict = "ok" if p95 < BUDGET_MS else "OVER BUDGET"
        failed |= p95 >= BUDGET_MS
        print(
            f"  {label:<28} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   budget < {BUDGET_MS:.0f} ms   {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
