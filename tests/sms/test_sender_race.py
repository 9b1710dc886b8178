"""The sender's citizen row under concurrency, on PostgreSQL with real connections: two first
messages from one new number at the same moment, and a first message that waits on an erasure of
that number."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from conversations.models import Conversation
from helpdesk import locks
from helpdesk.models import Citizen
from privacy import erasure
from privacy.models import AuditEvent
from sms.models import ErasedOptOut, InboundMessage
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, bookable_volunteer
from tests.sms.conftest import INBOUND, post_signed, reply_text

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"
    ),
]
SMS_NUMBER = "+32460555555"
HOLD_SECONDS = 0.3


@pytest.fixture
def municipality(taxonomy):
    municipality = MunicipalityFactory(name="Tweelingdorp", sms_number=SMS_NUMBER)
    bookable_volunteer(municipality, [DigipuntFactory(municipality=municipality)], generalist=True)
    return municipality


def text(phone: str, body: str, sid: str) -> tuple[int, str]:
    params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": phone, "To": SMS_NUMBER, "Body": body}
    try:
        response = post_signed(Client(), INBOUND, params)
        return response.status_code, reply_text(response) if response.status_code == 200 else ""
    finally:
        connections.close_all()


def test_two_first_messages_from_one_new_number_make_one_citizen_and_both_are_answered(
    municipality, monkeypatch
):
    for round_ in range(3):
        phone = f"+3247955500{round_}"
        first_in = threading.Event()

        def hold_the_new_citizen(models, first_in=first_in):
            # The first to write the citizen keeps its transaction open a moment, so the other
            # meets the uncommitted row on the unique index and has to ask again after it.
            if Citizen in models and not first_in.is_set():
                first_in.set()
                time.sleep(HOLD_SECONDS)

        monkeypatch.setattr(locks, "after_lock", hold_the_new_citizen)
        barrier = threading.Barrier(2)
        results = {}

        def run(index, phone=phone, barrier=barrier, results=results, round_=round_):
            barrier.wait()
            results[index] = text(phone, "AFSPRAAK", f"SMtwin{round_}{index}")

        threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert first_in.is_set()
        assert [status for status, _reply in results.values()] == [200, 200], results
        assert all("1)" in reply for _status, reply in results.values()), results  # both got the menu
        citizen = Citizen.objects.get(phone=phone)
        assert Conversation.objects.filter(citizen=citizen).count() == 1
        assert set(InboundMessage.objects.filter(from_number=phone).values_list("citizen_id", flat=True)) == {
            citizen.pk
        }
        created = AuditEvent.objects.filter(subject="citizen", action="create", subject_id=citizen.pk)
        assert created.count() == 1


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_a_first_message_waiting_on_the_erasure_of_an_opted_out_number_stays_opted_out(municipality):
    phone = "+32479555599"
    citizen = CitizenFactory(municipality=municipality, phone=phone, sms_opt_out=True)
    erased, release = threading.Event(), threading.Event()
    answer = {}

    def erase():
        try:
            with transaction.atomic():
                erasure.erase(citizen)  # holds the row FOR UPDATE until this transaction ends
                erased.set()
                release.wait(10)
        finally:
            connections.close_all()

    def message():
        answer["sms"] = text(phone, "hallo", "SMwhileerased")

    eraser = threading.Thread(target=erase)
    eraser.start()
    assert erased.wait(10)
    texter = threading.Thread(target=message)
    texter.start()
    try:
        deadline = time.monotonic() + 10
        while not waiting_on_a_lock():
            assert time.monotonic() < deadline, "the message never waited on the erasure"
            time.sleep(0.01)
    finally:
        release.set()
        eraser.join(10)
        texter.join(30)
    assert answer["sms"] == (200, "")  # STOP still holds: no text
    again = Citizen.objects.get(phone=phone)
    assert again.pk != citizen.pk
    assert again.sms_opt_out is True
    assert not ErasedOptOut.objects.exists()
