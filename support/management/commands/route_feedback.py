"""Route every thread tagged as feedback again (after teams' product tags change, or an
import): idempotent, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from community.models import Question
from support.actions.feedback import feedback_tags, route_feedback
from support.models import FeedbackItem


class Command(BaseCommand):
    help = "Route every feedback-tagged thread to its product teams (or triage) again."

    def handle(self, *args: Any, **options: Any) -> None:
        threads = Question.objects.filter(tags__name__in=feedback_tags()).distinct()
        stale = (
            Question.objects.filter(feedback_items__isnull=False)
            .exclude(pk__in=threads.values("pk"))
            .distinct()
        )
        todo = list(threads.values_list("pk", flat=True)) + list(stale.values_list("pk", flat=True))
        for pk in tqdm(todo, desc="Routing", unit="thread", file=self.stderr, disable=None):
            route_feedback(Question.objects.get(pk=pk))
        owned = FeedbackItem.objects.filter(team__isnull=False).count()
        triage = FeedbackItem.objects.filter(team__isnull=True).count()
        self.stdout.write(f"Routed {len(todo)} thread(s): {owned} team item(s), {triage} in triage.")
