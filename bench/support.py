"""Support at scale (``make bench-support``): the sweep, the dashboard and the queue on
100,000 questions, with the query plans of their main queries.

    python -m bench.support --questions 100000                # SQLite (a throwaway file)
    DATABASE_URL=postgres://… python -m bench.support         # PostgreSQL

Builds a year of questions (60 % answered, 35 % solved, 5 % escalated), runs the sweep
once to settle, then times a steady-state sweep, the dashboard for 30 and 365 days, and
the queue's first page, and the review queues (50,000 settled items, 2,000 open ones,
some skipped by the reviewer): the header's badge counts and the first page; prints each
query plan. Budgets: sweep and queue < 500 ms, 30-day dashboard < 2 s, review badges
< 50 ms, review page < 200 ms. Timing numbers, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta

BUDGETS_MS = {
    "steady-state sweep": 500,
    "queue, first page": 500,
    "dashboard, 30 days": 2000,
    # Every page a reviewer opens counts the review queues for the header's badges.
    "review badges (header)": 50,
    "review queue, first page": 200,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ASKWELL_VAR_DIR", tempfile.mkdtemp(prefix="askwell-bench-support-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import User
    from community.models import Answer, Category, Question, ReviewItem
    from community.querysets import review_counts as counts
    from support.actions.escalations import _first_replies, sweep
    from support.dashboard import measure
    from support.models import OPEN_STATES, Escalation

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    for model in (ReviewItem, Escalation, Answer, Question):
        model.objects.all().delete()
    rng = random.Random(100_000)
    now = timezone.now()
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", display_name=f"Bench {i}") for i in range(1000)], ignore_conflicts=True
    )
    users = list(User.objects.filter(username__startswith="bench"))
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    questions = []
    for i in range(args.questions):
        created = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        questions.append(
            Question(
                title=f"Bench question {i} about invoices", body="Body", body_html="<p>Body</p>",
                author=rng.choice(users), category=category, created_at=created, last_activity_at=created,
            )
        )  # fmt: skip
    Question.objects.bulk_create(questions, batch_size=5000)
    answers = [
        Answer(question_id=question.pk, author=rng.choice(users), body="Answer", body_html="<p>Answer</p>",
               created_at=question.created_at + timedelta(hours=rng.uniform(0.1, 30)))
        for question in Question.objects.filter(title__startswith="Bench question").only("pk", "created_at")
        if rng.random() < 0.6
    ]  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=5000)
    solved = {}
    for answer in Answer.objects.only("pk", "question_id"):
        if rng.random() < 0.58:
            solved[answer.question_id] = answer.pk
    for question_id, answer_id in solved.items():
        Question.objects.filter(pk=question_id).update(accepted_answer_id=answer_id, answer_count=1)
    escalations = [
        Escalation(question_id=pk, reason="first_reply",
                   state=rng.choice(["open", "assigned", "resolved", "closed"]), priority=rng.randint(0, 100),
                   due_at=now - timedelta(hours=rng.randint(-48, 500)),
                   created_at=now - timedelta(hours=rng.randint(0, 8000)), updated_at=now)
        for pk in rng.sample(list(Question.objects.values_list("pk", flat=True)), args.questions // 20)
    ]  # fmt: skip
    Escalation.objects.bulk_create(escalations, batch_size=5000, ignore_conflicts=True)
    reviewer = users[0]
    question_ids = list(Question.objects.values_list("pk", flat=True))
    kinds = ["flag", "first_post", "close", "reopen"]
    ReviewItem.objects.bulk_create(
        [ReviewItem(question_id=pk, kind=kinds[n % 4], state="open" if n < 2000 else "done", priority=n % 5,
                    created_at=now - timedelta(minutes=n), updated_at=now)
         for n, pk in enumerate(rng.sample(question_ids, min(52_000, len(question_ids))))],
        batch_size=5000,
    )  # fmt: skip
    for item in ReviewItem.objects.filter(state="open")[:300]:
        item.skipped_by.add(reviewer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{connection.vendor}: built {args.questions} questions in {time.perf_counter() - started:.0f} s")
    first = time.perf_counter()
    sweep()
    print(
        f"  first sweep (escalates the backlog of the lookback window): {time.perf_counter() - first:.1f} s"
    )

    timings = {}
    for label, run in [
        ("steady-state sweep", sweep),
        ("queue, first page", lambda: list(
            Escalation.objects.filter(state__in=OPEN_STATES)
            .select_related("question__category", "question__author", "assignee")
            .order_by("due_at", "-priority", "pk")[:20]
        )),
        ("dashboard, 30 days", lambda: measure(now - timedelta(days=30), now)),
        ("dashboard, 365 days", lambda: measure(now - timedelta(days=365), now)),
        ("review badges (header)", lambda: counts(reviewer)),
        ("review queue, first page", lambda: list(
            ReviewItem.objects.for_reviewer(reviewer)
            .select_related("question", "answer__question", "comment", "assignee")[:20]
        )),
    ]:  # fmt: skip
        samples = []
        for _ in range(3):
            begin = time.perf_counter()
            run()
            samples.append((time.perf_counter() - begin) * 1000)
        timings[label] = min(samples)
    failed = False
    for label, ms in timings.items():
        budget = BUDGETS_MS.get(label)
        verdict = "" if budget is None else ("ok" if ms < budget else "OVER BUDGET")
        failed |= verdict == "OVER BUDGET"
        print(f"  {label:<24} {ms:8.1f} ms   {f'budget < {budget} ms' if budget else '':<18} {verdict}")
    print("\nQuery plans:")
    sweep_candidates = _first_replies().filter(
        is_deleted=False, import_site__isnull=True, accepted_answer__isnull=True,
        created_at__lte=now - timedelta(hours=4), created_at__gte=now - timedelta(days=30),
        escalations__isnull=True,
    )  # fmt: skip
    queue = Escalation.objects.filter(state__in=OPEN_STATES).order_by("due_at", "-priority", "pk")[:20]
    dashboard = Question.objects.filter(
        import_site__isnull=True,
        is_deleted=False,
        created_at__gte=now - timedelta(days=30),
        created_at__lt=now,
    )
    for label, queryset in [
        ("sweep candidates", sweep_candidates),
        ("queue", queue),
        ("dashboard", dashboard),
        (
            "review badges",
            ReviewItem.objects.for_reviewer(reviewer).values_list("kind").annotate(n=Count("pk")),
        ),
        ("review queue", ReviewItem.objects.for_reviewer(reviewer)[:20]),
    ]:
        print(f"-- {label}\n{queryset.explain()}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
