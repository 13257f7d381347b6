"""Web, worker and beat all write to the embedded SQLite database at once: WAL, a busy
timeout and IMMEDIATE transactions mean none of them ever sees "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITERS, ITERATIONS = 4, 15


@pytest.mark.django_db
def test_concurrent_writer_processes_never_see_database_is_locked(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "ASKWELL_VAR_DIR": str(tmp_path / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.community.sqlite_writer", str(n), str(ITERATIONS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(WRITERS)
    ]
    outputs = [writer.communicate(timeout=300)[0] for writer in writers]
    for writer, output in zip(writers, outputs, strict=True):
        assert "database is locked" not in output
        assert writer.returncode == 0, output[-3000:]
    check = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from community.models import *; "
         "print(Question.objects.count(), Answer.objects.count(), "
         "sum(Question.objects.values_list('answer_count', flat=True)), "
         "Vote.objects.count(), sum(Question.objects.values_list('score', flat=True)))"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    questions, answers, answer_count, votes, score = map(int, check.stdout.split())
    assert questions == answers == answer_count == WRITERS * ITERATIONS
    assert votes == score
