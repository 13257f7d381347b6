"""Recompute the denormalized counters (scores, answer and "I have this too" counts).

A score is the post's imported baseline (its score on the source site, 0 for native
posts) plus the sum of its local votes: recounting adds to that baseline, never resets it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from community.models import Answer, MeToo, Question, Vote


def _sum_of_votes(field: str) -> Coalesce:
    votes = (
        Vote.objects.filter(**{field: OuterRef("pk")})
        .values(field)
        .annotate(total=Sum("value"))
        .values("total")
    )
    return Coalesce(Subquery(votes, output_field=IntegerField()), Value(0))


class Command(BaseCommand):
    help = "Check question and answer counters against the rows they summarise (--fix repairs drift)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="write the recomputed counters")

    def handle(self, *args: Any, fix: bool = False, **options: Any) -> None:
        drifted = 0
        questions = Question.objects.annotate(
            true_score=_sum_of_votes("question"),
            true_answers=Count("answers", filter=Q(answers__is_deleted=False), distinct=True),
            true_me_too=Coalesce(
                Subquery(
                    MeToo.objects.filter(question=OuterRef("pk"))
                    .values("question")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        for q in questions.iterator():
            wanted = {
                "score": q.imported_score + q.true_score,
                "answer_count": q.true_answers,
                "me_too_count": q.true_me_too,
            }
            wrong = {k: v for k, v in wanted.items() if getattr(q, k) != v}
            if wrong:
                drifted += 1
                self.stdout.write(f"question {q.pk}: {wrong}")
                if fix:
                    Question.objects.filter(pk=q.pk).update(**wrong)
        for a in Answer.objects.annotate(true_score=_sum_of_votes("answer")).iterator():
            true_score = a.imported_score + a.true_score
            if a.score != true_score:
                drifted += 1
                self.stdout.write(f"answer {a.pk}: score {a.score} → {true_score}")
                if fix:
                    Answer.objects.filter(pk=a.pk).update(score=true_score)
        verdict = "Fixed" if fix else "Found"
        style = self.style.SUCCESS if fix or not drifted else self.style.WARNING
        self.stdout.write(style(f"{verdict} {drifted} drifted row(s)."))
