"""Moving the next appointment by message: new times, then both or neither."""

import datetime

import pytest

from appointments import booking
from appointments.models import Appointment
from conversations.models import Conversation

pytestmark = pytest.mark.django_db


def booked(phone):
    phone("afspraak")
    phone("belastingen")
    phone("1")
    return Appointment.objects.get(status="booked")


@pytest.mark.parametrize(
    ("word", "language"), [("verzetten", "nl"), ("déplacer", "fr"), ("reschedule", "en")]
)
def test_reschedule_moves_the_next_appointment(word, language, phone_of, helper):
    phone = phone_of()
    old = booked(phone)
    menu = phone(word)
    assert "1)" in menu
    conversation = Conversation.objects.get()
    assert conversation.state == "reschedule"
    assert conversation.data["appointment"] == old.pk
    reply = phone("2")
    old.refresh_from_db()
    new = Appointment.objects.get(status="booked")
    assert old.status == "cancelled"
    assert new.pk != old.pk
    assert new.rescheduled_from_id == old.pk
    assert new.code in reply
    assert Conversation.objects.get().state == "idle"


def test_the_times_offered_never_include_the_old_time_twice(phone_of, helper):
    phone = phone_of()
    old = booked(phone)
    phone("verzetten")
    starts = [datetime.datetime.fromisoformat(s) for s, _p in Conversation.objects.get().data["slots"]]
    assert len(starts) == len(set(starts))
    assert old.start not in starts or len(starts) == 3


def test_a_new_time_taken_meanwhile_moves_nothing(phone_of, helper, monkeypatch):
    phone = phone_of()
    old = booked(phone)
    phone("verzetten")

    def taken(**kwargs):
        raise booking.SlotTaken("taken")

    monkeypatch.setattr(booking, "book", taken)
    reply = phone("1")
    old.refresh_from_db()
    assert old.status == "booked"  # neither: the old appointment stays
    assert Appointment.objects.count() == 1
    assert Conversation.objects.get().state == "reschedule"
    assert "1)" in reply


def test_reschedule_without_an_appointment_says_so(phone_of, helper):
    phone_of()("verzetten")
    assert not Appointment.objects.exists()
    assert Conversation.objects.get().state == "idle"


def test_reschedule_with_a_wish_offers_times_that_fit(phone_of, helper):
    phone = phone_of()
    booked(phone)
    phone("verzetten naar dinsdagnamiddag")
    starts = [datetime.datetime.fromisoformat(s) for s, _p in Conversation.objects.get().data["slots"]]
    assert starts
    assert all(s.date() == datetime.date(2026, 12, 1) and s.hour >= 13 for s in starts)
