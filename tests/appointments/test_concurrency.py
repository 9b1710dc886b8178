"""50 people grab the same slot at once (PostgreSQL, real connections, real threads).

First the race is shown to be real with the locking switched off; then, with it on, exactly the
capacity is booked and everybody else hears "taken": no errors, no double booking.
"""

import datetime
import random
import threading
import zoneinfo

import pytest
from django.db import connection, connections

from appointments import booking
from appointments.models import Appointment
from helpdesk.models import Topic
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, bookable_volunteer

pytestmark = [
    pytest.mark.usefixtures("one_crowd_at_a_time"),  # 50 connections each: one such test at a time
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"
    ),
]
THREADS = 50
START = datetime.datetime(2026, 11, 30, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))


@pytest.fixture
def crowded_slot(taxonomy):
    """One desk, three volunteers on duty, fifty citizens."""
    municipality = MunicipalityFactory(name="Racedorp", sms_number="+32460999999")
    digipunt = DigipuntFactory(municipality=municipality, desks=1)
    for _ in range(3):
        bookable_volunteer(municipality, [digipunt], topics=["taxes"])
    citizens = [CitizenFactory(municipality=municipality) for _ in range(THREADS)]
    return digipunt, citizens


def race(digipunt, citizens):
    taxes = Topic.objects.get(code="taxes")
    barrier = threading.Barrier(len(citizens))
    outcomes = []

    def attempt(citizen):
        try:
            barrier.wait()
            booking.book(
                citizen=citizen, digipunt=digipunt, topic=taxes, start=START, language="nl", channel="sms"
            )
            outcomes.append("booked")
        except booking.SlotTaken:
            outcomes.append("taken")
        except Exception as error:  # anything else is a bug the test must show
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_without_locking_the_race_is_real(crowded_slot, monkeypatch, frozen_now):
    monkeypatch.setattr(booking, "LOCKING", False)
    # Widen the window between check and write, as a slow moment in production would.
    monkeypatch.setattr(booking, "after_check", lambda: threading.Event().wait(0.2))
    # book() picks the volunteer from the rows it read before that pause, so fifty bookings that
    # all saw an empty day would all pick the same one, and the volunteer's exclusion constraint
    # would hide the desk's overbooking. Concurrent bookings in production see different days
    # (others commit in between): spread the pick over the free volunteers as they would.
    monkeypatch.setattr(booking, "least_busy", lambda slot, busy: random.choice(slot.volunteer_ids))
    outcomes = race(*crowded_slot)
    booked = Appointment.objects.filter(start=START, status="booked").count()
    assert booked > 1, outcomes  # one desk, yet several bookings: the bug locking prevents
    assert outcomes.count("booked") == booked


def test_with_locking_exactly_the_capacity_is_booked(crowded_slot, frozen_now):
    outcomes = race(*crowded_slot)
    assert sorted(set(outcomes)) == ["booked", "taken"], outcomes
    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == THREADS - 1
    assert Appointment.objects.filter(start=START, status="booked").count() == 1


def test_two_desks_two_bookings(crowded_slot, frozen_now):
    digipunt, citizens = crowded_slot
    digipunt.desks = 2
    digipunt.save()
    outcomes = race(digipunt, citizens)
    assert outcomes.count("booked") == 2
    assert outcomes.count("taken") == THREADS - 2
    volunteers = Appointment.objects.filter(start=START).values_list("volunteer_id", flat=True)
    assert len(set(volunteers)) == 2
