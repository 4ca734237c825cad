"""A Redis cache that degrades to "no cache" while Redis is unreachable, so pages keep working.

While Redis is down every read is a miss and writes are dropped; login rate limits (kept in the cache)
are therefore not enforced until Redis is back — availability over throttling, logged as a warning.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger("satusama.cache")
_last_warning = 0.0


def _degrade(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (self._lib.exceptions.ConnectionError, self._lib.exceptions.TimeoutError) as exc:
                global _last_warning
                if time.monotonic() - _last_warning > 60:
                    _last_warning = time.monotonic()
                    log.warning("Redis cache unreachable, serving without cache: %s", exc)
                return fallback(*args, **kwargs) if callable(fallback) else fallback
        return wrapper
    return decorate


class ResilientRedisCacheClient(RedisCacheClient):
    add = _degrade(True)(RedisCacheClient.add)  # "stored": locks built on add() must not block the site
    get = _degrade(lambda key, default: default)(RedisCacheClient.get)
    set = _degrade(None)(RedisCacheClient.set)
    touch = _degrade(False)(RedisCacheClient.touch)
    delete = _degrade(False)(RedisCacheClient.delete)
    get_many = _degrade({})(RedisCacheClient.get_many)
    has_key = _degrade(False)(RedisCacheClient.has_key)
    incr = _degrade(lambda key, delta: delta)(RedisCacheClient.incr)
    set_many = _degrade([])(RedisCacheClient.set_many)
    delete_many = _degrade(None)(RedisCacheClient.delete_many)
    clear = _degrade(False)(RedisCacheClient.clear)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
