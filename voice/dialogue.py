"""The voice dialogue: one caller's keypress (or words) in, one Turn (what to say, what to gather
next, whom to dial) out. Plain functions, no HTTP, no XML: voice.twiml turns a Turn into TwiML.

Keypad everywhere (docs/api.md): 1 book, 2 cancel my appointment, 3 call me back, 0 talk to a
person, 9 repeat; on the main menu 6, 7, 8 switch to Nederlands, français, English. Words go
through the same understanding as SMS text.

Booking, cancelling and call-backs go through the same services as every channel:
appointments.booking.book, appointments.lifecycle.cancel and conversations.callbacks.request
(the call-back list every channel shares).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from appointments import booking, lifecycle
from appointments.models import Appointment
from conversations import callbacks, understanding
from conversations.menus import topic_names
from conversations.models import CallbackRequest
from conversations.offers import find_slots
from helpdesk import phones
from helpdesk.channels import Channel
from helpdesk.models import Citizen, Digipunt, Topic
from voice.menus import menu_topics, open_digipunt_phone, topic_label
from voice.models import VoiceCall
from voice.prompts import LANGUAGE_DIGITS, say

State = VoiceCall.State
REPEAT, PERSON = 9, 0
BOOK, CANCEL, CALLBACK = 1, 2, 3
MISS_LIMIT = 2  # two answers that made no sense, or two silences: a person calls back
LANGUAGES = ("nl", "fr", "en")


@dataclass
class Turn:
    says: list[tuple[str, str]] = field(default_factory=list)  # (language, text), in order
    gather: bool = False  # wait for a key or words after saying it
    number: bool = False  # gather a whole phone number, ended by #
    dial: str = ""  # connect to this number
    event: str = ""  # what happened, for the call log and the tests


@dataclass
class Heard:
    digits: str = ""
    speech: str = ""

    @property
    def silent(self) -> bool:
        return not self.digits and not self.speech.strip()


def _say(call, name, **values) -> tuple[str, str]:
    return (call.language, say(name, call.language, **values))


def _ask(call, state, says, data=None, *, missed=False) -> Turn:
    """Say `says` and wait; the question is kept so that 9 (or a silence) can say it again. A new
    question (not one said again after a miss) starts the count of misses afresh."""
    call.state = state
    if not missed:
        call.misses = 0
    if data is not None:
        call.data = data
    call.data["question"] = [list(line) for line in says]
    return Turn(says=list(says), gather=True, number=state == State.NUMBER)


def _end(call, *says, event="") -> Turn:
    call.state = State.DONE
    return Turn(says=[*says, _say(call, "goodbye")], event=event)


# The start of a call.


def welcome(call, now, resumed: VoiceCall | None = None) -> Turn:
    if resumed is not None:
        call.language, call.data = resumed.language, {"topic": resumed.data.get("topic")}
        topic = Topic.objects.filter(pk=call.data["topic"]).first()
        if topic is not None:
            turn = offer_slots(call, topic, now)
            turn.says.insert(0, _say(call, "welcome_back"))
            return turn
    says = [_say(call, "welcome", municipality=call.municipality.name)]
    says += [(code, say("language_offer", code, offered=code)) for code in LANGUAGES if code != call.language]
    return _ask(call, State.MENU, [*says, _say(call, "main_menu")], data={})


def main_menu(call) -> Turn:
    return _ask(call, State.MENU, [_say(call, "main_menu")], data={})


# One answer.


def answer(call, heard: Heard, now) -> Turn:
    """What the caller's keypress or words lead to, from the state the call is in."""
    if call.state == State.DONE:
        return _end(call)
    if heard.silent:
        return silence(call, now)
    if call.state == State.NUMBER:
        return keyed_number(call, heard.digits, now)
    choice = _choice(heard, call)
    if choice == REPEAT:
        return _ask(call, call.state, [tuple(line) for line in call.data.get("question", [])])
    if choice == PERSON:
        return person(call, now)
    handler = {
        State.MENU: menu_choice,
        State.TOPIC: topic_choice,
        State.SLOT: slot_choice,
        State.CONFIRM: confirm_choice,
        State.CANCEL: cancel_choice,
    }[call.state]
    return handler(call, choice, heard, now)


