"""The voice line drives the one conversation core (conversations.dialogue): moving an appointment,
more topics, the core's two misses then the call-back offer, and the core's state kept per citizen.
End to end, with requests signed as Twilio signs them."""

import pytest

from appointments.models import Appointment
from conversations.models import CallbackRequest, Conversation
from tests.factories import AppointmentFactory, CitizenFactory
from voice.models import VoiceCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(municipality_a, digipunt_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32479123456")
    return AppointmentFactory(digipunt=digipunt_a, citizen=citizen)


def test_reschedule_by_voice_moves_the_appointment_both_or_neither(call, helper, booked):
    line = call().press(speech="ik wil mijn afspraak verzetten")
    assert "maandag 30 november" in line.text  # the appointment being moved
    assert "Deze momenten zijn vrij" in line.text
    line.press("1")  # the first new time, said back
    assert VoiceCall.objects.get().state == "confirm"
    line.press("1")  # move it
    assert line.ended
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED
    moved = Appointment.objects.get(status=Appointment.Status.BOOKED)
    assert moved.start != booked.start
    assert moved.citizen == booked.citizen
    assert "verplaatst" in line.text


def test_reschedule_without_an_appointment_says_so(call, helper):
    line = call().press(speech="ik wil mijn afspraak verzetten")
    assert line.ended
    assert "geen afspraak" in line.text


def test_star_gives_the_next_page_of_topics(call, helper):
    line = call().press("1")
    first = line.text
    assert "ster" in first  # more topics: press star
    line.press("*")
    assert line.gather is not None
    assert line.text != first


def test_a_time_refused_after_hearing_it_offers_later_times(call, helper):
    line = call().press("1").press("1").press("1")
    assert VoiceCall.objects.get().state == "confirm"
    line.press("2")
    assert VoiceCall.objects.get().state == "slot"
    assert "Deze momenten zijn vrij" in line.text


def test_two_wrong_keys_in_a_menu_bring_the_core_call_back_offer(call, helper):
    line = call().press("1")
    line.press("8")  # no eighth time: not understood, the menu again
    assert line.gather is not None
    line.press("1")  # a topic: now times
    line.press("7").press("6")  # twice a key that is no time
    assert line.gather is not None
    assert VoiceCall.objects.get().state == "question"
    line.press("1")  # yes, call me
    assert line.ended
    assert CallbackRequest.objects.get().reason == "not_understood"


def test_the_core_keeps_one_conversation_per_citizen_marked_voice(call, helper):
    call().press("1")
    conversation = Conversation.objects.get()
    assert (conversation.channel, conversation.state) == ("voice", "topic")


def test_speech_in_a_menu_of_times_is_said_back_before_booking(call, helper):
    line = call().press("1").press("1")
    line.press(speech="de eerste")
    assert VoiceCall.objects.get().state == "confirm"
    assert not Appointment.objects.exists()
    line.press(speech="ja")
    assert Appointment.objects.get().channel == "voice"


def test_french_caller_books_through_the_core_in_french(call, helper):
    line = call().press("7").press("1")
    assert "tapez 1" in line.text
    line.press("1").press("1").press("1")
    assert Appointment.objects.get().language == "fr"
    assert Conversation.objects.get().language == "fr"
