"""Redis as a cache that an outage cannot turn into 500s.

Login throttles, rate limits and page fragments live in the cache; with broker and cache
on one Redis (the README's scaled example) a Redis outage answered every log-in with a
500. Here a cache call that cannot reach Redis logs a warning (at most once a minute per
process) and behaves as an empty cache: reads miss, writes are dropped. Pages and writes
keep working; what the cache held comes back as it refills. /health/ still reports the
cache as down (it checks the backend itself, not through this wrapper's forgiveness).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("askwell.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = [0.0]


def _warn(operation: str) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= 60:
        _last_warning[0] = now
        logger.warning(
            "Cache unreachable: %s skipped (reads miss, writes are dropped)", operation, exc_info=True
        )


def _forgiving(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCache's ``name``, answering ``fallback(*args, **kwargs)`` when Redis is away."""
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE:
            _warn(name)
            return fallback(*args, **kwargs)

    return call


def _given_default(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


def _delta(key: Any, delta: int = 1, version: Any = None) -> int:
    return delta


# What each cache call answers while Redis cannot be reached: reads miss, writes are
# dropped, ``add`` says stored (a counter starts again, nothing is refused), ``incr``
# counts from nothing.
FALLBACKS: dict[str, Callable[..., Any]] = {
    "get": _given_default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "set": lambda *args, **kwargs: None,
    "add": lambda *args, **kwargs: True,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "incr": _delta,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


class ResilientRedisCache(RedisCache):
    pass


for _name, _fallback in FALLBACKS.items():
    setattr(ResilientRedisCache, _name, _forgiving(_name, _fallback))
