"""Everything the voice line says, in short B1 sentences, through Django's i18n in nl, fr and en.

Each prompt is a function of plain values registered in PROMPTS, so a test can say all of them in
every language with the longest values and check each stays under MAX_SECONDS at the speaking
rate below. Times are said as words ("dinsdag 8 december om tien uur"), never as "10:00", and a
booking code digit by digit.

The keypad is the same everywhere (docs/api.md): 1 book, 2 cancel, 3 call me back, 0 a person,
9 repeat; 6, 7 and 8 choose Nederlands, français, English on the welcome menu.
"""

import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from num2words import num2words

WORDS_PER_SECOND = 2.5
MAX_SECONDS = 20
LANGUAGE_DIGITS = {"nl": 6, "fr": 7, "en": 8}
PROMPTS = {}


def prompt(function):
    PROMPTS[function.__name__] = function
    return function


def say(name: str, language: str, **values) -> str:
    with translation.override(language):
        return " ".join(PROMPTS[name](**values).split())


def seconds(text: str) -> float:
    """How long `text` takes to say: its words (punctuation alone, as French " : ", is silent)."""
    return sum(1 for word in text.split() if any(c.isalnum() for c in word)) / WORDS_PER_SECOND


# Saying numbers and times as words, in the active language.


def number_words(number: int) -> str:
    return num2words(number, lang=translation.get_language() or "nl")


def moment_words(start: datetime.datetime) -> str:
    """'dinsdag 8 december om tien uur', 'mardi 8 décembre à dix heures trente'."""
    local = timezone.localtime(start)
    day = formats.date_format(local, "l j F")
    hour, minute = number_words(local.hour), number_words(local.minute) if local.minute else ""
    if minute:
        return _("%(day)s at %(hour)s %(minute)s") % {"day": day, "hour": hour, "minute": minute}
    return _("%(day)s at %(hour)s o'clock") % {"day": day, "hour": hour}


def code_words(code: str) -> str:
    """A booking code said slowly: one character at a time, with a pause (comma) between."""
    return ", ".join(number_words(int(c)) if c.isdigit() else c for c in code)


def options_words(labels: list[str]) -> str:
    return " ".join(
        _("%(label)s: press %(digit)s.") % {"label": label, "digit": digit}
        for digit, label in enumerate(labels, 1)
    )


# The prompts.


@prompt
def welcome(municipality: str) -> str:
    return _("Welcome to the digipunt of %(municipality)s.") % {"municipality": municipality}


@prompt
def language_offer(offered: str) -> str:
    """Said in the offered language itself, to a caller who may not understand the welcome."""
    names = {"nl": _("Dutch"), "fr": _("French"), "en": _("English")}
    return _("For %(language_name)s, press %(digit)s.") % {
        "language_name": names[offered],
        "digit": LANGUAGE_DIGITS[offered],
    }


@prompt
def main_menu() -> str:
    return _(
        "To book help, press 1. To cancel your appointment, press 2. To be called back, press 3. "
        "To talk to a person, press 0. To hear this again, press 9."
    )


@prompt
def welcome_back() -> str:
    return _("Welcome back. We go on where you stopped.")


def more_words(more: bool) -> str:
    return (" " + _("More: press star.")) if more else ""


def clock_words(hhmm: str) -> str:
    """'17:00' as 'seventeen o'clock', '16:30' as 'sixteen thirty' (a screen reader's digits are
    not what a caller hears best)."""
    hour, _sep, minute = hhmm.partition(":")
    if not (hour.isdigit() and minute.isdigit()):
        return hhmm
    if int(minute):
        return _("%(hour)s %(minute)s") % {
            "hour": number_words(int(hour)),
            "minute": number_words(int(minute)),
        }
    return _("%(hour)s o'clock") % {"hour": number_words(int(hour))}


@prompt
def topic_menu(topics: list[str], more: bool = False) -> str:
    # A full page of eight and "more" leave no room for "say it": speech works all the same.
    intro = (
        _("What do you need help with?")
        if more
        else _("What do you need help with? Say it, or press a number.")
    )
    return intro + " " + options_words(topics) + more_words(more)


@prompt
def describe_need() -> str:
    return _("Say in a few words what you need help with.")


@prompt
def place_menu(places: list[str]) -> str:
    return _("Where do you want to go?") + " " + options_words(places)


@prompt
def reschedule_menu(start: datetime.datetime, moments: list[datetime.datetime]) -> str:
    return _("Your appointment is %(moment)s.") % {"moment": moment_words(start)} + " " + slot_menu(moments)


@prompt
def no_later_slots() -> str:
    return _("There are no other free times. Choose one of the times you heard.")


