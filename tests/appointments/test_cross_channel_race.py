"""The SMS path and the API path book for the same citizen at the same moment (PostgreSQL).

Before the lock helper the two channels locked in opposite orders: the SMS webhook took the
citizen row first and the digipunt when it booked, a staff booking took the digipunt first and
the citizen last. Held open for a moment, that is a deadlock: PostgreSQL ends one of them. The
first test shows it with the order switched off; the second runs 50 such pairs with the order
on and finds no deadlock, no 5xx and never two appointments.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.authtoken.models import Token

from appointments.models import Appointment
from conversations.models import Conversation
from helpdesk import locks
from helpdesk.models import Citizen, Role
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, bookable_volunteer, member
from tests.sms.conftest import INBOUND, post_signed, reply_text

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"
    ),
]
SMS_NUMBER = "+32460777777"
# The SMS thread holds the citizen this long before it goes on to book: the window in which the
# API thread starts its own booking.
HOLD_SECONDS = 0.05


@pytest.fixture(autouse=True)
def _sms_settings(settings, frozen_now):
    settings.SMS_BACKEND = "locmem"
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.PUBLIC_BASE_URL = "https://digipunt.example.be"
    settings.SMS_INBOUND_PER_HOUR = 1000


@pytest.fixture
def place(taxonomy):
    municipality = MunicipalityFactory(name="Kruisdorp", sms_number=SMS_NUMBER)
    digipunt = DigipuntFactory(municipality=municipality, desks=2)
    for _ in range(2):
        bookable_volunteer(municipality, [digipunt], topics=["taxes"])
    staff = member(Role.STAFF, municipality, "kruis_staff")
    return municipality, digipunt, Token.objects.create(user=staff).key


def sms(phone: str, body: str, sid: str) -> tuple[int, str]:
    params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": phone, "To": SMS_NUMBER, "Body": body}
    response = post_signed(Client(), INBOUND, params)
    return response.status_code, reply_text(response) if response.status_code == 200 else ""


def offered_times(citizen: Citizen) -> tuple[str, int]:
    """Walk the citizen through the SMS menus to the offered times; the first one's start and place."""
    for step, body in enumerate(["AFSPRAAK", "2"]):
        status, _reply = sms(str(citizen.phone), body, f"SMsetup{citizen.pk:06d}{step}")
        assert status == 200
    start, digipunt_id = Conversation.objects.get(citizen=citizen).data["slots"][0]
    return start, digipunt_id


