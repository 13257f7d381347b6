"""Rebuild the search index from the database, with a progress bar.

Run it while the search worker is stopped (or let the worker's reconcile job repair the
index instead): the search queue's worker is otherwise the index's only writer.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from community.actions.search import rebuild, refresh_related, snapshot_vectors
from community.models import Question
from community.search import IndexMissing, SearchQuery, get_engine


class Command(BaseCommand):
    help = "Empty the search index and index every visible thread again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument(
            "--if-missing", action="store_true", help="Only build an index that does not exist yet (deploys)."
        )
        parser.add_argument(
            "--no-related",
            action="store_true",
            help="Leave each thread's related questions to beat (large sites: it refreshes them in batches).",
        )

    def handle(
        self, *args: Any, batch: int = 500, if_missing: bool = False, no_related: bool = False, **options: Any
    ) -> None:
        if if_missing:
            try:
                get_engine().search(SearchQuery(text="index present", per_page=1))
            except IndexMissing:
                pass
            else:
                self.stdout.write("The search index is there; nothing to build.")
                return
        total = Question.objects.filter(is_deleted=False).count()
        with tqdm(total=total, unit="thread", desc="Indexing", file=self.stderr, disable=None) as bar:

            def progress(done: int, _total: int) -> None:
                bar.update(done - bar.n)

            indexed = rebuild(batch=batch, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} thread(s)."))
        if snapshot_vectors():
            self.stdout.write("Wrote the vectors' snapshot that this host's processes share.")
        if no_related:
            return
        ids = list(Question.objects.filter(is_deleted=False).order_by("pk").values_list("pk", flat=True))
        with tqdm(total=len(ids), unit="thread", desc="Related", file=self.stderr, disable=None) as bar:
            for start in range(0, len(ids), batch):
                refresh_related(ids[start : start + batch])
                bar.update(min(batch, len(ids) - start))
        self.stdout.write(self.style.SUCCESS(f"Related questions worked out for {len(ids)} thread(s)."))
