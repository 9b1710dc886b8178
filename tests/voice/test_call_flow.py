"""The voice line end to end, with requests signed as Twilio signs them: keypad-only booking,
cancelling, call-backs, the language switch, withheld numbers and hang-ups."""

import datetime

import pytest
import time_machine
from django.utils import translation

from appointments.models import Appointment
from conversations.models import CallbackRequest
from helpdesk.models import Citizen
from sms.models import OutboundMessage
from tests.factories import AppointmentFactory, CitizenFactory
from voice.models import VoiceCall
from voice.prompts import code_words

pytestmark = pytest.mark.django_db
LANDLINE = "+3292345678"  # Ghent landline: cannot get an SMS


def test_welcome_in_the_municipality_language_offers_the_other_two(call):
    started = call()
    languages = [say.get("language") for say in started.says]
    assert languages == ["nl-BE", "fr-BE", "en-GB", "nl-BE"]
    assert started.says[0].get("voice") == "Polly.Lisa-Neural"
    assert started.gather.get("input") == "dtmf speech"
    assert started.gather.get("language") == "nl-BE"


def test_keypad_only_booking_by_a_mobile_caller_books_by_voice_and_texts_the_confirmation(call, helper):
    line = call()
    line.press("1")  # book
    assert "1" in line.text
    assert line.gather is not None
    line.press("1")  # the first topic
    assert "donderdag 26 november" in line.text
    line.press("1")  # the first time
    line.press("1")  # book it
    assert line.ended
    appointment = Appointment.objects.get()
    assert appointment.channel == "voice"
    assert appointment.citizen.phone == "+32479123456"
    with translation.override("nl"):
        assert line.text.count(code_words(appointment.code)) == 2  # one by one, twice
    confirmation = OutboundMessage.objects.get(kind=OutboundMessage.Kind.CONFIRMATION)
    assert confirmation.appointment == appointment
    assert appointment.code in confirmation.body


def test_a_landline_caller_hears_everything_and_gets_no_sms(call, helper):
    line = call(from_=LANDLINE)
    line.press("1").press("1").press("1").press("1")
    appointment = Appointment.objects.get()
    assert appointment.digipunt.street in line.text
    assert not OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CONFIRMATION).exists()


def test_an_opted_out_mobile_caller_gets_no_confirmation_sms(call, helper, municipality_a):
    CitizenFactory(municipality=municipality_a, phone="+32479123456", sms_opt_out=True)
    line = call()
    line.press("1").press("1").press("1").press("1")
    assert Appointment.objects.get().channel == "voice"
    assert not OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CONFIRMATION).exists()
    assert "Bibliotheek A" in line.text


def test_two_offers_later_times_before_booking(call, helper):
    line = call().press("1").press("1")
    first = line.text
    line.press("3").press("2")  # the third time, then "another time"
    assert line.text != first
    assert "Deze momenten zijn vrij" in line.text
    line.press("1").press("1")
    # after the third time offered (14:00 in Brussels, 13:00 UTC)
    assert Appointment.objects.get().start > datetime.datetime(2026, 11, 26, 13, 0, tzinfo=datetime.UTC)


def test_cancel_my_appointment(call, digipunt_a, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32479123456")
    appointment = AppointmentFactory(digipunt=digipunt_a, citizen=citizen)
    line = call().press("2")
    assert "maandag 30 november" in line.text
    line.press("1")
    assert line.ended
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_cancel_then_keep_changes_nothing(call, digipunt_a, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32479123456")
    appointment = AppointmentFactory(digipunt=digipunt_a, citizen=citizen)
    call().press("2").press("2")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_cancel_without_an_appointment_says_so(call, municipality_a):
    line = call().press("2")
    assert line.ended
    assert "geen afspraak" in line.text


def test_call_me_back_lands_in_the_staff_list_as_voice(call, municipality_a):
    line = call().press("3")
    assert line.ended
    callback = CallbackRequest.objects.get()
    assert (callback.phone, callback.channel, callback.reason) == ("+32479123456", "voice", "asked")


def test_zero_dials_the_digipunt_during_opening_hours(call, digipunt_a):
    digipunt_a.phone = "+3292000000"
    digipunt_a.save()
    line = call().press("0")
    assert line.root.find("Dial").text == "+3292000000"
    assert not CallbackRequest.objects.exists()


def test_zero_outside_opening_hours_records_a_call_back(call, digipunt_a):
    digipunt_a.phone = "+3292000000"
    digipunt_a.save()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 20, 0, tzinfo=datetime.UTC), tick=False):
        line = call().press("0")
    assert line.root.find("Dial") is None
    assert CallbackRequest.objects.get().reason == "no_staff"


