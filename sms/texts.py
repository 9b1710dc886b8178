"""Every SMS the system writes, in plain language (B1), through Django's i18n in nl, fr and en.

Each text is a function of plain values registered in TEXTS, so a test can render all of them in
every language with the longest realistic values and count segments. `render` folds the result
into GSM-7 (see sms.gsm): names with ô or ç must not double the price of a message.
"""

import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sms import gsm

TEXTS = {}


def text(function):
    TEXTS[function.__name__] = function
    return function


def render(name: str, language: str, **values) -> str:
    with translation.override(language):
        return gsm.fold(" ".join(TEXTS[name](**values).split()))


# Formatting helpers (called inside render, so in the message's language).


def short_moment(start: datetime.datetime) -> str:
    local = timezone.localtime(start)
    return f"{formats.date_format(local, 'D d/m')} {formats.time_format(local, 'H:i')}"


def day(start: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(start), "l d/m")


def time(start: datetime.datetime) -> str:
    return formats.time_format(timezone.localtime(start), "H:i")


def numbered(options: list[str]) -> str:
    return " ".join(f"{number}) {option}" for number, option in enumerate(options, start=1))


# The texts. Keywords in capitals are what the citizen can send back, in the message's language.


@text
def topic_menu(topics: list[str], more: bool = False) -> str:
    message = _("What do you need help with? %(options)s. Send the number.") % {"options": numbered(topics)}
    return message + " " + _("MORE for other topics.") if more else message


@text
def describe_need() -> str:
    return _("Tell us in a few words what you need help with.")


@text
def place_menu(places: list[str]) -> str:
    return _("Where do you want to go? %(options)s. Send the number.") % {"options": numbered(places)}


@text
def slot_menu(topic: str, slots: list[tuple[datetime.datetime, str]], more: bool) -> str:
    options = numbered([f"{short_moment(start)} {place}" for start, place in slots])
    choices = ngettext("Send 1.", "Send a number from 1 to %(count)s.", len(slots)) % {"count": len(slots)}
    later = _("MORE for later times.") if more else ""
    return _("%(topic)s. Choose a time: %(options)s. %(choices)s %(later)s") % {
        "topic": topic,
        "options": options,
        "choices": choices,
        "later": later,
    }


@text
def slot_taken(topic: str, slots: list[tuple[datetime.datetime, str]], more: bool) -> str:
    return _("Sorry, that time was just taken.") + " " + slot_menu(topic, slots, more)


@text
def no_later_slots(count: int) -> str:
    return _("There are no later times. Send a number from 1 to %(count)s.") % {"count": count}


@text
def confirmed(start: datetime.datetime, place: str, address: str, bring: str, code: str) -> str:
    values = {"day": day(start), "time": time(start), "place": place, "address": address, "code": code}
    message = _("Booked: %(day)s at %(time)s, %(place)s, %(address)s.") % values
    if bring:
        message += " " + _("Bring: %(bring)s") % {"bring": bring}
    return message + " " + _("Code %(code)s. Cannot come? Send 9.") % values


@text
def reschedule_menu(
    topic: str, start: datetime.datetime, slots: list[tuple[datetime.datetime, str]], more: bool
) -> str:
    values = {
        "moment": short_moment(start),
        "options": numbered([f"{short_moment(s)} {p}" for s, p in slots]),
    }
    later = _("MORE for later times.") if more else ""
    return _("Move %(moment)s to: %(options)s. Send the number.") % values + " " + later


@text
def rescheduled(start: datetime.datetime, place: str, address: str, code: str) -> str:
    values = {"day": day(start), "time": time(start), "place": place, "address": address, "code": code}
    return (
        _("Moved: %(day)s at %(time)s, %(place)s, %(address)s. Code %(code)s. Cannot come? Send 9.") % values
    )


@text
def no_other_slot(phone: str) -> str:
    message = _("Sorry, there is no other free time. Your appointment stays as it is.")
    if phone:
        message += " " + _("Or call %(phone)s.") % {"phone": phone}
    return message


