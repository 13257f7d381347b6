"""Similar-question ranking on SemEval-2016 Task 3 subtask B (dev), with the product's own
search engine and ranking code.

Every related question of the dev set (its subject, body and comments: a thread) is indexed
once; for each original question, its subject and body are the query, and its 10
candidates are ordered by where the engine ranks them (unretrieved ones keep the task's
original search-engine order, after the retrieved ones). Reports MAP, MRR and P@1 with
the task's definitions (binary relevance: PerfectMatch/Relevant = true; averaged over all
original questions, those without a relevant candidate counting 0, which reproduces the
official IR baseline's 71.35 MAP), next to the same metrics for the task's IR order.

Run: ``make eval-search`` (the reserved test split is never read).
"""

from __future__ import annotations

import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ASKWELL_VAR_DIR", tempfile.mkdtemp(prefix="askwell-eval-"))

import django

django.setup()

from community.search import SearchDocument, SearchQuery  # noqa: E402
from community.search.whoosh_engine import WhooshEngine  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2016-task3-cqa-ql" / "dev"


def load() -> tuple[dict[str, str], dict[str, SearchDocument], dict[str, list[tuple[str, int, bool]]]]:
    originals: dict[str, str] = {}
    threads: dict[str, SearchDocument] = {}
    root = ET.parse(DEV / "SemEval2016-Task3-CQA-QL-dev.xml").getroot()  # noqa: S314 (a fixed, local file)
    for org in root.iter("OrgQuestion"):
        qid = org.get("ORGQ_ID", "")
        originals[qid] = f"{org.findtext('OrgQSubject') or ''} {org.findtext('OrgQBody') or ''}"
        for thread in org.iter("Thread"):
            rel = thread.find("RelQuestion")
            if rel is None:
                continue
            rid = rel.get("RELQ_ID", "")
            comments = " ".join(c.findtext("RelCText") or "" for c in thread.iter("RelComment"))
            threads[rid] = SearchDocument(
                key=f"question:{len(threads) + 1}" if rid not in threads else threads[rid].key,
                kind="question",
                question_id=len(threads) + 1,
                title=rel.findtext("RelQSubject") or "",
                body=f"{rel.findtext('RelQBody') or ''}\n\n{comments}",
                tags=(),
                category="",
                solved=False,
                score=0,
                created_at=datetime(2016, 1, 1, tzinfo=UTC),
                version=rid,
            )
    gold: dict[str, list[tuple[str, int, bool]]] = defaultdict(list)
    for line in (DEV / "SemEval2016-Task3-CQA-QL-dev.xml.subtaskB.relevancy").read_text().splitlines():
        qid, rid, rank, _score, label = line.split("\t")
        gold[qid].append((rid, int(rank), label == "true"))
    return originals, threads, gold


def metrics(rankings: dict[str, list[bool]]) -> tuple[float, float, float]:
    """MAP, MRR and P@1 (percent) over all original questions; as in the official scorer,
    a question with no relevant candidate counts 0 (so no ranking can reach 100)."""
    aps, rrs, p1s = [], [], []
    for labels in rankings.values():
        if not any(labels):
            aps.append(0.0)
            rrs.append(0.0)
            p1s.append(0.0)
            continue
        hits, precisions = 0, []
        for position, relevant in enumerate(labels, start=1):
            if relevant:
                hits += 1
                precisions.append(hits / position)
        aps.append(sum(precisions) / hits)
        rrs.append(1 / (labels.index(True) + 1))
        p1s.append(1.0 if labels[0] else 0.0)
    n = len(aps) or 1
    return 100 * sum(aps) / n, 100 * sum(rrs) / n, 100 * sum(p1s) / n


def _ranked(candidates: list[tuple[str, int, bool]], order: dict[str, int]) -> list[bool]:
    """The candidates' labels in ``order`` (by related-question id); those it leaves out
    keep the task's IR order, after the others."""
    unseen = len(order)
    by_ir = sorted(candidates, key=lambda c: c[1])
    return [relevant for _, _, relevant in sorted(by_ir, key=lambda c: (order.get(c[0], unseen), c[1]))]


