"""Award badges now: to recently active members (what the beat job does) or, with --all, to everyone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from community.actions.badges import award_badges


class Command(BaseCommand):
    help = "Award every badge members have earned (--all backfills every member, in batches)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", dest="everyone", action="store_true", help="look at every member, not only recent ones"
        )
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, everyone: bool = False, batch: int = 500, **options: Any) -> None:
        if not everyone:
            self.stdout.write(f"Awarded {len(award_badges())} badge(s) to recently active members.")
            return
        ids = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
        total = 0
        for start in range(0, len(ids), batch):
            total += len(award_badges(ids[start : start + batch]))
            self.stdout.write(
                f"  {min(start + batch, len(ids))}/{len(ids)} members checked, {total} badge(s) awarded"
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {total} badge(s) awarded."))
