"""Every Reply the conversation core can give, said on the phone (voice.speech) with the longest
values, in every language: what is said in one go stays under 20 seconds at 2.5 words per second,
and every key of conversations.reply.MESSAGES has something to say."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from conversations.reply import MESSAGES, YES_NO, Option, Reply
from tests.voice.test_prompts import (
    LANGUAGES,
    LONG_MUNICIPALITY,
    LONG_PLACE,
    LONG_STREET,
    LONGEST_MOMENT,
    MAX_PLACES_SPOKEN,
    longest_topics,
)
from voice import prompts
from voice.models import VoiceCall
from voice.speech import speak

pytestmark = pytest.mark.django_db
APPOINTMENT = SimpleNamespace(
    start=LONGEST_MOMENT,
    code="9JJTK6",
    digipunt=SimpleNamespace(display_short_name=LONG_PLACE, street=LONG_STREET),
)


def longest_reply(key, language) -> Reply:
    values = {
        "topic": longest_topics(language)[0],
        "start": LONGEST_MOMENT,
        "place": LONG_PLACE,
        "phone": "02 123 45 67",
        "count": 3,
        "until": "17:30",
        "opens": "13:30",
        "closes": "17:30",
        "municipality": LONG_MUNICIPALITY,
    }
    options = ()
    if key == "topic_menu":
        options = tuple(Option(n, label=label) for n, label in enumerate(longest_topics(language), 1))
    elif key == "place_menu":
        options = tuple(Option(n, label=LONG_PLACE) for n in range(1, MAX_PLACES_SPOKEN + 1))
    elif key in ("slot_menu", "slot_taken", "reschedule_menu"):
        options = tuple(Option(n, start=LONGEST_MOMENT, place=LONG_PLACE) for n in range(1, 4))
    wanted = {name: values[name] for name in MESSAGES[key]}
    return Reply(key, language, values=wanted, options=options, more=True, appointment=APPOINTMENT)


@pytest.mark.parametrize("mobile", [True, False])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_core_reply_said_on_the_phone_is_under_twenty_seconds(key, language, mobile):
    spoken = speak(longest_reply(key, language), mobile=mobile)
    said = " ".join(spoken.lines)
    assert said
    assert prompts.seconds(said) < prompts.MAX_SECONDS, (
        f"{key} ({language}): {prompts.seconds(said):.1f} s: {said}"
    )


@pytest.mark.parametrize("key", sorted(YES_NO - {"waitlist_offer"}))
def test_a_yes_no_question_of_the_core_waits_for_an_answer(key):
    assert speak(longest_reply(key, "nl"), mobile=True).state != VoiceCall.State.DONE


def test_menus_of_times_are_said_as_words_and_keyed_by_option_number():
    spoken = speak(longest_reply("slot_menu", "nl"), mobile=True)
    assert spoken.state == VoiceCall.State.SLOT
    assert "woensdag 30 september om zestien uur vijfenveertig" in spoken.lines[-1]
    assert "16:45" not in spoken.lines[-1]


def test_a_landline_hears_the_address_and_a_mobile_hears_an_sms_follows():
    landline = " ".join(speak(longest_reply("booked", "en"), mobile=False).lines)
    mobile = " ".join(speak(longest_reply("booked", "en"), mobile=True).lines)
    assert LONG_STREET in landline
    assert LONG_STREET not in mobile
    assert "SMS" in mobile


def test_the_call_back_time_is_said_as_words():
    spoken = speak(longest_reply("callback_today", "nl"), mobile=True)
    assert "zeventien" in spoken.lines[0]
    assert "17:30" not in spoken.lines[0]
    assert spoken.state == VoiceCall.State.DONE


def longest_reply_seconds() -> tuple[float, str, str]:
    return max(
        (prompts.seconds(" ".join(speak(longest_reply(k, lang), mobile=m).lines)), k, lang)
        for k in MESSAGES
        for lang in LANGUAGES
        for m in (True, False)
    )


def test_report_the_longest_core_reply(capsys):
    longest, key, language = longest_reply_seconds()
    print(f"longest spoken core reply: {key} ({language}) {longest:.1f} s")
    assert 0 < longest < prompts.MAX_SECONDS


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clock_is_said_as_words(language):
    with translation.override(language):
        assert prompts.clock_words("09:00")
        assert ":" not in prompts.clock_words("17:30")
        assert prompts.clock_words("??") == "??"


def test_a_moment_in_brussels_is_said_in_local_time():
    winter = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC)
    spoken = speak(Reply("cancel_question", "nl", values={"start": winter, "place": "Bib"}), mobile=True)
    assert "om tien uur" in spoken.lines[0]
