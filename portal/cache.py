"""Django's Redis cache, degrading to an empty cache while Redis is unreachable.

The cache holds only what may be lost: rate-limit counters and the health probe. When Redis is down,
reads miss, writes are dropped and `add` reports success, so every request still answers. Rate limits
therefore degrade open for the length of the outage: refusing every sign-in, sign-up and comment
while Redis is away would turn a cache outage into a portal outage, and a database fallback would put
a write on every request for a safeguard. The outage is logged and `/healthz` reports it.
"""

from __future__ import annotations

from typing import Any

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from portal.outages import Outage

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self.outage = Outage("Cache (Redis)", seconds=5)

    def _try(self, call, *args, fallback: Any = None, **kwargs) -> Any:
        if self.outage.active:
            return fallback
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as exc:
            self.outage.record(exc)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._try(super().add, key, value, timeout, version, fallback=True)

    def get(self, key, default=None, version=None) -> Any:
        return self._try(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._try(super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._try(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None) -> bool:
        return self._try(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None) -> dict:
        return self._try(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None) -> bool:
        return self._try(super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None) -> int:
        result = self._try(super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key {key!r} not found")  # what an empty cache answers
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._try(super().set_many, data, timeout, version, fallback=[])

    def delete_many(self, keys, version=None) -> None:
        self._try(super().delete_many, keys, version)

    def clear(self) -> bool:  # type: ignore[override]  # Django's Redis cache answers whether it cleared
        return self._try(super().clear, fallback=False)
