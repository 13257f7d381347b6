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


def main() -> int:
    originals, threads, gold = load()
    engine = WhooshEngine(tempfile.mkdtemp(prefix="askwell-semeval-"))
    engine.clear()
    engine.index(list({doc.key: doc for doc in threads.values()}.values()))
    ours: dict[str, list[bool]] = {}
    baseline: dict[str, list[bool]] = {}
    for qid, candidates in gold.items():
        by_ir = sorted(candidates, key=lambda c: c[1])
        baseline[qid] = [relevant for _, _, relevant in by_ir]
        results = engine.search(SearchQuery(text=originals[qid], per_page=len(threads), snippets=False))
        position = {hit.key: i for i, hit in enumerate(results.hits)}
        unseen = len(position)
        ordered = sorted(by_ir, key=lambda c: (position.get(threads[c[0]].key, unseen), c[1]))
        ours[qid] = [relevant for _, _, relevant in ordered]
    answerable = sum(1 for labels in ours.values() if any(labels))
    print(
        f"SemEval-2016 Task 3 subtask B, dev: {len(gold)} original questions, {answerable} with relevant ones"
    )
    print(f"{'ranking':<34} {'MAP':>6} {'MRR':>6} {'P@1':>6}")
    for name, rankings in (
        ("IR baseline (the task's order)", baseline),
        ("Askwell search (Whoosh BM25F)", ours),
    ):
        m, r, p = metrics(rankings)
        print(f"{name:<34} {m:6.2f} {r:6.2f} {p:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
