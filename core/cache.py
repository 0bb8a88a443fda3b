"""A Redis cache that only speeds things up: when Redis is unreachable every operation answers
as a miss (or "done") instead of raising, so pages render and writes commit from PostgreSQL.

After a failure the cache is skipped for `RETRY_SECONDS` (per process), so a dead or
black-holed Redis costs a request nothing rather than a connection timeout per lookup; failures
are logged at most once per `LOG_SECONDS`. What decides who sees what never lives only here
(the audience generation is a PostgreSQL row, see `segments.membership`).

A write or delete skipped during an outage is not replayed: an entry may then be stale until its
own timeout. Keys that must never serve stale data embed a version read from PostgreSQL."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
LOG_SECONDS = 60.0

_state_lock = threading.Lock()
_down_until = {}  # location -> monotonic time until which Redis is not tried
_last_logged = {}
_skipped = {}


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every operation (its command table is
    built anew each time: about 0.3 ms); one per connection pool is enough (thread-safe)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def _available(self):
        until = _down_until.get(self._server_key)
        return until is None or time.monotonic() >= until

    @property
    def _server_key(self):
        return str(self._servers)

    def _failed(self, operation, error):
        now = time.monotonic()
        key = self._server_key
        with _state_lock:
            _down_until[key] = now + RETRY_SECONDS
            _skipped[key] = _skipped.get(key, 0) + 1
            if now - _last_logged.get(key, -LOG_SECONDS) < LOG_SECONDS:
                return
            _last_logged[key] = now
            skipped, _skipped[key] = _skipped[key], 0
        log.warning(
            "cache: Redis unavailable (%s: %s); serving without the cache (%s failed "
            "operations since the last report)",
            operation,
            error,
            skipped,
        )

    def _call(self, operation, fallback, *args, **kwargs):
        if not self._available():
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            self._failed(operation, error)
            return fallback
        _down_until.pop(self._server_key, None)
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # "Added": a cache that is away must not become a lock nobody can take (allauth's rate
        # limits spin on `add` for a second, then refuse the request).
        return self._call("add", True, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return result

    def clear(self):
        return self._call("clear", False)
