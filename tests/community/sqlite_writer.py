"""A separate process that writes through the actions (used by the SQLite concurrency test).

Usage: python -m tests.community.sqlite_writer <worker-number> <iterations>
DATABASE_URL must point at a migrated SQLite file shared with the other writers.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from accounts.models import User  # noqa: E402
from community.actions.answers import post_answer  # noqa: E402
from community.actions.questions import ask_question  # noqa: E402
from community.actions.reputation import adjust_reputation  # noqa: E402
from community.actions.votes import cast_vote  # noqa: E402
from community.models import Question  # noqa: E402


def main(worker: int, iterations: int) -> None:
    me = User.objects.create_user(username=f"writer{worker}", password=None)
    adjust_reputation(me, points=200, source_key=f"writer:{worker}")
    me.refresh_from_db()
    for n in range(iterations):
        question = ask_question(
            author=me,
            title=f"Writer {worker} question {n}",
            body="Concurrent body text.",
            category=None,
            tags=[],
        )
        post_answer(question, author=me, body="An answer written concurrently.")
        other = Question.objects.exclude(author=me).order_by("?").first()
        if other is not None:
            cast_vote(other, by=me, value=1)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
