"""The conversation core's Reply (conversations.reply) said on the phone: which prompts, whether
the caller answers next, and what their keys mean.

The keys of a menu are the reply's option numbers (1 to 8); * asks for more where the reply has
more; 9 repeats and 0 reaches a person everywhere (voice.dialogue). A yes/no question is 1 yes,
2 no, as in the core.
"""

from dataclasses import dataclass, field

from conversations.reply import Reply
from voice.models import VoiceCall
from voice.prompts import say

State = VoiceCall.State
MENUS_OF_TIMES = ("slot_menu", "slot_taken", "reschedule_menu")
TOPIC_MENUS = ("topic_menu", "describe_need", "place_menu")
QUESTIONS = ("no_slot", "offer_callback", "waitlist_offer")
# Said again after a short apology: the question asked before still stands.
SAY_AGAIN = {"not_understood": "not_understood", "not_understood_yes_no": "not_understood"}


@dataclass
class Spoken:
    lines: list[str] = field(default_factory=list)
    state: str = State.DONE  # DONE: the call ends after saying it
    again: bool = False  # the previous question is said again after the lines


def speak(reply: Reply, *, mobile: bool) -> Spoken:
    """The prompts for `reply`, in its language. `mobile`: the caller gets the confirmation SMS."""
    language, values, key = reply.language, dict(reply.values), reply.key

    def line(name, **kwargs):
        return say(name, language, **kwargs)

    if key in SAY_AGAIN:
        return Spoken([line(SAY_AGAIN[key])], again=True)
    if key == "no_later_slots":
        return Spoken([line("no_later_slots")], again=True)
    if key == "topic_menu":
        labels = [option.label for option in reply.options]
        return Spoken([line("topic_menu", topics=labels, more=reply.more)], State.TOPIC)
    if key == "place_menu":
        return Spoken([line("place_menu", places=[o.label for o in reply.options])], State.TOPIC)
    if key == "describe_need":
        return Spoken([line("describe_need")], State.TOPIC)
    if key in MENUS_OF_TIMES:
        moments = [option.start for option in reply.options]
        if key == "reschedule_menu":
            return Spoken([line("reschedule_menu", start=values["start"], moments=moments)], State.SLOT)
        before = [line("slot_taken")] if key == "slot_taken" else []
        return Spoken([*before, line("slot_menu", moments=moments)], State.SLOT)
    if key == "cancel_question":
        return Spoken([line("cancel_question", start=values["start"], place=values["place"])], State.CANCEL)
    if key in QUESTIONS:
        if key == "waitlist_offer":  # only texted, never said; a caller who reaches it hears the menu
            return Spoken([line("main_menu")], State.MENU)
        return Spoken([line(key, **values)], State.QUESTION)
    if key in ("booked", "rescheduled"):
        # A moved appointment sends no confirmation SMS of its own: the caller hears it all.
        return Spoken(appointment_lines(reply, mobile=mobile and key == "booked"))
    if key == "callback_soon":
        return Spoken([line("callback_noted")])
    if key in ("callback_today", "callback_later", "waitlisted"):
        return Spoken([line(key, **values)])
    if key == "info":
        return Spoken([line("info", municipality=values["municipality"]), line("main_menu")], State.MENU)
    if key == "welcome_back":
        return Spoken([line("main_menu")], State.MENU)
    # The rest end the call with one sentence and no values a caller needs.
    return Spoken([line(key)])


def appointment_lines(reply: Reply, *, mobile: bool) -> list[str]:
    """Time, place and the code digit by digit, twice; the address unless an SMS brings it."""
    appointment, language = reply.appointment, reply.language
    digipunt = appointment.digipunt
    place = digipunt.display_short_name
    lines = [
        say(reply.key, language, start=appointment.start, place=place),
        say("booking_code", language, code=appointment.code),
    ]
    if mobile:
        lines.append(say("sms_follows", language))  # the booking signal queued the confirmation SMS
    else:
        lines.append(say("address", language, place=place, street=digipunt.street))  # a landline hears all
    return lines
