"""The service tier: real PostgreSQL, a real Redis broker, a real `celery worker` process.

Run it with `make test-service`, which points DATABASE_URL and CELERY_BROKER_URL at the
machine's services. When CI=true a missing service fails the run; elsewhere the tier is
skipped with a message saying so.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from config.celery import app as celery_app
from config.celery import reset_broker_connections

ROOT = Path(__file__).resolve().parents[2]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _problem() -> str | None:
    engine = django_settings.DATABASES["default"]["ENGINE"]
    broker = django_settings.CELERY_BROKER_URL
    if "postgresql" not in engine or not broker.startswith("redis://"):
        return (
            "the service tier needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis); "
            "run `make test-service`"
        )
    db = django_settings.DATABASES["default"]
    if not _reachable(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)):
        return "PostgreSQL is not reachable on 127.0.0.1:5432"
    parsed = urlparse(broker)
    if not _reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        return "Redis is not reachable on 127.0.0.1:6379"
    return None


@pytest.fixture(autouse=True)
def _services_present() -> None:
    """Fail loudly on CI when a service is missing; elsewhere skip and say why."""
    problem = _problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"SERVICE TIER CANNOT RUN ON CI: {problem}", pytrace=False)
    pytest.skip(f"SKIPPED the service tier: {problem}")


@pytest.fixture
def real_broker() -> Iterator[str]:
    """Publish for real (no eager execution), to an emptied Redis database."""
    import redis

    url = django_settings.CELERY_BROKER_URL
    redis.Redis.from_url(url).flushdb()
    celery_app.conf.task_always_eager = False
    reset_broker_connections()
    yield url
    reset_broker_connections()


@pytest.fixture
def celery_worker_process(real_broker: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A real `celery worker` subprocess on the test database and the Redis broker."""
    db = django_settings.DATABASES["default"]
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": real_broker,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "ASKWELL_VAR_DIR": str(tmp_path / "var"),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "-Q", "celery,search", "--without-gossip", "--without-mingle",
         "--hostname", f"service-test-{os.getpid()}@localhost"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(
                    "celery worker did not start:\n" + (tmp_path / "worker.log").read_text()[-4000:]
                )
        yield {"process": process, "mail_dir": mail_dir, "log": tmp_path / "worker.log", "env": env}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def celery_beat_process(celery_worker_process: dict[str, Any], tmp_path: Path) -> Iterator[subprocess.Popen]:
    """A real `celery beat` beside the worker, with the support sweep and digests every second."""
    env = {**celery_worker_process["env"], "SUPPORT_SWEEP_SECONDS": "1", "SUPPORT_DIGEST_SWEEP_SECONDS": "1"}
    log = (tmp_path / "beat.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for(condition: Any, *, timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