@text
def reminder(start: datetime.datetime, place: str, address: str, bring: str) -> str:
    values = {"day": day(start), "time": time(start), "place": place, "address": address}
    message = _("Reminder: %(day)s at %(time)s you have an appointment at %(place)s, %(address)s.") % values
    if bring:
        message += " " + _("Bring: %(bring)s") % {"bring": bring}
    return message + " " + _("Cannot come? Send 9.")


@text
def no_slot(topic: str) -> str:
    return _(
        "Sorry, there is no free time for %(topic)s in the coming weeks. "
        "Shall we put you on the waiting list? Send 1 for yes, 2 for no."
    ) % {"topic": topic}


@text
def waitlisted(topic: str) -> str:
    return _("You are on the waiting list for %(topic)s. We will send an SMS when there is a place.") % {
        "topic": topic
    }


@text
def waitlist_offer(start: datetime.datetime, place: str, topic: str) -> str:
    return _(
        "A place is free: %(day)s at %(time)s, %(place)s, for %(topic)s. "
        "Do you want it? Send 1 for yes, 2 for no."
    ) % {"day": day(start), "time": time(start), "place": place, "topic": topic}


@text
def offer_gone() -> str:
    return _("Sorry, that place is gone. You stay on the waiting list.")


@text
def offer_declined() -> str:
    return _("All right. You stay on the waiting list.")


@text
def cancel_question(start: datetime.datetime, place: str) -> str:
    return _("Cancel your appointment on %(day)s at %(time)s, %(place)s? Send 1 for yes, 2 for no.") % {
        "day": day(start),
        "time": time(start),
        "place": place,
    }


@text
def cancelled(start: datetime.datetime) -> str:
    return _("Your appointment on %(day)s at %(time)s is cancelled. New appointment? Send BOOK.") % {
        "day": day(start),
        "time": time(start),
    }


@text
def kept() -> str:
    return _("All right, your appointment stays as it is.")


@text
def no_appointment() -> str:
    return _("You have no appointment with us. To make one, send BOOK.")


@text
def cannot_cancel(phone: str) -> str:
    return _("This appointment cannot be cancelled by SMS any more. Please call %(phone)s.") % {
        "phone": phone
    }


@text
def opted_out() -> str:
    return _("You will get no more SMS from us. To get SMS again, send START.")


@text
def opted_in() -> str:
    return _("You will get SMS from us again. To make an appointment, send BOOK.")


@text
def callback_today(until: str) -> str:
    return _("We will call you back today before %(time)s.") % {"time": until}


@text
def callback_later(start: datetime.datetime, opens: str, closes: str) -> str:
    return _("We will call you back on %(day)s between %(opens)s and %(closes)s.") % {
        "day": formats.date_format(timezone.localtime(start), "l d/m"),
        "opens": opens,
        "closes": closes,
    }


@text
def busy() -> str:
    return _("It is very busy right now. Please send your message again in a minute.")


@text
def callback_soon() -> str:
    return _("We will call you back as soon as we can.")


@text
def offer_callback() -> str:
    return _("Sorry, this does not work well by SMS. Shall we call you? Send 1 for yes, 2 for no.")


@text
def callback_declined() -> str:
    return _("All right. Send BOOK for an appointment or INFO for help.")


@text
def info(municipality: str, phone: str) -> str:
    message = _(
        "Digipunt %(municipality)s helps you with your computer, phone and online forms. "
        "Send BOOK for an appointment, CANCEL to cancel, CALL ME to be called."
    ) % {"municipality": municipality}
    if phone:
        message += " " + _("Or call %(phone)s.") % {"phone": phone}
    return message


@text
def not_understood(count: int) -> str:
    return _("Sorry, I do not understand. Send a number from 1 to %(count)s.") % {"count": count}


@text
def not_understood_yes_no() -> str:
    return _("Sorry, I do not understand. Send 1 for yes, 2 for no.")


@text
def welcome_back() -> str:
    return _("You are welcome! Send BOOK for a new appointment.")


@text
def unknown_number() -> str:
    return _("Sorry, this number does not take SMS. Please call your municipality.")
