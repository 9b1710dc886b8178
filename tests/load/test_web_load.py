"""Concurrency through the real HTTP stack: gunicorn (2 processes x 8 threads) on the test
database, many client threads at once. No 5xx, no double booking, no lost or doubled SMS."""

import datetime
import random
import shutil
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from appointments.models import Appointment
from helpdesk.models import Citizen, Role
from sms.models import InboundMessage, OutboundMessage
from tests.factories import DigipuntFactory, MunicipalityFactory, bookable_volunteer, member
from tests.load.conftest import (
    ACCOUNT_SID,
    app_env,
    database_url,
    new_log_dir,
    post_sms,
    print_logs,
    require_load_tools,
    start_web,
    twiml_text,
)

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SMS_NUMBER = "+32460555555"


@pytest.fixture(scope="module")
def web(django_db_setup, request):
    """One gunicorn for the tests of this module, on the test database."""
    require_load_tools()
    path = new_log_dir()
    process, url = start_web(app_env(database_url(connection.settings_dict)), path)
    yield url
    process.stop()
    if request.session.testsfailed:
        print_logs(path)
    shutil.rmtree(path, ignore_errors=True)


def all_at_once(count: int, work) -> list:
    """`work(index)` in `count` threads released together; exceptions come back as results."""
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            return work(index)
        except Exception as error:
            return repr(error)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_fifty_bookings_of_one_slot_one_wins_the_rest_get_409(web, taxonomy):
    municipality = MunicipalityFactory(name="Racedorp", sms_number="+32460999999")
    digipunt = DigipuntFactory(municipality=municipality, desks=1)
    for _ in range(3):
        bookable_volunteer(municipality, [digipunt], topics=["taxes"])
    token = Token.objects.create(user=member(Role.STAFF, municipality, "racer")).key
    headers = {"Authorization": f"Token {token}"}
    today = timezone.localdate()
    slots = requests.get(
        f"{web}/api/v1/slots/",
        params={
            "digipunt": digipunt.pk,
            "topic": "taxes",
            "from": today,
            "to": today + datetime.timedelta(14),
        },
        headers=headers,
        timeout=30,
    )
    assert slots.status_code == 200, slots.text
    start = slots.json()[0]["start"]

    def book(index):
        payload = {
            "digipunt": digipunt.pk,
            "topic": "taxes",
            "start": start,
            "language": "nl",
            "channel": "api",
            "citizen": {"phone": f"+3247{index:07d}"},
        }
        response = requests.post(f"{web}/api/v1/appointments/", json=payload, headers=headers, timeout=60)
        return response.status_code, response.json()

    results = all_at_once(50, book)
    statuses = Counter(result[0] if isinstance(result, tuple) else result for result in results)
    assert statuses == {201: 1, 409: 49}, statuses
    conflicts = [body for status, body in results if status == 409]
    assert all(body["detail"] for body in conflicts)
    assert all(alternative["start"] != start for body in conflicts for alternative in body["alternatives"])
    booked = Appointment.objects.filter(digipunt=digipunt, status="booked")
    assert booked.count() == 1
    # The winner's confirmation is queued once; the losers left nothing behind.
    assert OutboundMessage.objects.filter(kind="confirmation").count() == 1
    assert Citizen.objects.filter(appointments__isnull=False).distinct().count() == 1


def test_fifty_duplicate_webhooks_have_one_effect_and_one_answer(web, taxonomy):
    municipality = MunicipalityFactory(name="Dubbeldorp", sms_number=SMS_NUMBER)
    digipunt = DigipuntFactory(municipality=municipality)
    bookable_volunteer(municipality, [digipunt], generalist=True, languages=["nl"])
    base = {"AccountSid": ACCOUNT_SID, "From": "+32479123456", "To": SMS_NUMBER}
    first = post_sms(requests.Session(), web, {**base, "MessageSid": "SMload1", "Body": "belastingen"})
    assert first.status_code == 200, first.text
    assert " 1) " in twiml_text(first)  # the times to choose from

    def duplicate(_index):
        response = post_sms(requests.Session(), web, {**base, "MessageSid": "SMload2", "Body": "1"})
        return response.status_code, twiml_text(response)

    results = all_at_once(50, duplicate)
    assert {result[0] for result in results} == {200}, results
    assert len({text for _status, text in results}) == 1
    assert results[0][1].startswith("Geboekt")
    assert Appointment.objects.count() == 1
    assert InboundMessage.objects.filter(message_sid="SMload2").count() == 1
    assert OutboundMessage.objects.filter(kind="reply", body=results[0][1]).count() == 1