def _choice(heard: Heard, call) -> int | None:
    """One digit pressed, or the number (or command) in the words said; None for anything else."""
    if heard.digits:
        return int(heard.digits) if len(heard.digits) == 1 and heard.digits.isdigit() else None
    message = understanding.read(heard.speech[:200])
    if message.number is not None and 0 <= message.number <= 9:
        return message.number
    if call.state == State.MENU:
        return {understanding.BOOK: BOOK, understanding.CANCEL: CANCEL, understanding.CALLBACK: CALLBACK}.get(
            message.intent
        )
    if call.state in (State.CONFIRM, State.CANCEL):
        return {understanding.YES: 1, understanding.NO: 2}.get(message.intent)
    return None


def missed(call, now, *, silent=False) -> Turn:
    """Once: say it again. Twice: end politely and keep the caller for a call-back."""
    call.misses += 1
    if call.misses >= MISS_LIMIT:
        reason = CallbackRequest.Reason.NO_ANSWER if silent else CallbackRequest.Reason.NOT_UNDERSTOOD
        if _keep_for_callback(call, reason, now):
            return _end(call, _say(call, "silence_goodbye"), event="callback")
        return _end(call, _say(call, "silence_goodbye_anonymous"), event="ended")
    question = [tuple(line) for line in call.data.get("question", [])]
    if not silent:
        question.insert(0, _say(call, "not_understood"))
    return _ask(call, call.state, question, missed=True)


def silence(call, now) -> Turn:
    return missed(call, now, silent=True)


def menu_choice(call, choice, heard, now) -> Turn:
    digit_language = {digit: code for code, digit in LANGUAGE_DIGITS.items()}
    if heard.digits and choice in digit_language:
        call.language = digit_language[choice]
        if call.citizen_id:
            Citizen.objects.filter(pk=call.citizen_id).update(language=call.language)
        return main_menu(call)
    if choice == BOOK:
        return start_booking(call, now) if call.from_number else ask_number(call)
    if choice == CANCEL:
        return ask_cancel(call, now) if call.from_number else ask_number(call)
    if choice == CALLBACK:
        return callback(call, now)
    return missed(call, now)


# A person, or a call-back.


def person(call, now) -> Turn:
    number = open_digipunt_phone(call.municipality, now)
    if number:
        call.state = State.DONE
        return Turn(says=[_say(call, "connecting")], dial=number, event="dial")
    if not call.from_number:
        return ask_number(call, _say(call, "closed_callback"))
    _keep_for_callback(call, CallbackRequest.Reason.NO_STAFF, now)
    return _end(call, _say(call, "closed_callback"), event="callback")


def callback(call, now) -> Turn:
    if not call.from_number:
        return ask_number(call)
    _keep_for_callback(call, CallbackRequest.Reason.ASKED, now)
    return _end(call, _say(call, "callback_noted"), event="callback")


def ask_number(call, *before) -> Turn:
    return _ask(call, State.NUMBER, [*before, _say(call, "key_number")], data={})


def keyed_number(call, digits: str, now) -> Turn:
    number = phones.parse(digits) if digits.isdigit() and len(digits) <= 15 else None
    if number is None:
        call.misses += 1
        if call.misses >= MISS_LIMIT:
            return _end(call, _say(call, "bad_number"), event="ended")
        return _ask(call, State.NUMBER, [_say(call, "bad_number"), _say(call, "key_number")], missed=True)
    call.from_number = number.as_e164
    _keep_for_callback(call, CallbackRequest.Reason.ASKED, now)
    return _end(call, _say(call, "callback_noted"), event="callback")


def _keep_for_callback(call, reason, now) -> bool:
    if not call.from_number:
        return False
    citizen = (
        call.citizen or Citizen.objects.filter(municipality=call.municipality, phone=call.from_number).first()
    )
    callbacks.request(
        citizen=citizen,
        municipality=call.municipality,
        phone=call.from_number,
        reason=reason,
        now=now,
        channel=Channel.VOICE,
    )
    return True


# Booking.


def _citizen(call) -> Citizen:
    if call.citizen is None:
        call.citizen, _created = Citizen.objects.get_or_create(
            municipality=call.municipality,
            phone=call.from_number,
            defaults={"language": call.language, "simulated": call.simulated},
        )
    return call.citizen


def start_booking(call, now) -> Turn:
    topics = menu_topics(call.municipality_id, now)
    labels = [topic_label(t, call.language) for t in topics]
    return _ask(
        call, State.TOPIC, [_say(call, "topic_menu", topics=labels)], data={"topics": [t.pk for t in topics]}
    )


