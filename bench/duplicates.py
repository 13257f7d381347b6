"""Similar-question hints measured on real duplicates: the known duplicate pairs
(PostLinks LinkTypeId 3) of the imported developer dumps.

The three dumps are imported with ``manage.py import_stackexchange``'s own code into a
fresh database and indexed with the product's search engine; then, for each duplicate,
its title is typed as a new question would be and the product's hint query runs (the
same ``SearchQuery`` the ask page's hints and the question page's related list use),
with the duplicate itself excluded. Reports recall@5 (the original among the five hints
shown) and MRR (reciprocal rank of the original in the first 100, else 0).

Run: ``make eval-search`` (after the SemEval evaluation; ``SHOW=1`` prints each pair's
rank). Only bicycles.meta, french.meta and conlang.meta are read; the reserved dumps never are.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["ASKWELL_VAR_DIR"] = tempfile.mkdtemp(prefix="askwell-dups-")
# A fresh SQLite database, unless EVAL_POSTGRES names an empty PostgreSQL one: then the
# PostgreSQL engine is measured on it (``EVAL_POSTGRES=postgres://…/db make eval-search``).
if os.environ.get("EVAL_POSTGRES"):
    os.environ["DATABASE_URL"] = os.environ["EVAL_POSTGRES"]
    os.environ["COMMUNITY_SEARCH_ENGINE"] = "postgres"
else:
    os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from community.actions.imports import import_dump  # noqa: E402
from community.actions.search import rebuild  # noqa: E402
from community.importers.stackexchange import read_dump  # noqa: E402
from community.models import OutboxItem, QuestionLink  # noqa: E402
from community.search import SearchQuery, get_engine  # noqa: E402
from community.search.selectors import SIMILAR_LIMIT  # noqa: E402

DUMPS = Path(__file__).resolve().parents[2] / "shared" / "data" / "stackexchange"
SITES = ("bicycles.meta.stackexchange.com", "french.meta.stackexchange.com", "conlang.meta.stackexchange.com")
DEPTH = 100


def _rank(order: list[str], target: str) -> int:
    return order.index(target) + 1 if target in order else 0


def _report(name: str, ranks: dict[str, list[int]]) -> None:
    print(f"\n{name}")
    print(f"  {'site':<36} {'pairs':>5} {'recall@1':>9} {'recall@5':>9} {'MRR':>6}")
    everything: list[int] = []
    for site, found in sorted(ranks.items()):
        everything += found
        _line(site, found)
    _line("all", everything)


def _line(site: str, found: list[int]) -> None:
    n = len(found) or 1
    at1 = 100 * sum(1 for r in found if r == 1) / n
    at5 = 100 * sum(1 for r in found if 0 < r <= SIMILAR_LIMIT) / n
    mrr = sum(1 / r for r in found if r) / n
    print(f"  {site:<36} {len(found):>5} {at1:>8.1f}% {at5:>8.1f}% {mrr:>6.3f}")


def main() -> int:
    from community.search import text as ranking
    from community.search import vectors
    from community.search.hybrid import semantic, with_vector

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    for site in SITES:
        import_dump(read_dump(DUMPS / site))
    OutboxItem.objects.all().delete()  # indexed below in one pass instead
    rebuild()
    if os.environ.get("EVAL_POSTGRES"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE community_searchentry")
    engine = get_engine()
    lexical_engine = engine.lexical  # type: ignore[attr-defined]
    vectors.index().catch_up(force=True)
    pairs = list(
        QuestionLink.objects.filter(kind="duplicate").select_related(
            "source", "target", "source__import_site"
        )
    )
    ranks: dict[str, dict[str, list[int]]] = {}
    sweep: list[tuple[str, str, dict[str, float], dict[str, float]]] = []
    for link in pairs:
        duplicate, original = link.source, link.target
        site = duplicate.import_site.domain if duplicate.import_site else "?"
        target = f"question:{original.pk}"
        # The ask page's hint query: the title as typed, by text alone, any word.
        query = SearchQuery(
            text=duplicate.title,
            per_page=DEPTH,
            snippets=False,
            boosts=False,
            any_word=True,
            exclude_keys=(f"question:{duplicate.pk}",),
        )
        lexical = lexical_engine.search(query)
        ranks.setdefault("lexical", {}).setdefault(site, []).append(
            _rank([h.key for h in lexical.hits], target)
        )
        vectored = with_vector(query)
        if vectored.vector is None:
            continue
        near = vectors.index().nearest(vectored.vector, DEPTH, exclude=query.exclude_keys)
        ranks.setdefault("semantic", {}).setdefault(site, []).append(_rank([k for k, _ in near], target))
        hybrid = lexical_engine.search(vectored)  # the product's own path
        ranks.setdefault("hybrid", {}).setdefault(site, []).append(
            _rank([h.key for h in hybrid.hits], target)
        )
        lex = {hit.key: hit.relevance for hit in lexical.hits}
        sweep.append((site, target, lex, semantic(vectored, lex)))
        if os.environ.get("SHOW"):
            print(
                ranks["lexical"][site][-1],
                ranks["hybrid"][site][-1],
                "|",
                duplicate.title,
                "|",
                original.title,
            )
    print(f"Lexical engine: {settings.COMMUNITY_SEARCH_ENGINE}")
    print(
        f"Duplicate pairs (PostLinks LinkTypeId 3) across {len(SITES)} imported dumps; the hint query is "
        f"the duplicate's title, the duplicate itself excluded; {len(pairs)} pairs"
    )
    names = {
        "lexical": "Lexical (the engine alone)",
        "semantic": "Semantic (MiniLM cosine, nearest)",
        "hybrid": f"Hybrid (weight {ranking.SEMANTIC_WEIGHT})",
    }
    for key, name in names.items():
        if key in ranks:
            _report(name, ranks[key])
    if os.environ.get("DUMP"):
        import pickle

        Path(os.environ["DUMP"]).write_bytes(pickle.dumps(sweep))
    if sweep:
        print("\nTuning the semantic weight on dev (recall@5, MRR over all pairs):")
        for tenths in range(11):
            weight = tenths / 10
            found = []
            for _site, target, lex, cos in sweep:
                fused = ranking.fuse(lex, cos, weight=weight)
                found.append(_rank(sorted(fused, key=lambda k: -fused[k]), target))
            n = len(found)
            at5 = 100 * sum(1 for r in found if 0 < r <= SIMILAR_LIMIT) / n
            print(
                f"  weight {weight:.1f}: recall@5 {at5:5.1f}%  MRR {sum(1 / r for r in found if r) / n:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
