"""Django's Redis cache, failing open: while Redis is unreachable it behaves as the DummyCache.

The cache holds nothing that must not be lost (computed values, rate-limit counters), and a web
page must not fail because Redis restarts: a miss costs some work, a lost counter lets a few more
requests through for a moment. The redis client reconnects by itself once Redis is back.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60
_last_warning = [0.0]


def _warn(error: Exception) -> None:
    # Once a minute per process: with Redis down every request would log it otherwise.
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("Redis cache unavailable, going on without it: %s", error)


def _fail_open(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            _warn(error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    return wrapper


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # what incr says of a key the cache does not hold


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis for every operation, and its constructor builds
    some 170 response callbacks each time (about 0.2 ms: a fifth of an API call's own time here).
    One per connection pool is enough: a redis.Redis takes a connection from its pool for each
    command and is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# The counter's first hit gives it its expiry; both in one script, so never one without the other.
_HIT = (
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._hit_scripts = {}  # id(redis client) -> its registered counter script

    # The DummyCache's answers: nothing stored, nothing found.
    add = _fail_open("add", True)
    get = _fail_open("get", lambda key, default=None, *args, **kwargs: default)
    set = _fail_open("set", None)
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    get_many = _fail_open("get_many", lambda *args, **kwargs: {})
    has_key = _fail_open("has_key", False)
    incr = _fail_open("incr", _missing_key)
    set_many = _fail_open("set_many", lambda *args, **kwargs: [])
    delete_many = _fail_open("delete_many", None)
    clear = _fail_open("clear", None)

    def hit(self, key, timeout: int, version=None) -> int:
        """One more on the counter `key`, made to live `timeout` seconds; its new count. One round
        trip, atomic (a script: Redis runs it whole, before any other command): concurrent hits
        are all counted, and a counter is never left without its expiry. A script costs the
        client less than MULTI/EXEC. Nothing counts while Redis is away."""
        key = self.make_and_validate_key(key, version=version)
        try:
            client = self._cache.get_client(key, write=True)
            script = self._hit_scripts.get(id(client))
            if script is None:  # EVALSHA, and the script loaded again after a Redis restart
                script = self._hit_scripts[id(client)] = client.register_script(_HIT)
            return int(script(keys=[key], args=[timeout]))
        except UNAVAILABLE as error:
            _warn(error)
            return 0


def hit(cache, key: str, timeout: int) -> int:
    """One more on the counter `key` in `cache`, which lives `timeout` seconds from its first hit;
    its new count. In Redis one atomic round trip; elsewhere (local memory, tests) add and incr."""
    if hasattr(cache, "hit"):  # ResilientRedisCache, also behind django.core.cache.cache's proxy
        return cache.hit(key, timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired or culled since the add: this is the first hit again
        cache.add(key, 1, timeout)
        return 1