def main() -> int:
    from django.core.management import call_command

    from community.search import text as ranking
    from community.search.embeddings import embedder
    from community.search.hybrid import HybridEngine

    call_command("migrate", verbosity=0)
    originals, threads, gold = load()
    lexical_engine = WhooshEngine(tempfile.mkdtemp(prefix="askwell-semeval-"))
    engine = HybridEngine(lexical_engine)
    engine.clear()
    engine.index(list({doc.key: doc for doc in threads.values()}.values()))
    model = embedder()
    by_key = {doc.key: rid for rid, doc in threads.items()}
    rankings: dict[str, dict[str, list[bool]]] = defaultdict(dict)
    scores: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
    for qid, candidates in gold.items():
        rankings["IR baseline (the task's order)"][qid] = [
            r for _, _, r in sorted(candidates, key=lambda c: c[1])
        ]
        query = SearchQuery(text=originals[qid], per_page=len(threads), snippets=False)
        lexical = lexical_engine.search(query)
        order = {by_key[hit.key]: i for i, hit in enumerate(lexical.hits)}
        rankings["Askwell lexical (Whoosh BM25F)"][qid] = _ranked(candidates, order)
        lex_scores = {by_key[hit.key]: hit.relevance for hit in lexical.hits}
        if model is None:
            continue
        vector = model.embed([originals[qid]])[0]
        wanted = [threads[rid].key for rid, _, _ in candidates]
        cosines = {by_key[k]: v for k, v in engine_index_similarity(vector, wanted).items()}
        scores[qid] = (lex_scores, cosines)
        order = {rid: i for i, rid in enumerate(sorted(cosines, key=lambda r: -cosines[r]))}
        rankings["Askwell semantic (MiniLM cosine)"][qid] = _ranked(candidates, order)
        hybrid = engine.search(query)  # the product's own path: the vector, fused in the engine
        order = {by_key[hit.key]: i for i, hit in enumerate(hybrid.hits)}
        rankings[f"Askwell hybrid (weight {ranking.SEMANTIC_WEIGHT})"][qid] = _ranked(candidates, order)
    answerable = sum(1 for labels in rankings["IR baseline (the task's order)"].values() if any(labels))
    print(
        f"SemEval-2016 Task 3 subtask B, dev: {len(gold)} original questions, {answerable} with relevant ones"
    )
    print(f"{'ranking':<40} {'MAP':>6} {'MRR':>6} {'P@1':>6}")
    for name, ranked in rankings.items():
        m, r, p = metrics(ranked)
        print(f"{name:<40} {m:6.2f} {r:6.2f} {p:6.2f}")
    if os.environ.get("DUMP"):
        import pickle

        Path(os.environ["DUMP"]).write_bytes(pickle.dumps((scores, dict(gold))))
    if scores:
        print("\nTuning the semantic weight on dev (the 10 candidates' fused scores):")
        for tenths in range(11):
            weight = tenths / 10
            swept = {}
            for qid, (lex, cos) in scores.items():
                fused = ranking.fuse({r: v for r, v in lex.items() if r in cos}, cos, weight=weight)
                order = {rid: i for i, rid in enumerate(sorted(fused, key=lambda r: -fused[r]))}
                swept[qid] = _ranked(gold[qid], order)
            m, r, p = metrics(swept)
            print(f"  weight {weight:.1f}: MAP {m:6.2f}  MRR {r:6.2f}  P@1 {p:6.2f}")
    return 0


def engine_index_similarity(vector: object, keys: list[str]) -> dict[str, float]:
    from community.search import vectors

    index = vectors.index()
    index.catch_up(force=True)
    return index.similarity(vector, keys)


if __name__ == "__main__":
    sys.exit(main())
