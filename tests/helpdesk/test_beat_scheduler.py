"""Beat's scheduler (config/beat.py): the schedule and its lock in Redis, and a beat that waits
out Redis being away or restarted empty instead of dying (RedBeat alone ends the process, and
nothing restarts the beat embedded in `worker -B`). Runs a redis-server of its own."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from celery import Celery

from config.beat import ResilientRedBeatScheduler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on the PATH")
    port = free_port()
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*args, "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait(10)


def make_scheduler(url: str) -> ResilientRedBeatScheduler:
    app = Celery("beat-test", set_as_current=False)
    # As config/settings.py names them (the CELERY_ namespace stripped by Celery).
    app.conf.update(
        broker_url="memory://",
        beat_schedule={"job": {"task": "jobs.job", "schedule": 60.0}},
        beat_max_loop_interval=1,
        redbeat_redis_url=url,
        redbeat_lock_timeout=5,
    )
    scheduler = ResilientRedBeatScheduler(app=app)
    scheduler.sent = []
    scheduler.apply_async = lambda entry, **kwargs: scheduler.sent.append(entry.name)
    return scheduler


def test_a_beat_without_redis_waits_for_it_instead_of_dying():
    scheduler = make_scheduler(f"redis://127.0.0.1:{free_port()}/0")
    assert not scheduler.schedule_ready
    assert scheduler.tick() == scheduler.max_interval  # no exception: it tries again next tick
    assert scheduler.lock is None
    scheduler.close()


def test_the_schedule_and_the_lock_come_back_after_redis_restarted_empty(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    scheduler = make_scheduler(redis_url)
    assert scheduler.schedule_ready
    assert scheduler.take_lock()
    token = client.get("redbeat::lock")
    assert token
    scheduler.tick()
    assert "redbeat:job" in client.zrange("redbeat::schedule", 0, -1)

    client.flushall()  # what a Redis restart without persistence leaves
    scheduler.tick()  # the lock cannot be extended: lost
    assert scheduler.lock is None
    scheduler.tick()  # taken again, and the schedule installed again
    assert scheduler.lock is not None
    assert client.get("redbeat::lock") not in (None, token)
    assert "redbeat:job" in client.zrange("redbeat::schedule", 0, -1)

    scheduler.close()
    assert client.get("redbeat::lock") is None  # released on a clean stop


def test_a_second_beat_waits_while_the_first_holds_the_lock(redis_url):
    first, second = make_scheduler(redis_url), make_scheduler(redis_url)
    assert first.take_lock()
    assert second.tick() == second.max_interval
    assert second.lock is None
    assert second.sent == []
    first.close()
    second.tick()
    assert second.lock is not None
    second.close()