class Phone:
    """One citizen texting the municipality in English, step by step, keeping what came back."""

    sids = iter(range(10**6))
    lock = threading.Lock()

    def __init__(self, web: str, number: str):
        self.web, self.number = web, number
        self.session = requests.Session()
        self.log: list[tuple[str, str, int, str]] = []  # (sid, body, status, reply)

    def send(self, body: str) -> str:
        with Phone.lock:
            sid = f"SMconv{next(Phone.sids):06d}"
        params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": self.number, "To": SMS_NUMBER}
        response = post_sms(self.session, self.web, {**params, "Body": body})
        reply = twiml_text(response) if response.status_code == 200 else response.text
        self.log.append((sid, body, response.status_code, reply))
        return reply

    def book(self, rng: random.Random, first: str) -> bool:
        """From a first message to a booking, choosing times again when one was just taken."""
        reply = self.send(first)
        if reply.startswith("What do you need"):
            reply = self.send(str(rng.randint(1, 3)))
        for _attempt in range(6):
            if "Choose a time" not in reply:
                return False
            reply = self.send(str(rng.randint(1, 3)))
            if reply.startswith("Booked:"):
                return True
        return False


def conversation(web: str, index: int) -> Phone:
    """Five kinds of conversation, each several messages long."""
    phone = Phone(web, f"+32478{index:06d}")
    rng = random.Random(index)
    kind = index % 5
    if kind == 0:
        phone.book(rng, "BOOK")
    elif kind == 1:  # book, then cancel (the question, then 1 for yes)
        if phone.book(rng, "BOOK"):
            phone.send("CANCEL")
            phone.send("1")
    elif kind == 2:  # a sentence naming the topic goes straight to the times
        phone.book(rng, "I need help with my taxes")
    elif kind == 3:  # a menu, then STOP
        phone.send("hello")
        phone.send("STOP")
    else:
        phone.send("INFO")
        phone.send("CALL ME")
    return phone


def test_two_hundred_conversations_in_parallel_lose_and_double_nothing(web, taxonomy):
    municipality = MunicipalityFactory(name="Drukdorp", sms_number=SMS_NUMBER)
    # Room for several bookings per time, so that most choices succeed and some still collide.
    digipunten = [
        DigipuntFactory(municipality=municipality, languages=["nl", "fr", "en"], desks=4) for _ in range(2)
    ]
    for _ in range(5):
        bookable_volunteer(municipality, digipunten, generalist=True, languages=["nl", "en"])
    with ThreadPoolExecutor(12) as pool:
        phones = list(pool.map(lambda index: conversation(web, index), range(200)))

    sent = [entry for phone in phones for entry in phone.log]
    assert {status for _sid, _body, status, _reply in sent} == {200}, Counter(s for *_, s, _ in sent)
    # Every inbound SMS stored exactly once, with the reply that was given.
    stored = {m.message_sid: m for m in InboundMessage.objects.all()}
    assert len(stored) == len(sent) == len({sid for sid, *_ in sent})
    for sid, body, _status, reply in sent:
        assert stored[sid].body == body
        assert stored[sid].reply == reply
    # Every reply logged exactly once in the citizen's thread, none more.
    for phone in phones:
        given = Counter(reply for _sid, _body, _status, reply in phone.log if reply)
        logged = Counter(
            OutboundMessage.objects.filter(to=phone.number, kind="reply").values_list("body", flat=True)
        )
        assert logged == given, phone.number
    # Bookings: one per confirmed conversation, cancelled ones cancelled, capacity respected.
    confirmed = Counter(
        phone.number for phone in phones for *_, reply in phone.log if reply.startswith("Booked:")
    )
    cancelled = {number for number in confirmed if int(number[-6:]) % 5 == 1}
    appointments = Appointment.objects.select_related("citizen")
    assert Counter(str(a.citizen.phone) for a in appointments) == confirmed
    assert {str(a.citizen.phone) for a in appointments if a.status == "cancelled"} == cancelled
    per_slot = Counter((a.digipunt_id, a.start) for a in appointments if a.status == "booked")
    assert max(per_slot.values(), default=0) <= 4  # four desks
    assert sum(confirmed.values()) > 40  # the scripts really booked
    opted_out = {phone.number for index, phone in enumerate(phones) if index % 5 == 3}
    assert {
        str(phone) for phone in Citizen.objects.filter(sms_opt_out=True).values_list("phone", flat=True)
    } == (opted_out)
    events = Counter(InboundMessage.objects.values_list("event", flat=True))
    assert events["booked"] == sum(confirmed.values())
    assert events["cancelled"] == len(cancelled)
    assert events["opted_out"] == len(opted_out)