@pytest.mark.parametrize(("digit", "voice", "language"), [("7", "fr-BE", "fr"), ("8", "en-GB", "en")])
def test_language_switch_by_a_digit(call, helper, digit, voice, language):
    line = call().press(digit)
    assert {say.get("language") for say in line.says} == {voice}
    line.press("1").press("1").press("1").press("1")
    assert Appointment.objects.get().language == language
    assert Citizen.objects.get().language == language


def test_speech_goes_through_the_same_understanding(call, helper):
    line = call().press(speech="ik wil een afspraak")
    assert "druk 1" in line.text
    assert "Bank" in line.text
    line.press(speech="belastingen")
    assert "Deze momenten zijn vrij" in line.text
    line.press(speech="nummer 2").press(speech="ja")  # a number said (as recognised), then yes
    assert Appointment.objects.get().topic.code == "taxes"


def test_withheld_number_reaches_a_person(call, digipunt_a):
    digipunt_a.phone = "+3292000000"
    digipunt_a.save()
    line = call(from_="anonymous").press("0")
    assert line.root.find("Dial").text == "+3292000000"


def test_withheld_number_leaves_a_call_back_by_keying_a_valid_number(call):
    line = call(from_="anonymous").press("3")
    assert line.gather.get("finishOnKey") == "#"
    line.press("12")  # not a number
    assert "geen telefoonnummer" in line.text
    assert not CallbackRequest.objects.exists()
    line.press("0479112233#")
    assert line.ended
    callback = CallbackRequest.objects.get()
    assert (callback.phone, callback.channel) == ("+32479112233", "voice")


def test_withheld_number_that_keys_garbage_twice_ends_without_a_record(call):
    line = call(from_="").press("3").press("1" * 16).press("*9")
    assert line.ended
    assert not CallbackRequest.objects.exists()


def test_withheld_number_pressing_book_is_asked_for_a_number(call):
    line = call(from_="anonymous").press("1")
    assert line.gather.get("finishOnKey") == "#"


def test_silence_repeats_the_menu_once_then_ends_and_keeps_the_caller(call):
    line = call()
    menu = line.text
    line.press()  # silence (actionOnEmptyResult)
    assert line.gather is not None
    assert line.says[-1].text in menu
    line.press()
    assert line.ended
    assert CallbackRequest.objects.get().reason == "no_answer"


def test_nine_repeats_the_question(call, helper):
    line = call().press("1")
    topics = line.text
    line.press("9")
    assert line.text == topics


def test_hang_up_mid_booking_then_the_next_call_goes_on_where_it_stopped(call, helper):
    first = call().press("1").press("2")  # taxes, times offered
    assert first.hang_up().status_code == 204
    assert VoiceCall.objects.get(call_sid=first.sid).ended_at is not None
    again = call()
    assert again.text.startswith("Welkom terug")
    assert "Deze momenten zijn vrij" in again.text
    again.press("1").press("1")
    assert Appointment.objects.get().topic.code == "taxes"


def test_hang_up_is_idempotent_and_needs_a_known_status(call):
    line = call()
    assert line.hang_up().status_code == 204
    assert line.hang_up().status_code == 204
    assert VoiceCall.objects.filter(ended_at__isnull=False).count() == 1
