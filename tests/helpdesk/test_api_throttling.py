"""The API's rate limits: a counter per caller and window, one atomic cache round trip per call."""

import datetime
import time
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings
from rest_framework.throttling import SimpleRateThrottle

from helpdesk.api.throttling import UserRateThrottle
from helpdesk.cache import hit
from tests.threads import in_threads

REDIS = {"BACKEND": "helpdesk.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
# 10 s into a minute, in UTC (the windows are counted from the epoch).
MID_MINUTE = datetime.datetime(2026, 12, 1, 9, 30, 10, tzinfo=datetime.UTC)


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES={"default": REDIS}):
        yield caches["default"]


class Request:
    def __init__(self, key):
        self.user = type("User", (), {"is_authenticated": True, "pk": key})()


def throttle(rate: str, base=UserRateThrottle):
    class Throttled(base):
        def get_rate(self):
            return rate

    return Throttled()


def test_a_caller_gets_the_rate_then_429_until_the_window_ends(redis_cache):
    caller = Request(uuid.uuid4().hex)
    with time_machine.travel(MID_MINUTE, tick=False) as clock:
        answers = [throttle("3/min").allow_request(caller, None) for _ in range(4)]
        assert answers == [True, True, True, False]
        refused = throttle("3/min")
        assert not refused.allow_request(caller, None)
        assert refused.wait() == pytest.approx(50)  # Retry-After: the rest of this minute
        clock.shift(datetime.timedelta(seconds=50))
        assert throttle("3/min").allow_request(caller, None)  # a new window
    assert throttle("3/min").allow_request(Request(uuid.uuid4().hex), None)  # another caller


def test_concurrent_calls_are_all_counted(redis_cache):
    """DRF's own throttle reads the list of request times and writes it back: parallel calls
    overwrite each other's and most go uncounted (shown first, so the race is real)."""
    calls = 40

    drf_caller = Request(uuid.uuid4().hex)

    class ReadThenPause:
        """The cache, with a pause after each read: the window DRF's throttle leaves open
        between reading the list and writing it back, held open long enough that every thread
        reads before any writes (without it the race is real but only sometimes shows)."""

        def get(self, key, default=None):
            value = redis_cache.get(key, default)
            time.sleep(0.05)
            return value

        def set(self, *args, **kwargs):
            return redis_cache.set(*args, **kwargs)

    class Keyed(SimpleRateThrottle):
        cache = ReadThenPause()

        def get_rate(self):
            return "1000/min"

        def get_cache_key(self, request, view):
            return f"drf-{request.user.pk}"

    in_threads(calls, lambda _index: Keyed().allow_request(drf_caller, None))
    assert len(redis_cache.get(f"drf-{drf_caller.user.pk}")) < calls

    caller = Request(uuid.uuid4().hex)
    answers = in_threads(calls, lambda _index: throttle("30/min").allow_request(caller, None))
    assert answers.count(True) == 30  # exactly the rate, however they interleave
    assert not throttle("30/min").allow_request(caller, None)


def test_a_counter_lives_one_window_and_counts_in_one_round_trip(redis_cache):
    key = f"counted-{uuid.uuid4().hex}"
    client = redis_cache._cache.get_client(write=True)
    hit(redis_cache, f"warm-{key}", 60)  # the script is loaded once per Redis
    sent = []
    original = client.execute_command

    def execute_command(*args, **kwargs):
        sent.append(args[0])
        return original(*args, **kwargs)

    client.execute_command = execute_command
    try:
        assert [hit(redis_cache, key, 60) for _ in range(3)] == [1, 2, 3]
    finally:
        del client.execute_command
    assert sent == ["EVALSHA"] * 3  # one atomic script each
    assert 0 < client.ttl(redis_cache.make_and_validate_key(key)) <= 60  # never left without expiry
    assert redis_cache.get(key) == 3


def test_a_redis_that_forgot_the_script_still_counts(redis_cache):
    """After a restart Redis has no scripts: EVALSHA is refused and the script is loaded again."""
    key = f"counted-{uuid.uuid4().hex}"
    assert hit(redis_cache, key, 60) == 1
    redis_cache._cache.get_client(write=True).script_flush()
    assert hit(redis_cache, key, 60) == 2


def test_without_redis_the_local_cache_counts_the_same(settings):
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"}
    with override_settings(CACHES={"default": local}):
        cache = caches["default"]
        assert [hit(cache, "n", 60) for _ in range(3)] == [1, 2, 3]
        caller = Request(uuid.uuid4().hex)
        assert [throttle("2/min").allow_request(caller, None) for _ in range(3)] == [True, True, False]
