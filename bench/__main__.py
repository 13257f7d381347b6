"""Page latency budgets on the embedded default (SQLite), measured in-process.

Builds a throwaway database with a realistic amount of content, then times the pages a
customer hits most. Prints p50/p95 per page and exits non-zero when a budget is blown.
Run with `make bench`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORKDIR = Path(tempfile.mkdtemp(prefix="askwell-bench-"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{WORKDIR / 'bench.sqlite3'}",
        "ASKWELL_VAR_DIR": str(WORKDIR / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# Milliseconds at the 95th percentile, on this project's 2-core reference machine.
BUDGETS_MS = {"question list": 60, "question with 30 answers": 150, "home": 80, "ask (POST)": 80}
QUESTIONS, ANSWERS_ON_BIG_THREAD, RUNS = 300, 30, 40


def build() -> tuple[str, object]:
    from accounts.models import User
    from community.actions.answers import post_answer
    from community.actions.questions import ask_question
    from community.actions.reputation import adjust_reputation
    from community.actions.votes import cast_vote
    from community.models import Category

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    category = Category.objects.create(name="General", slug="general")
    users = [User.objects.create_user(username=f"bench{n}", password=None) for n in range(40)]
    for user in users:  # established members, who may create the benchmark's tags
        adjust_reputation(user, points=500, source_key=f"bench-start:{user.pk}")
        user.refresh_from_db(fields=["reputation"])
    questions = [
        ask_question(author=users[n % 40], title=f"Benchmark question number {n}", body="Body " * 40,
                     category=category, tags=[f"tag{n % 25}", "bench"])
        for n in range(QUESTIONS)
    ]  # fmt: skip
    big = questions[0]
    for n in range(ANSWERS_ON_BIG_THREAD):
        answer = post_answer(big, author=users[n + 1], body=f"Answer {n} " * 30)
        cast_vote(answer, by=users[(n + 2) % 40], value=1)
    return big.get_absolute_url(), users[0]


def timed(label: str, action, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = action()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{label}: HTTP {response.status_code}")
    p50, p95 = statistics.median(samples), statistics.quantiles(samples, n=20)[18]
    verdict = "ok" if p95 <= BUDGETS_MS[label] else "OVER BUDGET"
    print(f"{label:<28} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   budget {BUDGETS_MS[label]} ms   {verdict}")
    return p95


def main() -> int:
    setup_test_environment()
    big_thread, member = build()
    client = Client()
    client.force_login(member)
    counter = iter(range(10**6))
    results = {
        "home": timed("home", lambda: client.get("/")),
        "question list": timed("question list", lambda: client.get("/questions/?sort=active")),
        "question with 30 answers": timed("question with 30 answers", lambda: client.get(big_thread)),
        "ask (POST)": timed(
            "ask (POST)",
            lambda: client.post(
                "/questions/ask/",
                {
                    "title": f"Benchmark ask number {next(counter)}",
                    "body": "A body long enough to pass.",
                    "category": 1,
                    "tags": "bench",
                },
            ),
        ),
    }
    return 1 if any(results[label] > BUDGETS_MS[label] for label in results) else 0


if __name__ == "__main__":
    sys.exit(main())
