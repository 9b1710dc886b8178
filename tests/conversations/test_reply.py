"""The channel-neutral Reply: what the voice line and SMS both render."""

import pytest
from django.db import transaction

from conversations import dialogue, understanding
from conversations.models import CallbackRequest
from conversations.reply import MESSAGES, Event, Reply
from helpdesk import locks
from sms.texts import TEXTS

pytestmark = pytest.mark.django_db


def say(citizen, text, now, channel="voice"):
    with transaction.atomic():
        locks.lock(citizen)
        reply = dialogue.handle(citizen, text, channel=channel, now=now)
    assert isinstance(reply, Reply)
    assert reply.key in MESSAGES
    assert set(reply.values) <= set(MESSAGES[reply.key]), reply
    assert [option.number for option in reply.options] == list(range(1, len(reply.options) + 1))
    assert all(option.number != 9 for option in reply.options)
    return reply


def test_every_message_has_an_sms_text():
    worded_from_the_appointment = {"booked"}
    assert set(MESSAGES) - worded_from_the_appointment <= set(TEXTS)


def test_a_topic_menu_then_times_as_options(citizen_a, helper, frozen_now):
    menu = say(citizen_a, "book", frozen_now)
    assert menu.key == "topic_menu"
    assert menu.language == "en"
    assert all(option.label for option in menu.options)
    assert menu.more
    times = say(citizen_a, "taxes", frozen_now)
    assert times.key == "slot_menu"
    assert len(times.options) == 3
    assert all(option.start is not None and option.place for option in times.options)


def test_a_call_back_asked_by_voice_is_marked_voice(citizen_a, helper, frozen_now):
    reply = say(citizen_a, "call me", frozen_now)
    assert reply.event == Event.CALLBACK
    assert reply.key in ("callback_today", "callback_later", "callback_soon")
    assert CallbackRequest.objects.get().channel == "voice"


def test_two_misses_offer_a_call_then_one_is_recorded(citizen_a, helper, frozen_now):
    say(citizen_a, "afspraak", frozen_now, channel="sms")
    say(citizen_a, "xyzzy", frozen_now, channel="sms")
    offer = say(citizen_a, "qwqwqw", frozen_now, channel="sms")
    assert offer.key == "offer_callback"
    assert offer.event == Event.NOT_UNDERSTOOD
    assert say(citizen_a, "1", frozen_now, channel="sms").event == Event.CALLBACK
    assert CallbackRequest.objects.get().reason == "not_understood"


def choose(citizen, now, **choice):
    with transaction.atomic():
        locks.lock(citizen)
        return dialogue.choose(citizen, channel="voice", now=now, **choice)


def test_a_choice_without_words_drives_the_same_dialogue(citizen_a, helper, frozen_now):
    """What a phone key does: an intent opens the menu, a number picks from it, nothing is read."""
    menu = choose(citizen_a, frozen_now, intent=understanding.BOOK)
    assert menu.key == "topic_menu"
    following = choose(citizen_a, frozen_now, intent=understanding.MORE)
    assert following.key == "topic_menu"
    assert following.options != menu.options
    times = choose(citizen_a, frozen_now, intent=understanding.BOOK, topic_code="taxes")
    assert times.key == "slot_menu"
    booked = choose(citizen_a, frozen_now, number=1)
    assert booked.key == "booked"
    assert booked.appointment.channel == "voice"
    assert booked.appointment.start == times.options[0].start


def test_a_choice_out_of_range_counts_as_not_understood_then_offers_a_call(citizen_a, helper, frozen_now):
    choose(citizen_a, frozen_now, intent=understanding.BOOK)
    assert choose(citizen_a, frozen_now, number=-1).key == "not_understood"
    assert choose(citizen_a, frozen_now, number=42).key == "offer_callback"


def test_the_channel_language_sets_the_reply_language(citizen_a, helper, frozen_now):
    assert choose(citizen_a, frozen_now, intent=understanding.BOOK, language="fr").language == "fr"
    with transaction.atomic():
        locks.lock(citizen_a)
        reply = dialogue.handle(citizen_a, "2", channel="voice", now=frozen_now, language="nl")
    assert reply.language == "nl"
