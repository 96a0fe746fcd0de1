"""The cache backend: Redis, and a process-local stand-in while Redis is unreachable.

Throttles, per-address limits and the policy catalogue's shared version live in the cache; none of
them may turn a Redis outage into HTTP 500s. On a connection error this backend answers from a
process-local memory cache (limits then hold per process, the catalogue checks its version locally),
logs the outage once, tries Redis again every RETRY_AFTER seconds and logs once more when it is back.
Sessions are in the database and are not affected.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("hukou.cache")

RETRY_AFTER = 5.0
REDIS_DOWN = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)
WRAPPED = ("get", "set", "add", "delete", "get_many", "set_many", "delete_many", "incr", "decr", "has_key",
           "touch", "clear", "delete_pattern")


class _Outage:
    """One state per process (cache objects are per thread): when Redis failed, when to try again."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0

    def active(self) -> bool:
        return self.since is not None and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        with self.lock:
            if self.since is None:
                self.since = time.monotonic()
                logger.warning("cache: Redis is unreachable (%s); using a per-process cache until it is back",
                               error.__class__.__name__)
            self.retry_at = time.monotonic() + RETRY_AFTER

    def answered(self) -> None:
        if self.since is not None:
            with self.lock:
                if self.since is not None:
                    logger.warning("cache: Redis is back after %.0f s", time.monotonic() - self.since)
                    self.since = None


outage = _Outage()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache("hukou-redis-fallback", {"TIMEOUT": params.get("TIMEOUT", 300),
                                                               "OPTIONS": {"MAX_ENTRIES": 10_000}})


def _from_fallback(cache: ResilientRedisCache, name: str, *args, **kwargs):
    if name == "delete_pattern":  # a local stand-in holds little: dropping it all is the safe answer
        cache._fallback.clear()
        return 0
    return getattr(cache._fallback, name)(*args, **kwargs)


def _resilient(name: str):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if outage.active():
            return _from_fallback(self, name, *args, **kwargs)
        try:
            result = redis_method(self, *args, **kwargs)
        except REDIS_DOWN as error:
            outage.failed(error)
            return _from_fallback(self, name, *args, **kwargs)
        outage.answered()
        return result

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


for _name in WRAPPED:
    setattr(ResilientRedisCache, _name, _resilient(_name))
