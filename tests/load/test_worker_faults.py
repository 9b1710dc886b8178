"""Faults around the Celery worker: a failing SMS provider, a worker killed mid-send, Redis gone.

A real `celery -A config worker -B` on a Redis of our own sends through the production Twilio
backend pointed at a fake Twilio in this process (tests/load/fakes.py), which records what it
accepted: that record survives the worker.
"""

import datetime

import pytest
import requests
from django.test import override_settings
from rest_framework.authtoken.models import Token

from appointments.models import Appointment
from helpdesk.api.throttling import UserRateThrottle
from helpdesk.models import Role
from sms import outbox
from sms.models import OutboundMessage
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, bookable_volunteer, member
from tests.load.conftest import app_env, start_web, start_worker, wait_for

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
BEAT_SECONDS = 0.3


@pytest.fixture
def worker_env(test_database_url, redis_server, fake_twilio):
    """The worker's settings: Twilio (fake), short beat interval, claims and retries in seconds."""
    return app_env(
        test_database_url,
        redis_server.url,
        SMS_BACKEND="tests.load.fakes.FakeTwilioBackend",
        FAKE_TWILIO_URL=fake_twilio.url,
        JOB_INTERVAL_SEND_DUE_SMS=BEAT_SECONDS,
        SMS_CLAIM_SECONDS=3,
        SMS_RETRY_SECONDS=1,
    )


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Foutdorp", sms_number="+32460444444")


def queue_messages(municipality, count: int) -> list[tuple[str, str]]:
    expected = []
    for index in range(count):
        citizen = CitizenFactory(municipality=municipality)
        body = f"Bericht {index}"
        outbox.queue(
            municipality_id=municipality.pk, to=citizen.phone, citizen=citizen, body=body, kind="other"
        )
        expected.append((str(citizen.phone), body))
    return expected


def statuses() -> dict:
    return dict(OutboundMessage.objects.values_list("body", "status"))


def task_runs(worker) -> int:
    return worker.output().count("Task jobs.send_due_sms[") // 2  # "received", then "succeeded"


def test_provider_failing_for_a_while_then_every_message_goes_out_once(
    municipality, worker_env, fake_twilio, log_dir, processes
):
    expected = queue_messages(municipality, 10)
    # The first eight requests fail in every way a provider fails; then it recovers.
    outage = ["500", "timeout", "503", "reset", "500", "503", "timeout", "reset"]
    fake_twilio.plan.extend(outage)
    processes.append(start_worker(worker_env, log_dir))

    wait_for(lambda: set(statuses().values()) == {"sent"}, 60, "every message to be sent")
    assert sorted(fake_twilio.sent()) == sorted(expected)  # each exactly once
    assert fake_twilio.requests == len(expected) + len(outage)  # one new attempt per failure
    attempts = sorted(OutboundMessage.objects.values_list("attempts", flat=True))
    assert attempts == [1, 1] + [2] * 8
    assert not OutboundMessage.objects.exclude(provider_sid__startswith="SM").exists()


def test_worker_killed_during_a_send_the_message_goes_out_once(
    municipality, worker_env, fake_twilio, log_dir, processes
):
    [(to, body)] = queue_messages(municipality, 1)
    fake_twilio.plan.append("hang")  # the provider holds the request: not accepted yet
    worker = start_worker(worker_env, log_dir, name="doomed")
    processes.append(worker)
    wait_for(fake_twilio.hanging.is_set, 30, "the worker to be in the middle of a send")

    worker.kill()
    fake_twilio.release.set()
    message = OutboundMessage.objects.get()
    assert message.status == "sending"  # claimed by a worker that is gone
    assert fake_twilio.sent() == []

    restarted = start_worker(worker_env, log_dir, name="restarted")
    processes.append(restarted)
    # Once the dead worker's claim has expired (SMS_CLAIM_SECONDS), the next run sends it.
    wait_for(lambda: statuses() == {body: "sent"}, 30, "the message to be sent after the restart")
    runs = task_runs(restarted)
    wait_for(lambda: task_runs(restarted) >= runs + 2, 30, "two more runs of send_due_sms")
    assert fake_twilio.sent() == [(to, body)]
    assert OutboundMessage.objects.get().attempts == 1


def test_redis_stopped_web_answers_sms_wait_in_the_outbox_and_go_when_it_is_back(
    municipality, worker_env, redis_server, fake_twilio, test_database_url, log_dir, processes, taxonomy
):
    digipunt = DigipuntFactory(municipality=municipality)
    bookable_volunteer(municipality, [digipunt], generalist=True)
    token = Token.objects.create(user=member(Role.STAFF, municipality, "counter")).key
    headers = {"Authorization": f"Token {token}"}
    web, url = start_web(app_env(test_database_url, redis_server.url), log_dir)
    processes.append(web)
    worker = start_worker(worker_env, log_dir)
    processes.append(worker)
    [(_to, body)] = queue_messages(municipality, 1)
    wait_for(lambda: statuses() == {body: "sent"}, 30, "the first message to be sent")
    assert requests.get(url + "/readyz", timeout=5).json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
    }

    redis_server.stop()
    wait_for(lambda: "Connection to broker lost" in worker.output(), 30, "the worker to notice")
    # The web goes on: liveness, the API, a booking whose confirmation SMS goes to the outbox.
    assert requests.get(url + "/healthz", timeout=5).status_code == 200
    ready = requests.get(url + "/readyz", timeout=5)
    assert ready.status_code == 503
    assert ready.json() == {"status": "error", "database": "ok", "redis": "unavailable"}
    assert requests.get(url + "/api/v1/topics/", headers=headers, timeout=5).status_code == 200
    slots = requests.get(
        url + "/api/v1/slots/",
        params={"topic": "taxes", "to": datetime.date.today() + datetime.timedelta(14)},
        headers=headers,
        timeout=10,
    ).json()
    booking = {
        "digipunt": digipunt.pk,
        "topic": "taxes",
        "start": slots[0]["start"],
        "language": "nl",
        "channel": "phone",
        "citizen": {"phone": "+32479000111"},
    }
    created = requests.post(url + "/api/v1/appointments/", json=booking, headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    confirmation = OutboundMessage.objects.get(appointment=Appointment.objects.get(), kind="confirmation")
    # Nothing can hand the worker a run without its broker: the confirmation waits, queued.
    wait_for(lambda: "beat: cannot reach Redis" in worker.output(), 10, "beat to try and fail")
    confirmation.refresh_from_db()
    assert confirmation.status == "queued"

    # Pages that use the cache (rate limits, computed values) go on without it: it fails open.
    cache_settings = {
        "BACKEND": "helpdesk.cache.ResilientRedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={"default": cache_settings}):
        from django.core.cache import cache

        assert cache.get("anything", "default") == "default"
        cache.set("anything", 1)
        assert cache.add("lock", 1) is True
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")

        class Throttle(UserRateThrottle):
            rate = "1/min"

            def get_cache_key(self, request, view):
                return "throttle"

        assert Throttle().allow_request(None, None)
        assert Throttle().allow_request(None, None)  # over the rate, but nothing counts

    redis_server.start()  # the same port, empty: what a Redis restart without persistence gives
    wait_for(lambda: OutboundMessage.objects.get(pk=confirmation.pk).status == "sent", 60, "the SMS")
    assert (str(booking["citizen"]["phone"]), confirmation.body) in fake_twilio.sent()
    assert requests.get(url + "/readyz", timeout=5).status_code == 200
