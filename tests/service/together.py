"""Run work on many threads at the same moment, each on its own database connection."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import redis
from django.db import connections


def all_at_once(
    work: Callable[[Any], Any], inputs: Sequence[Any], *, refused: tuple[type[BaseException], ...] = ()
) -> tuple[list[Any], list[Any]]:
    """Call ``work(input)`` for every input, each on its own thread (and so its own
    connection), released together by a barrier. Returns the inputs whose call finished and
    those refused with one of the ``refused`` exceptions; anything else raised fails the
    test with the first error."""
    barrier = threading.Barrier(len(inputs))
    done: list[Any] = []
    turned_away: list[Any] = []
    errors: list[BaseException] = []

    def run(value: Any) -> None:
        try:
            barrier.wait(timeout=60)
            work(value)
            done.append(value)
        except refused:
            turned_away.append(value)
        except BaseException as error:  # reported below, with its own traceback
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(value,)) for value in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return done, turned_away


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1 (for a server the test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(port: int, directory: Path) -> subprocess.Popen:
    """A Redis of the test's own on ``port`` (never the machine's), answering when returned."""
    from tests.service.conftest import wait_for

    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def answers() -> bool:
        try:
            return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
        except redis.exceptions.ConnectionError:
            return False

    wait_for(answers, what="the test's own Redis")
    return server


def redis_cache(port: int) -> dict[str, Any]:
    """CACHES for the production cache backends on a test's own Redis (as CACHE_URL
    configures them: the page cache on the same Redis, under its own prefix)."""
    redis = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    return {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
