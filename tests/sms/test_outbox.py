"""The outbox and its dispatcher: retries, permanent failures, dead workers, delivery reports."""

import datetime

import pytest
from django.test import Client

from sms import outbox
from sms.backends import LocmemBackend, PermanentError, TemporaryError
from sms.models import OutboundMessage
from tests.factories import CitizenFactory
from tests.sms.conftest import STATUS, post_signed


@pytest.fixture
def citizen(municipality_a):
    return CitizenFactory(municipality=municipality_a, phone="+32479123456")


@pytest.fixture
def queued(citizen, frozen_now):
    return outbox.queue(
        municipality_id=citizen.municipality_id,
        to=citizen.phone,
        citizen=citizen,
        body="Herinnering: morgen om 10:00.",
        kind=OutboundMessage.Kind.REMINDER,
        due_at=frozen_now,
    )


def test_dispatch_sends_due_messages_once(queued, frozen_now):
    assert outbox.dispatch() == {"sent": 1}
    assert outbox.dispatch() == {}
    queued.refresh_from_db()
    assert queued.status == "sent"
    assert queued.attempts == 1
    assert queued.provider_sid == LocmemBackend.outbox[0]["sid"]
    assert LocmemBackend.outbox[0]["from"] == "+32460100001"
    assert LocmemBackend.outbox[0]["status_callback"] == "https://digipunt.example.be/sms/status/"


def test_messages_not_yet_due_wait(citizen, frozen_now):
    outbox.queue(
        municipality_id=citizen.municipality_id,
        to=citizen.phone,
        citizen=citizen,
        body="Later",
        kind="other",
        due_at=frozen_now + datetime.timedelta(minutes=1),
    )
    assert outbox.dispatch() == {}


def test_timeouts_and_5xx_three_times_then_success_is_one_delivery(queued, time_machine, frozen_now):
    LocmemBackend.failures.extend(
        [TemporaryError("timeout"), TemporaryError("Twilio 503", "20503"), TemporaryError("Twilio 500")]
    )
    moment = frozen_now
    for attempt in range(1, 4):
        assert outbox.dispatch() == {"queued": 1}
        queued.refresh_from_db()
        assert queued.attempts == attempt
        assert queued.status == "queued"
        # Backoff: later each time, within the jittered exponential bounds.
        delay = (queued.due_at - moment).total_seconds()
        assert 15 * 2 ** (attempt - 1) <= delay <= 30 * 2 ** (attempt - 1)
        moment = queued.due_at
        time_machine.move_to(moment, tick=False)
    assert outbox.dispatch() == {"sent": 1}
    queued.refresh_from_db()
    assert queued.status == "sent"
    assert queued.attempts == 4
    assert len(LocmemBackend.outbox) == 1


def test_retries_stop_at_the_limit_and_staff_see_it(queued, time_machine, settings, staff_a, web):
    settings.SMS_MAX_ATTEMPTS = 2
    LocmemBackend.failures.extend([TemporaryError("timeout"), TemporaryError("timeout")])
    outbox.dispatch()
    queued.refresh_from_db()
    time_machine.move_to(queued.due_at, tick=False)
    outbox.dispatch()
    queued.refresh_from_db()
    assert queued.status == "failed"
    assert queued.needs_follow_up
    page = web(staff_a).get("/sms/").content.decode()
    assert "0479 12 34 56" in page


def test_an_invalid_number_fails_at_once(queued):
    LocmemBackend.failures.append(PermanentError("Twilio 400", "21211"))
    assert outbox.dispatch() == {"failed": 1}
    queued.refresh_from_db()
    assert queued.error_code == "21211"
    assert queued.attempts == 1


def test_opted_out_at_the_carrier_marks_the_citizen(queued, citizen):
    LocmemBackend.failures.append(PermanentError("Twilio 400", "21610"))
    outbox.dispatch()
    citizen.refresh_from_db()
    assert citizen.sms_opt_out


def test_an_opted_out_citizen_gets_nothing(queued, citizen):
    citizen.sms_opt_out = True
    citizen.save()
    assert outbox.dispatch() == {"cancelled": 1}
    assert LocmemBackend.outbox == []


def test_queue_refuses_landlines_and_opted_out_citizens(citizen):
    assert (
        outbox.queue(municipality_id=citizen.municipality_id, to="+3292101010", body="x", kind="other")
        is None
    )
    citizen.sms_opt_out = True
    assert (
        outbox.queue(
            municipality_id=citizen.municipality_id, to=citizen.phone, citizen=citizen, body="x", kind="other"
        )
        is None
    )


