"""Ordinary free-text dialogues book, in Dutch, French and English (through the signed webhook)."""

import datetime

import pytest

from appointments.models import Appointment
from conversations.models import Conversation
from helpdesk.models import Citizen

pytestmark = pytest.mark.django_db

DIALOGUES = [
    # (messages, topic booked, language, word in the confirmation)
    (["afspraak", "belastingen", "de eerste"], "taxes", "nl", "Geboekt"),
    (["rdv", "mon smartphone", "le premier"], "device_basics", "fr", "Réservé"),
    (["book", "my phone", "the first one"], "device_basics", "en", "Booked"),
    (["ik wil een afspraak", "iets met mijne gsm", "nummer 2"], "device_basics", "nl", "Geboekt"),
]


@pytest.mark.parametrize(("messages", "topic", "language", "booked"), DIALOGUES)
def test_free_text_dialogue_books(messages, topic, language, booked, phone_of, helper):
    phone = phone_of()
    replies = [phone(message) for message in messages]
    assert booked in replies[-1], replies
    appointment = Appointment.objects.get()
    assert appointment.topic.code == topic
    assert appointment.language == language
    assert appointment.channel == "sms"
    assert appointment.code in replies[-1]


def test_a_number_then_words_for_the_time(phone_of, helper):
    phone = phone_of()
    menu = phone("afspraak")
    assert "2)" in menu
    times = phone("2")
    assert "1)" in times
    assert "Geboekt" in phone("ok 1 is goed")
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("greeting", "language", "words"),
    [
        ("Bonjour", "fr", "Pour quoi"),
        ("hi", "en", "What do you need help with"),
        ("Goeiemiddag", "nl", "Waarmee"),
    ],
)
def test_the_first_message_sets_the_language(greeting, language, words, phone_of, helper, municipality_a):
    menu = phone_of()(greeting)
    assert Citizen.objects.get().language == language
    assert Conversation.objects.get().language == language
    assert "1)" in menu


def test_digits_and_yes_never_switch_the_language(phone_of, helper):
    phone = phone_of()
    phone("rdv")
    phone("2")
    phone("ok")
    assert Conversation.objects.get().language == "fr"


def test_a_wish_picks_the_offer_that_fits(phone_of, helper, frozen_now):
    phone = phone_of()
    phone("afspraak")
    phone("belastingen")
    offered = [start for start, _place in Conversation.objects.get().data["slots"]]
    assert len(offered) == 3
    reply = phone("liever in de namiddag")
    appointment = Appointment.objects.get()
    assert "Geboekt" in reply
    assert appointment.start.astimezone(frozen_now.tzinfo).hour >= 12


def test_a_wish_no_offer_fits_offers_new_times_that_do(phone_of, helper, frozen_now):
    phone = phone_of()
    phone("afspraak")
    phone("belastingen")  # Thursday 13:00, Friday 9:00, Monday 9:00
    reply = phone("dinsdagnamiddag")  # Tuesday 1 December, afternoon: none of the three
    assert not Appointment.objects.exists()
    offered = [datetime.datetime.fromisoformat(s) for s, _p in Conversation.objects.get().data["slots"]]
    assert offered
    assert all(start.date() == datetime.date(2026, 12, 1) and start.hour >= 13 for start in offered)
    assert "di 01/12" in reply


def test_two_misunderstandings_then_the_call_back_offer(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    phone("blablabla")
    offer = phone("qwerty")
    assert "bellen" in offer
    assert Conversation.objects.get().state == "callback"
    assert Conversation.objects.get().language == "nl"  # nonsense switched nothing


@pytest.mark.parametrize("sentence", ["gelieve mij te bellen aub", "appelez-moi svp", "please call me"])
def test_call_me_in_a_sentence_asks_for_a_call_back(sentence, phone_of, helper):
    from conversations.models import CallbackRequest

    phone_of()(sentence)
    request = CallbackRequest.objects.get()
    assert request.channel == "sms"
    assert request.reason == "asked"


def test_stop_in_a_sentence_opts_out_but_a_stopping_app_does_not(phone_of, helper):
    phone_of("+32479000001")("geen sms meer")
    assert Citizen.objects.get(phone="+32479000001").sms_opt_out
    reply = phone_of("+32479000002")("mijn bankapp stopt steeds")
    assert not Citizen.objects.get(phone="+32479000002").sms_opt_out
    assert "1)" in reply  # a booking started, for the bank app
    assert Conversation.objects.get(citizen__phone="+32479000002").data["topic"]


def test_cancel_in_a_sentence_asks_about_the_next_appointment(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    phone("belastingen")
    phone("1")
    phone("ik zeg mijn afspraak af")
    assert Conversation.objects.get().state == "cancel"
    phone("ja")
    assert Appointment.objects.get().status == "cancelled"