def topic_choice(call, choice, heard, now) -> Turn:
    options = call.data.get("topics", [])
    topic = None
    if choice is not None and 1 <= choice <= len(options):
        topic = Topic.objects.filter(pk=options[choice - 1]).first()
    elif heard.speech:
        code = understanding.read(heard.speech[:200], topic_names(call.municipality_id)).topic_code
        topic = Topic.objects.for_municipality(call.municipality_id).filter(code=code, is_active=True).first()
    if topic is None:
        return missed(call, now)
    return offer_slots(call, topic, now)


def offer_slots(call, topic, now, *, after=None, taken=False) -> Turn:
    citizen = _citizen(call)
    slots = find_slots(
        citizen=citizen, topic=topic, language=call.language, digipunt_id=None, now=now, after=after
    )
    before = [_say(call, "slot_taken")] if taken else []
    if not slots:
        _keep_for_callback(call, CallbackRequest.Reason.ASKED, now)
        name = topic_label(topic, call.language)
        return _end(call, *before, _say(call, "no_slot", topic=name), event="no_slot")
    data = {"topic": topic.pk, "slots": [[s.start.isoformat(), s.digipunt.pk] for s in slots]}
    return _ask(
        call, State.SLOT, [*before, _say(call, "slot_menu", moments=[s.start for s in slots])], data=data
    )


def _slot(call, index):
    start, digipunt_id = call.data["slots"][index]
    return datetime.datetime.fromisoformat(start), Digipunt.objects.get(pk=digipunt_id)


def slot_choice(call, choice, heard, now) -> Turn:
    options = call.data.get("slots", [])
    if choice is None or not 1 <= choice <= len(options):
        return missed(call, now)
    start, digipunt = _slot(call, choice - 1)
    data = {**call.data, "chosen": choice - 1}
    return _ask(
        call,
        State.CONFIRM,
        [_say(call, "confirm_slot", start=start, place=digipunt.display_short_name)],
        data,
    )


def confirm_choice(call, choice, heard, now) -> Turn:
    topic = Topic.objects.get(pk=call.data["topic"])
    if choice == 2:
        last = _slot(call, len(call.data["slots"]) - 1)
        return offer_slots(call, topic, now, after=(last[0], last[1].pk))
    if choice != 1:
        return missed(call, now)
    start, digipunt = _slot(call, call.data["chosen"])
    try:
        appointment = booking.book(
            citizen=_citizen(call),
            digipunt=digipunt,
            topic=topic,
            start=start,
            language=call.language,
            channel=Channel.VOICE,
            now=now,
        )
    except (booking.SlotTaken, booking.BookingError):
        return offer_slots(call, topic, now, taken=True)
    place = digipunt.display_short_name
    says = [
        _say(call, "booked", start=appointment.start, place=place),
        _say(call, "booking_code", code=appointment.code),
    ]
    if call.citizen.can_receive_sms:
        says.append(_say(call, "sms_follows"))  # the booking signal queued the confirmation SMS
    else:
        says.append(_say(call, "address", place=place, street=digipunt.street))  # a landline hears all
    return _end(call, *says, event="booked")


# Cancelling.


def ask_cancel(call, now) -> Turn:
    appointment = (
        Appointment.objects.filter(
            citizen__municipality=call.municipality,
            citizen__phone=call.from_number,
            status=Appointment.Status.BOOKED,
            start__gt=now,
        )
        .select_related("digipunt")
        .order_by("start")
        .first()
    )
    if appointment is None:
        return _end(call, _say(call, "no_appointment"), event="no_appointment")
    question = _say(
        call, "cancel_question", start=appointment.start, place=appointment.digipunt.display_short_name
    )
    return _ask(call, State.CANCEL, [question], data={"appointment": appointment.pk})


def cancel_choice(call, choice, heard, now) -> Turn:
    appointment = Appointment.objects.filter(
        pk=call.data.get("appointment"),
        citizen__phone=call.from_number,
        citizen__municipality=call.municipality,
    ).first()
    if choice == 2:
        return _end(call, _say(call, "kept"))
    if choice != 1:
        return missed(call, now)
    if appointment is None or appointment.status != Appointment.Status.BOOKED or appointment.start <= now:
        return _end(call, _say(call, "no_appointment"))
    try:
        with transaction.atomic():
            lifecycle.cancel(appointment, reason="voice", channel=Channel.VOICE, now=now)
    except lifecycle.InvalidTransition:
        return _end(call, _say(call, "no_appointment"))
    return _end(call, _say(call, "cancelled"), event="cancelled")