def test_queue_folds_text_into_gsm7(citizen):
    message = outbox.queue(
        municipality_id=citizen.municipality_id, to=citizen.phone, body="“Impôts” — façade", kind="other"
    )
    assert message.body == '"Impots" - facade'


def test_a_worker_that_dies_after_claiming_loses_nothing(queued, time_machine, frozen_now, settings):
    _token, ids = outbox.claim(now=frozen_now)  # ... and then the worker is killed
    assert ids == [queued.pk]
    # Another worker finds nothing while the claim holds.
    assert outbox.dispatch() == {}
    time_machine.move_to(frozen_now + datetime.timedelta(seconds=settings.SMS_CLAIM_SECONDS + 1), tick=False)
    assert outbox.dispatch() == {"sent": 1}
    assert outbox.dispatch() == {}
    assert len(LocmemBackend.outbox) == 1


def test_a_late_worker_cannot_overwrite_a_row_someone_else_claimed(
    queued, frozen_now, time_machine, settings
):
    token, _ids = outbox.claim(now=frozen_now)
    time_machine.move_to(frozen_now + datetime.timedelta(seconds=settings.SMS_CLAIM_SECONDS + 1), tick=False)
    outbox.dispatch()  # a second worker takes the expired claim and sends
    queued.refresh_from_db()
    assert outbox._finish(queued, token, status="failed") is False
    queued.refresh_from_db()
    assert queued.status == "sent"


def test_the_daily_limit_postpones_instead_of_sending(citizen, settings, frozen_now):
    settings.SMS_OUTBOUND_PER_DAY = 2
    for n in range(3):
        outbox.queue(
            municipality_id=citizen.municipality_id,
            to=citizen.phone,
            citizen=citizen,
            body=f"m{n}",
            kind="other",
        )
    assert outbox.dispatch() == {"sent": 2, "queued": 1}
    postponed = OutboundMessage.objects.get(status="queued")
    assert postponed.due_at == frozen_now + datetime.timedelta(days=1)


def test_a_reminder_of_a_cancelled_appointment_is_not_sent(citizen, frozen_now):
    from tests.factories import AppointmentFactory

    appointment = AppointmentFactory(citizen=citizen, status="cancelled")
    outbox.queue(
        municipality_id=citizen.municipality_id,
        to=citizen.phone,
        citizen=citizen,
        body="Herinnering",
        kind="reminder",
        appointment=appointment,
    )
    assert outbox.dispatch() == {"cancelled": 1}


class TestStatusCallbacks:
    @pytest.fixture
    def sent(self, queued):
        outbox.dispatch()
        queued.refresh_from_db()
        return queued

    def report(self, sid, status, error=""):
        data = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32}
        if error:
            data["ErrorCode"] = error
        return post_signed(Client(), STATUS, data)

    def test_delivered_then_a_late_sent_keeps_delivered(self, sent):
        assert self.report(sent.provider_sid, "delivered").status_code == 200
        assert self.report(sent.provider_sid, "sent").status_code == 200
        sent.refresh_from_db()
        assert sent.status == "delivered"

    def test_undelivered_flags_the_message_for_staff(self, sent):
        self.report(sent.provider_sid, "undelivered", "30003")
        sent.refresh_from_db()
        assert sent.status == "failed"
        assert sent.error_code == "30003"
        assert sent.needs_follow_up

    def test_unknown_sid_and_status_are_ignored_politely(self, sent):
        assert self.report("SMnothing", "delivered").status_code == 200
        assert self.report(sent.provider_sid, "exploded").status_code == 200
        sent.refresh_from_db()
        assert sent.status == "sent"

    def test_missing_fields_are_a_400(self):
        assert post_signed(Client(), STATUS, {"MessageSid": "SM1"}).status_code == 400


def test_run_jobs_once_sends_what_is_due(queued, capsys, monkeypatch):
    from django.core.management import call_command

    from helpdesk.management.commands import run_jobs

    # The command closes stale connections between rounds; here that would be the test's own.
    monkeypatch.setattr(run_jobs, "close_old_connections", lambda: None)
    call_command("run_jobs", "--once")
    assert "send_due_sms: {'sent': 1}" in capsys.readouterr().out
    queued.refresh_from_db()
    assert queued.status == "sent"
