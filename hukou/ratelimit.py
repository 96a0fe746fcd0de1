"""Fixed-window counters in the cache, for per-address limits (failed logins across usernames).

The cache is Redis, or a per-process fallback while Redis is down (hukou.cache): a limit then holds per
process instead of site-wide, which is still a limit.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _key(scope: str, subject: str, window: int) -> str:
    return f"ratelimit:{scope}:{subject}:{int(time.time() // window)}"


def ratelimit_count(scope: str, subject: str, *, window: int) -> int:
    return int(cache.get(_key(scope, subject, window)) or 0)


def ratelimit_hit(scope: str, subject: str, *, window: int) -> int:
    """Count one more event in the current window; returns the count so far."""
    key = _key(scope, subject, window)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1
