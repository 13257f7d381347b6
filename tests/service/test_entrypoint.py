"""The entrypoint that `make run` and the container image use (bin/askwell), for real:
on PostgreSQL and Redis it migrates, starts web, both workers and beat, answers /health/
with every check green, and stops every process within seconds of one SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings as django_settings

from tests.service.conftest import ROOT, wait_for
from tests.service.together import free_port

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


def _running(pgid: int) -> bool:
    states = subprocess.run(["ps", "-o", "stat=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return any(state and not state.startswith("Z") for state in states.split())


def test_the_entrypoint_serves_with_workers_and_beat_and_stops_on_sigterm(real_broker, tmp_path):
    db = django_settings.DATABASES["default"]
    port = free_port()
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{host}/{db['NAME']}",
        "CELERY_BROKER_URL": real_broker,
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "ASKWELL_VAR_DIR": str(tmp_path / "var"),
        "ASKWELL_BIND": f"127.0.0.1:{port}",
        "COMMUNITY_OUTBOX_SWEEP_SECONDS": "2",  # beat's heartbeat job, soon
        "WEB_CONCURRENCY": "1",
    }
    subprocess.run([str(ROOT / "bin" / "askwell"), "migrate"], cwd=ROOT, env=env, check=True, timeout=300)
    log = (tmp_path / "askwell.log").open("w")
    process = subprocess.Popen([str(ROOT / "bin" / "askwell"), "all"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        report = wait_for(lambda: (lambda r: r[1] if r[0] == 200 else None)(_health(port)), timeout=120,
                          what="/health/ to answer 200")  # fmt: skip
        assert report["status"] == "ok" and all(check["ok"] for check in report["checks"].values()), report
        children = [int(pid) for pid in subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                                       text=True).stdout.split()]  # fmt: skip
        assert len(children) == 4, children  # web, worker, search worker, beat
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert time.monotonic() - started < 15
        assert not [pgid for pgid in children if _running(pgid)]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        print((tmp_path / "askwell.log").read_text()[-3000:])
