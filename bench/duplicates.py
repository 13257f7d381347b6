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
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

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


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    for site in SITES:
        import_dump(read_dump(DUMPS / site))
    OutboxItem.objects.all().delete()  # indexed below in one pass instead
    rebuild()
    engine = get_engine()
    pairs = list(
        QuestionLink.objects.filter(kind="duplicate").select_related(
            "source", "target", "source__import_site"
        )
    )
    per_site: dict[str, list[float]] = {}
    found_at_5: dict[str, int] = {}
    for link in pairs:
        duplicate, original = link.source, link.target
        results = engine.search(
            SearchQuery(
                text=duplicate.title,
                per_page=DEPTH,
                snippets=False,
                exclude_keys=(f"question:{duplicate.pk}",),
            )
        )
        ranked = [hit.question_id for hit in results.hits]
        rank = ranked.index(original.pk) + 1 if original.pk in ranked else 0
        if os.environ.get("SHOW"):
            print(rank, "|", duplicate.title, "|", original.title)
        site = duplicate.import_site.domain if duplicate.import_site else "?"
        per_site.setdefault(site, []).append(1 / rank if rank else 0.0)
        found_at_5[site] = found_at_5.get(site, 0) + (1 if 0 < rank <= SIMILAR_LIMIT else 0)
    print(
        f"Duplicate pairs (PostLinks LinkTypeId 3) across {len(SITES)} imported dumps, "
        "hint query = the duplicate's title"
    )
    print(f"{'site':<36} {'pairs':>5} {'recall@5':>9} {'MRR':>6}")
    total_rr: list[float] = []
    for site, rrs in sorted(per_site.items()):
        total_rr += rrs
        print(
            f"{site:<36} {len(rrs):>5} {100 * found_at_5[site] / len(rrs):>8.1f}% {sum(rrs) / len(rrs):>6.3f}"
        )
    n = len(total_rr) or 1
    recall = 100 * sum(found_at_5.values()) / n
    print(f"{'all':<36} {len(total_rr):>5} {recall:>8.1f}% {sum(total_rr) / n:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
