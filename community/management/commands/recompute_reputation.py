"""Recompute every member's reputation from the ledger, report drift, fix it with --fix."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Sum

from accounts.models import User
from community.actions.reputation import refresh_reputation
from community.models import ReputationEvent
from community.reputation import reputation_from_total


class Command(BaseCommand):
    help = "Check each member's reputation against the sum of their ledger rows (--fix repairs drift)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="write the recomputed totals")

    def handle(self, *args: Any, fix: bool = False, **options: Any) -> None:
        totals = dict(
            ReputationEvent.objects.values("user_id")
            .annotate(total=Sum("points"))
            .values_list("user_id", "total")
        )
        drifted = 0
        for user_id, username, stored in User.objects.values_list("pk", "username", "reputation").iterator():
            expected = reputation_from_total(totals.get(user_id) or 0)
            if stored == expected:
                continue
            drifted += 1
            self.stdout.write(f"{username}: stored {stored}, ledger says {expected} ({expected - stored:+d})")
            if fix:
                refresh_reputation(user_id)
        if not drifted:
            self.stdout.write(self.style.SUCCESS("Every member's reputation matches the ledger."))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"Fixed {drifted} member(s)."))
        else:
            self.stdout.write(
                self.style.WARNING(f"{drifted} member(s) drifted; run again with --fix to repair.")
            )
