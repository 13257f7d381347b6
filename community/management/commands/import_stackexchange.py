"""Import a Stack Exchange data dump folder (Posts.xml, Users.xml, …), with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from community.actions.imports import import_dump
from community.importers.stackexchange import DumpError, read_dump


class Command(BaseCommand):
    help = (
        "Import a Stack Exchange dump folder (named after its site, e.g. bicycles.meta.stackexchange.com): "
        "questions, answers, comments, placeholder authors, scores, accepted answers, tags, links. "
        "Running it again imports only what is new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            self.stderr.write(f"Reading {folder} …")
            dump = read_dump(folder)
        except (DumpError, OSError) as error:
            raise CommandError(str(error)) from error
        bars: dict[str, tqdm] = {}

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                for finished in bars.values():
                    finished.close()
                bar = bars[stage] = tqdm(total=total, desc=stage.capitalize(), unit="row", file=self.stderr)
            bar.update(done - bar.n)

        try:
            report = import_dump(dump, progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
        for line in report.lines():
            self.stdout.write(line)
