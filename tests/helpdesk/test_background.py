"""Celery's tasks and beat entries made from the jobs, /readyz, the cache failing open and clean
503s without a database. (The same with real processes: tests/load.)"""

import datetime
import socket

import pytest
from django.db import OperationalError
from django.test import override_settings

from config import celery, health
from helpdesk import jobs, views
from sms import outbox
from sms.backends import LocmemBackend
from tests.factories import CitizenFactory


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_job_is_a_task_with_a_beat_entry():
    celery.app.finalize()
    for job in jobs.JOBS:
        assert f"jobs.{job.__name__}" in celery.app.tasks
        entry = celery.app.conf.beat_schedule[job.__name__]
        assert entry["task"] == f"jobs.{job.__name__}"
        # A run nobody picked up before the next is due is dropped, not piled up.
        assert entry["options"]["expires"] == entry["schedule"]
    assert celery.app.conf.beat_schedule["send_due_sms"]["schedule"] == 10.0


def test_a_job_added_later_gets_a_task_and_the_default_interval():
    def purge_everything_old():
        return "purged"

    # Finalised as in a worker, where jobs are made into tasks: before that, app.task() gives a
    # lazy proxy, and this test would depend on whether an earlier test finalised the app.
    celery.app.finalize()
    task = celery.make_task(purge_everything_old)
    assert celery.app.tasks["jobs.purge_everything_old"] is task
    assert task.apply().get() == "purged"
    schedule = celery.beat_schedule([purge_everything_old], {"default": 300.0})
    assert schedule["purge_everything_old"]["schedule"] == 300.0


def test_a_job_says_how_often_it_runs_and_the_environment_overrides_it():
    def hourly():
        pass

    hourly.every = datetime.timedelta(hours=1)
    assert celery.beat_schedule([hourly], {"default": 300.0})["hourly"]["schedule"] == 3600.0
    overridden = celery.beat_schedule([hourly], {"default": 300.0, "hourly": 60.0})
    assert overridden["hourly"] == {"task": "jobs.hourly", "schedule": 60.0, "options": {"expires": 60.0}}


def test_late_acknowledgement_one_task_at_a_time_no_results():
    conf = celery.app.conf
    assert conf.task_acks_late
    assert conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_ignore_result
    assert conf.task_soft_time_limit < conf.task_time_limit


@pytest.mark.django_db
def test_the_send_task_sends_due_sms(settings, municipality_a):
    settings.SMS_BACKEND = "locmem"
    LocmemBackend.outbox.clear()
    citizen = CitizenFactory(municipality=municipality_a)
    outbox.queue(
        municipality_id=municipality_a.pk, to=citizen.phone, citizen=citizen, body="Hallo", kind="other"
    )
    celery.app.finalize()
    assert celery.app.tasks["jobs.send_due_sms"].apply().get() == {"sent": 1}
    assert [message["body"] for message in LocmemBackend.outbox] == ["Hallo"]
    LocmemBackend.outbox.clear()


def test_a_worker_without_redis_says_to_use_run_jobs(settings):
    settings.REDIS_URL = ""
    with pytest.raises(RuntimeError, match="run_jobs"):
        celery.require_broker()


@pytest.mark.django_db
def test_readyz_without_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


@pytest.mark.django_db
def test_readyz_names_what_failed_and_nothing_more(client, settings, monkeypatch):
    url = f"redis://:secret@127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = url
    monkeypatch.setattr(health, "_redis_client", None)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "unavailable"}
    assert b"secret" not in response.content
    assert b"127.0.0.1" not in response.content
    monkeypatch.setattr(health, "_database_answers", lambda: False)
    settings.REDIS_URL = ""
    assert client.get("/readyz").json()["database"] == "unavailable"


def test_the_cache_fails_open_while_redis_is_unreachable():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    backend = {
        "BACKEND": "helpdesk.cache.ResilientRedisCache",
        "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={"default": backend}):
        from django.core.cache import cache

        assert cache.get("key") is None
        assert cache.get("key", 7) == 7
        cache.set("key", 1)
        assert cache.add("key", 1) is True
        assert cache.get_or_set("key", 3) == 3
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("key") is False
        cache.delete("key")
        with pytest.raises(ValueError, match="not found"):
            cache.incr("key")


def test_the_cache_keeps_one_redis_client_per_pool_and_still_works():
    pytest.importorskip("redis")
    import redis

    try:
        redis.Redis(socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = {"BACKEND": "helpdesk.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    with override_settings(CACHES={"default": backend}):
        from django.core.cache import cache

        client = cache._cache.get_client(write=True)
        assert cache._cache.get_client(write=True) is client  # not a new redis.Redis per call
        cache.set("reused", {"n": 1}, 30)
        assert cache.get("reused") == {"n": 1}
        cache.delete("counted")
        assert cache.add("counted", 0, 30)
        assert cache.incr("counted") == 1
        cache.delete_many(["reused", "counted"])
        assert cache.get("reused") is None


def fail(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.django_db
def test_a_lost_database_is_a_clean_503_with_retry_after(api, web, staff_a, monkeypatch):
    from appointments.api.views import AppointmentViewSet

    monkeypatch.setattr(AppointmentViewSet, "get_queryset", fail)
    response = api(staff_a).get("/api/v1/appointments/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert set(response.json()) == {"detail"}
    assert "127.0.0.1" not in response.content.decode()

    monkeypatch.setattr(views, "digipunt_overview", fail)
    page = web(staff_a).get("/")
    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/plain")