def race_one_pair(citizen: Citizen, token: str, number: int, first: str = "sms") -> dict:
    """The citizen answers "1" by SMS while staff book the same time for them through the API.
    `first` is the channel that gets the citizen's row first and holds it a moment."""
    start, digipunt_id = offered_times(citizen)
    citizen_locked = threading.Event()
    outcome = {}

    def hold_the_citizen(models):
        if threading.current_thread().name == first and Citizen in models and not citizen_locked.is_set():
            citizen_locked.set()
            threading.Event().wait(HOLD_SECONDS)

    def by_sms():
        try:
            if first != "sms":
                citizen_locked.wait(5)
            outcome["sms"] = sms(str(citizen.phone), "1", f"SMrace{number:08d}")
        finally:
            connections.close_all()

    def by_api():
        try:
            if first != "api":
                citizen_locked.wait(5)
            response = Client().post(
                "/api/v1/appointments/",
                {
                    "digipunt": digipunt_id,
                    "topic": "taxes",
                    "start": start,
                    "language": "nl",
                    "channel": "phone",
                    "citizen": {"phone": str(citizen.phone)},
                },
                content_type="application/json",
                headers={"Authorization": f"Token {token}"},
            )
            outcome["api"] = response.status_code
        finally:
            connections.close_all()

    locks.after_lock = hold_the_citizen
    try:
        threads = [threading.Thread(target=by_sms, name="sms"), threading.Thread(target=by_api, name="api")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        locks.after_lock = None
    outcome["appointments"] = Appointment.objects.filter(citizen=citizen, status="booked").count()
    return outcome


def test_without_the_lock_order_the_two_channels_deadlock(place, monkeypatch):
    municipality, _digipunt, token = place
    monkeypatch.setattr(locks, "ORDERED", False)
    outcomes = [
        race_one_pair(CitizenFactory(municipality=municipality), token, number) for number in range(3)
    ]
    # PostgreSQL broke each deadlock by failing one side: "busy" (503 from the API, or the SMS
    # asking to send again), where either channel alone would simply have booked.
    busy = [o for o in outcomes if o["api"] == 503 or "send your message again" in o["sms"][1]]
    assert busy, outcomes


def test_sms_and_api_booking_for_one_citizen_at_once_never_deadlock_or_double_book(place):
    municipality, digipunt, token = place
    outcomes = [
        race_one_pair(
            CitizenFactory(municipality=municipality), token, number, first=("sms", "api")[number % 2]
        )
        for number in range(50)
    ]
    for outcome in outcomes:
        assert outcome["sms"][0] == 200, outcomes
        assert outcome["api"] in (201, 409), outcomes  # never 5xx, never "busy"
        assert "send your message again" not in outcome["sms"][1], outcomes
        assert outcome["appointments"] == 1, outcomes  # one of the two booked, never both
    # Whoever got the citizen first booked; the other heard "taken": the channels did race.
    assert [o["api"] == 201 for o in outcomes] == [number % 2 == 1 for number in range(50)], outcomes
    assert Appointment.objects.filter(digipunt=digipunt, status="booked").count() == len(outcomes)


def test_a_waitlist_offer_during_the_citizens_own_sms_never_deadlocks(place, frozen_now):
    """Staff cancel an appointment whose time suits a citizen on the SMS waitlist, while that
    citizen's own SMS is being answered. The offer is texted inside the cancellation, which then
    holds the appointment; the SMS holds the citizen. The offer must not wait for the citizen."""
    from appointments import waitlist
    from helpdesk.models import Topic

    municipality, digipunt, token = place
    taxes = Topic.objects.get(code="taxes")
    outcomes = []
    for number in range(5):
        waiting = CitizenFactory(municipality=municipality)
        start, _digipunt_id = offered_times(waiting)  # waiting has a conversation, like anyone who texted
        sms(str(waiting.phone), "STOP", f"SMstop{number:08d}")
        sms(str(waiting.phone), "START", f"SMstart{number:08d}")
        waitlist.add(citizen=waiting, topic=taxes, language="nl", channel="sms")
        booked = (
            Client()
            .post(
                "/api/v1/appointments/",
                {
                    "digipunt": digipunt.pk,
                    "topic": "taxes",
                    "start": start,
                    "language": "nl",
                    "channel": "phone",
                    "citizen": {"phone": f"+3247155{number:04d}"},
                },
                content_type="application/json",
                headers={"Authorization": f"Token {token}"},
            )
            .json()
        )
        citizen_locked = threading.Event()
        outcome = {}

        def hold_the_citizen(models, citizen_locked=citizen_locked):
            if threading.current_thread().name == "sms" and Citizen in models and not citizen_locked.is_set():
                citizen_locked.set()
                threading.Event().wait(HOLD_SECONDS * 4)

        def by_sms(phone=str(waiting.phone), number=number, outcome=outcome):
            try:
                outcome["sms"] = sms(phone, "INFO", f"SMinfo{number:08d}")
            finally:
                connections.close_all()

        def cancel(appointment_id=booked["id"], outcome=outcome, citizen_locked=citizen_locked):
            try:
                citizen_locked.wait(5)
                outcome["cancel"] = (
                    Client()
                    .post(
                        f"/api/v1/appointments/{appointment_id}/cancel/",
                        {"reason": "ziek"},
                        content_type="application/json",
                        headers={"Authorization": f"Token {token}"},
                    )
                    .status_code
                )
            finally:
                connections.close_all()

        locks.after_lock = hold_the_citizen
        try:
            threads = [
                threading.Thread(target=by_sms, name="sms"),
                threading.Thread(target=cancel, name="api"),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        finally:
            locks.after_lock = None
        outcomes.append(outcome)
    for outcome in outcomes:
        assert outcome["cancel"] == 200, outcomes
        assert outcome["sms"][0] == 200, outcomes
        assert "send your message again" not in outcome["sms"][1], outcomes