@prompt
def rescheduled(start: datetime.datetime, place: str) -> str:
    return _("Your appointment is moved: %(moment)s, at %(place)s.") % {
        "moment": moment_words(start),
        "place": place,
    }


@prompt
def no_other_slot() -> str:
    return _("There is no other free time. Your appointment stays as it was.")


@prompt
def waitlisted(topic: str) -> str:
    return _("You are on the waiting list for %(topic)s. We let you know when a time is free.") % {
        "topic": topic
    }


@prompt
def cannot_cancel() -> str:
    return _("It is too late to cancel by phone. Please call the digipunt.")


@prompt
def callback_today(until: str) -> str:
    return _("Thank you. A staff member will call you back today, before %(until)s.") % {
        "until": clock_words(until)
    }


@prompt
def callback_later(start: datetime.datetime, opens: str, closes: str) -> str:
    day = formats.date_format(timezone.localtime(start), "l j F")
    return _("Thank you. A staff member will call you back on %(day)s, between %(opens)s and %(closes)s.") % {
        "day": day,
        "opens": clock_words(opens),
        "closes": clock_words(closes),
    }


@prompt
def offer_callback() -> str:
    return _("I still do not understand. Shall a staff member call you back? Yes: press 1. No: press 2.")


@prompt
def callback_declined() -> str:
    return _("All right. You can call us again at any time.")


@prompt
def info(municipality: str) -> str:
    return _(
        "This is the digipunt of %(municipality)s. We help you with computers, phones and the internet."
    ) % {"municipality": municipality}


@prompt
def offer_gone() -> str:
    return _("Sorry, that time is no longer free.")


@prompt
def offer_declined() -> str:
    return _("All right, you stay on the waiting list.")


@prompt
def slot_menu(moments: list[datetime.datetime]) -> str:
    options = " ".join(
        _("%(moment)s: press %(digit)s.") % {"moment": moment_words(m), "digit": digit}
        for digit, m in enumerate(moments, 1)
    )
    return _("These times are free.") + " " + options


@prompt
def confirm_slot(start: datetime.datetime, place: str) -> str:
    return _("%(moment)s, at %(place)s. To book it, press 1. For another time, press 2.") % {
        "moment": moment_words(start),
        "place": place,
    }


@prompt
def booked(start: datetime.datetime, place: str) -> str:
    return _("You are booked: %(moment)s, at %(place)s.") % {"moment": moment_words(start), "place": place}


@prompt
def booking_code(code: str) -> str:
    return _("Your code is: %(code)s. Once more: %(code)s.") % {"code": code_words(code)}


@prompt
def address(place: str, street: str) -> str:
    return _("The address is %(street)s, %(place)s.") % {"street": street, "place": place}


@prompt
def sms_follows() -> str:
    return _("You also get an SMS with all of this.")


@prompt
def slot_taken() -> str:
    return _("Sorry, that time was just taken.")


@prompt
def no_slot(topic: str) -> str:
    return _(
        "Sorry, there is no free time for %(topic)s soon. For the waiting list, press 1. If not, press 2."
    ) % {"topic": topic}


@prompt
def cancel_question(start: datetime.datetime, place: str) -> str:
    return _(
        "Your next appointment is %(moment)s, at %(place)s. To cancel it, press 1. To keep it, press 2."
    ) % {"moment": moment_words(start), "place": place}


@prompt
def cancelled() -> str:
    return _("Your appointment is cancelled. Thank you for telling us.")


@prompt
def kept() -> str:
    return _("Your appointment stays as it was.")


@prompt
def no_appointment() -> str:
    return _("We found no appointment for this number.")


@prompt
def callback_noted() -> str:
    return _("Thank you. A staff member will call you back soon, on a working day.")


@prompt
def key_number() -> str:
    return _("We cannot see your number. Key in your phone number, then press hash.")


@prompt
def bad_number() -> str:
    return _("That is not a phone number we can call.")


@prompt
def connecting() -> str:
    return _("One moment, we connect you with a staff member.")


@prompt
def closed_callback() -> str:
    return _("The digipunt is closed now. We will call you back when it is open.")


@prompt
def not_understood() -> str:
    return _("Sorry, I did not understand that.")


@prompt
def silence_goodbye() -> str:
    return _("We did not hear you. We will call you back. Goodbye.")


@prompt
def silence_goodbye_anonymous() -> str:
    return _("We did not hear you. Please call again later. Goodbye.")


@prompt
def busy() -> str:
    return _("It is very busy right now. Please call again in a few minutes. Goodbye.")


@prompt
def unknown_number() -> str:
    return _("This number is not in use. Goodbye.")


@prompt
def goodbye() -> str:
    return _("Thank you for calling. Goodbye.")
