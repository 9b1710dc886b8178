"""helpdesk.cache_versions within a request: each version read once, all of them brought along
with the API caller's read, a bump seen at once."""

import pytest
from django.core.cache import cache

from helpdesk import cache_versions, schedule_version
from helpdesk.cache_versions import OneReadPerRequest, read_with


class Counted:
    """Counts the cache's reads while it is in place."""

    def __init__(self, monkeypatch):
        self.reads, self.inside = [], False
        get, get_many = cache.get, cache.get_many

        def counted_get(key, *args, **kwargs):
            if not self.inside:  # the local-memory cache's get_many calls get for each key
                self.reads.append(key)
            return get(key, *args, **kwargs)

        def counted_get_many(keys, *args, **kwargs):
            self.reads.append(tuple(keys))
            self.inside = True
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                self.inside = False

        monkeypatch.setattr(cache, "get", counted_get)
        monkeypatch.setattr(cache, "get_many", counted_get_many)


def in_a_request(work):
    return OneReadPerRequest(lambda request: work())(None)


def test_a_version_is_read_once_per_request(monkeypatch):
    schedule_version.current()
    counted = Counted(monkeypatch)
    first, second = in_a_request(lambda: (schedule_version.current(), schedule_version.current()))
    assert first == second
    assert counted.reads == ["schedule:version"]


def test_outside_a_request_every_read_asks_the_cache(monkeypatch):
    schedule_version.current()
    counted = Counted(monkeypatch)
    schedule_version.current()
    schedule_version.current()
    assert counted.reads == ["schedule:version"] * 2


def test_one_read_brings_every_version_with_it(monkeypatch):
    expected = schedule_version.current()
    counted = Counted(monkeypatch)

    def work():
        read_with(["something:else"])
        return schedule_version.current()

    assert in_a_request(work) == expected
    assert len(counted.reads) == 1  # the get_many alone
    assert "schedule:version" in counted.reads[0]


@pytest.mark.django_db
def test_a_bump_in_the_request_is_seen_by_it_at_once():
    def work():
        before = schedule_version.current()
        schedule_version.bump()
        return before, schedule_version.current()

    before, after = in_a_request(work)
    assert before != after
    assert cache.get("schedule:version") == after


def test_the_next_request_sees_another_process_change():
    in_a_request(schedule_version.current)
    cache.set("schedule:version", "changed-elsewhere", timeout=None)
    assert in_a_request(schedule_version.current) == "changed-elsewhere"
    assert "schedule:version" in cache_versions._ALL
