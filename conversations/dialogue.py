"""The dialogue: one citizen's message in (typed or said), one channel-neutral Reply out.

    handle(citizen, text, *, channel, now, reminded=None) -> conversations.reply.Reply

Call it inside a transaction with the citizen locked (helpdesk.locks, rank 10): it locks the
conversation (rank 20) before any booking rows. `channel` is "sms" or "voice": it is recorded on
bookings, cancellations and call-back requests. `reminded(citizen, now)`, when the channel has
one, returns the appointment its last reminder named: "9" cancels that one at once.

Opting out of messages (STOP) is the channel's, before it calls here; so is wording the reply.
The digit 9 is never a menu option: it always means "I cannot come".

    choose(citizen, *, channel, now, number=None, intent=None, topic_code=None, language=None)

is the same dialogue for a choice made without words (a key pressed on a phone): nothing is read
or detected, the number or intent goes straight to the open menu. `language` (both functions)
is the language the channel speaks in now (a phone line's language digit); the reply follows it.
"""

import datetime
from collections.abc import Callable

from conversations.booking import choose_place, choose_slot, choose_topic, describe, start_booking
from conversations.calling_back import answer_callback_offer, callback
from conversations.cancelling import ask_cancel, cancel_after_reminder, confirm_cancel
from conversations.heard import RESCHEDULE, Heard, hear
from conversations.menus import topic_names
from conversations.reply import Reply
from conversations.rescheduling import start_reschedule
from conversations.state import State, load, municipality_phone, save, say, set_state
from conversations.understanding import BOOK, CALLBACK, CANCEL, INFO, MORE, NO, THANKS, YES
from conversations.waitlist import answer_offer, answer_waitlist
from helpdesk.models import Citizen

CANCEL_DIGIT = 9
# Short answers (ja, non, ok, plus) and digits never switch the language of a conversation.
_LANGUAGE_NEUTRAL = (YES, NO, MORE, THANKS)


def handle(
    citizen: Citizen,
    text: str,
    *,
    channel: str,
    now: datetime.datetime,
    reminded: Callable[[Citizen, datetime.datetime], object] | None = None,
    language: str | None = None,
) -> Reply:
    """Answer one message of `citizen` (call within a transaction)."""
    conversation = load(citizen, now, channel)
    if language:
        conversation.language = language
    message = hear(text, topic_names(citizen.municipality_id), now)
    if switches_language(conversation, message):
        conversation.language = message.language
        Citizen.objects.filter(pk=citizen.pk).update(language=message.language)
        citizen.language = message.language
    return _answered(conversation, respond(conversation, citizen, message, now, reminded))


def choose(
    citizen: Citizen,
    *,
    channel: str,
    now: datetime.datetime,
    number: int | None = None,
    intent: str | None = None,
    topic_code: str | None = None,
    language: str | None = None,
) -> Reply:
    """Answer a choice made without words (call within a transaction): `number` picks an option
    of the open menu (1 yes, 2 no on a question), `intent` is a command (BOOK, CANCEL, CALLBACK,
    RESCHEDULE, MORE), `topic_code` with BOOK books that topic at once."""
    conversation = load(citizen, now, channel)
    if language:
        conversation.language = language
    message = Heard(text="", number=number, intent=intent, language=None, topic_code=topic_code)
    return _answered(conversation, respond(conversation, citizen, message, now))


def _answered(conversation, reply: Reply) -> Reply:
    if reply.event != "not_understood" and conversation.state != State.CALLBACK:
        conversation.misunderstood = 0
    save(conversation)
    return reply


def switches_language(conversation, message: Heard) -> bool:
    """The language of an opening message (a greeting too) sets the reply language; within an
    open menu only a message that was understood may change it, so that nonsense a detector
    happens to call French does not switch a Dutch conversation."""
    if not message.language or message.language == conversation.language:
        return False
    if message.intent in _LANGUAGE_NEUTRAL:
        return False
    understood = bool(message.intent or message.topic_code or message.wish)
    return conversation.state == State.IDLE or understood


def respond(conversation, citizen, message: Heard, now, reminded=None) -> Reply:
    # Commands that work whatever is open.
    if message.number == CANCEL_DIGIT:
        return cancel_after_reminder(conversation, citizen, now, reminded)
    if message.intent == CANCEL:
        return ask_cancel(conversation, citizen, now)
    if message.intent == RESCHEDULE:
        return start_reschedule(conversation, citizen, message, now)
    if message.intent == CALLBACK:
        return callback(conversation, citizen, now)
    if message.intent == INFO:
        set_state(conversation, State.IDLE, now)
        return say(
            conversation, "info", municipality=citizen.municipality.name, phone=municipality_phone(citizen)
        )
    if message.intent == BOOK and message.number is None:
        return start_booking(conversation, citizen, message.topic_code, now)
    handler = {
        State.TOPIC: choose_topic,
        State.DESCRIBE: describe,
        State.PLACE: choose_place,
        State.SLOT: choose_slot,
        State.RESCHEDULE: choose_slot,
        State.WAITLIST: answer_waitlist,
        State.OFFER: answer_offer,
        State.CANCEL: confirm_cancel,
        State.CALLBACK: answer_callback_offer,
    }.get(conversation.state)
    if handler is not None:
        return handler(conversation, citizen, message, now)
    if message.intent == THANKS:
        return say(conversation, "welcome_back")
    # Any first message starts a booking (with the topic, if it named one).
    return start_booking(conversation, citizen, message.topic_code, now)
