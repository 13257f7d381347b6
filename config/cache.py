"""Redis as a cache that an outage cannot turn into 500s.

Login throttles, rate limits and page fragments live in the cache; with broker and cache
on one Redis (the README's scaled example) a Redis outage answered every log-in with a
500. Here a cache call that cannot reach Redis logs a warning (at most once a minute per
process) and behaves as an empty cache: reads miss, writes are dropped. Pages and writes
keep working; what the cache held comes back as it refills. /health/ still reports the
cache as down (it checks the backend itself, not through this wrapper's forgiveness).
"""

from __future__ import annotations

import logging
import time
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


class ResilientRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE:
            _warn("get")
            return default

    def get_many(self, keys: Any, version: Any = None) -> Any:
        try:
            return super().get_many(keys, version)
        except UNREACHABLE:
            _warn("get_many")
            return {}

    def has_key(self, key: Any, version: Any = None) -> bool:
        try:
            return super().has_key(key, version)
        except UNREACHABLE:
            _warn("has_key")
            return False

    def set(self, key: Any, value: Any, timeout: Any = ..., version: Any = None) -> None:  # type: ignore[override]
        try:
            if timeout is ...:
                super().set(key, value, version=version)
            else:
                super().set(key, value, timeout, version)
        except UNREACHABLE:
            _warn("set")

    def add(self, key: Any, value: Any, timeout: Any = ..., version: Any = None) -> bool:  # type: ignore[override]
        try:
            if timeout is ...:
                return super().add(key, value, version=version)
            return super().add(key, value, timeout, version)
        except UNREACHABLE:
            _warn("add")
            return True  # as if stored: a counter starts again, nothing is refused

    def set_many(self, data: Any, timeout: Any = ..., version: Any = None) -> list[Any]:  # type: ignore[override]
        try:
            if timeout is ...:
                return super().set_many(data, version=version)
            return super().set_many(data, timeout, version)
        except UNREACHABLE:
            _warn("set_many")
            return []

    def touch(self, key: Any, timeout: Any = ..., version: Any = None) -> bool:  # type: ignore[override]
        try:
            if timeout is ...:
                return super().touch(key, version=version)
            return super().touch(key, timeout, version)
        except UNREACHABLE:
            _warn("touch")
            return False

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE:
            _warn("incr")
            return delta

    def delete(self, key: Any, version: Any = None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE:
            _warn("delete")
            return False

    def delete_many(self, keys: Any, version: Any = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNREACHABLE:
            _warn("delete_many")

    def clear(self) -> None:
        try:
            super().clear()
        except UNREACHABLE:
            _warn("clear")
