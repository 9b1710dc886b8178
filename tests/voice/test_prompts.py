"""Every voice prompt, in every language, with the longest realistic values, stays under 20
seconds at 2.5 words per second (what a caller can follow); times and codes are said as words."""

import datetime

import pytest
from django.utils import translation

from conversations.labels import short_topic_name
from conversations.menus import PAGE_SIZE
from helpdesk.models import Topic
from voice import prompts

LANGUAGES = ["nl", "fr", "en"]
# Wednesday 30 September at 16:45 in Brussels: among the longest day, month and time in words.
LONGEST_MOMENT = datetime.datetime(2026, 9, 30, 14, 45, tzinfo=datetime.UTC)
LONG_PLACE = "Sociaal Huis Sint-Pieters-Leeuw"  # a short name is at most 30 characters
LONG_STREET = "Burgemeester Van Gansberghelaan 123 bus 4"
LONG_MUNICIPALITY = "Sint-Pieters-Leeuw en Vlezenbeek"
# Places are asked only when they lie in different towns: a handful, never a full page of 8.
MAX_PLACES_SPOKEN = 4


def longest_topics(language):
    """The core's topic labels (the voice menu says them as they are), the wordiest page of them."""
    names = sorted(
        (short_topic_name(t, language) for t in Topic.objects.all()), key=lambda n: -len(n.split())
    )
    return names[:PAGE_SIZE]


def values(name, language):
    return {
        "welcome": {"municipality": LONG_MUNICIPALITY},
        "language_offer": {"offered": language},
        "topic_menu": {"topics": longest_topics(language), "more": True},
        "place_menu": {"places": [LONG_PLACE] * MAX_PLACES_SPOKEN},
        "slot_menu": {"moments": [LONGEST_MOMENT] * 3},
        "reschedule_menu": {"start": LONGEST_MOMENT, "moments": [LONGEST_MOMENT] * 3},
        "rescheduled": {"start": LONGEST_MOMENT, "place": LONG_PLACE},
        "waitlisted": {"topic": longest_topics(language)[0]},
        "callback_today": {"until": "17:30"},
        "callback_later": {"start": LONGEST_MOMENT, "opens": "13:30", "closes": "17:30"},
        "info": {"municipality": LONG_MUNICIPALITY},
        "confirm_slot": {"start": LONGEST_MOMENT, "place": LONG_PLACE},
        "booked": {"start": LONGEST_MOMENT, "place": LONG_PLACE},
        "booking_code": {"code": "9JJTK6"},
        "address": {"place": LONG_PLACE, "street": LONG_STREET},
        "no_slot": {"topic": longest_topics(language)[0]},
        "cancel_question": {"start": LONGEST_MOMENT, "place": LONG_PLACE},
    }.get(name, {})


def all_prompts():
    return [(name, language) for name in prompts.PROMPTS for language in LANGUAGES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "language"), all_prompts())
def test_every_prompt_is_under_twenty_seconds(name, language):
    text = prompts.say(name, language, **values(name, language))
    assert text
    assert prompts.seconds(text) < prompts.MAX_SECONDS, (
        f"{name} ({language}): {prompts.seconds(text):.1f} s: {text}"
    )


@pytest.mark.django_db
def test_the_welcome_with_both_language_offers_and_the_menu_is_under_twenty_seconds():
    """The longest thing said before the caller can answer: it is one <Gather>."""
    for language in LANGUAGES:
        parts = [prompts.say("welcome", language, municipality=LONG_MUNICIPALITY)]
        parts += [
            prompts.say("language_offer", other, offered=other) for other in LANGUAGES if other != language
        ]
        parts.append(prompts.say("main_menu", language))
        assert prompts.seconds(" ".join(parts)) < prompts.MAX_SECONDS


@pytest.mark.django_db
def test_the_booked_call_ending_is_under_twenty_seconds():
    """What a landline caller must note down (time, place, code, address) comes in one stretch."""
    for language in LANGUAGES:
        said = " ".join(
            [
                prompts.say("booked", language, start=LONGEST_MOMENT, place=LONG_PLACE),
                prompts.say("booking_code", language, code="9JJTK6"),
                prompts.say("address", language, place=LONG_PLACE, street=LONG_STREET),
            ]
        )
        assert prompts.seconds(said) < prompts.MAX_SECONDS


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "woensdag 30 september om zestien uur vijfenveertig"),
        ("fr", "mercredi 30 septembre à seize heures quarante-cinq"),
        ("en", "Wednesday 30 September at sixteen forty-five"),
    ],
)
def test_times_are_said_as_words(language, expected):
    with translation.override(language):
        assert prompts.moment_words(LONGEST_MOMENT) == expected


def test_a_full_hour_is_said_as_o_clock():
    with translation.override("nl"):
        assert prompts.moment_words(datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC)) == (
            "dinsdag 8 december om tien uur"
        )


def test_the_code_is_said_one_character_at_a_time():
    with translation.override("nl"):
        assert prompts.code_words("9JT6") == "negen, J, T, zes"


def longest_prompt() -> tuple[float, str, str]:
    return max(
        (prompts.seconds(prompts.say(n, lang, **values(n, lang))), n, lang) for n, lang in all_prompts()
    )


@pytest.mark.django_db
def test_report_the_longest_prompt(capsys):
    longest, name, language = longest_prompt()
    print(f"longest voice prompt: {name} ({language}) {longest:.1f} s")
    assert 0 < longest < prompts.MAX_SECONDS
