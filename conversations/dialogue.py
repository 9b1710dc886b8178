"""The dialogue: one citizen's message in (typed or said), one channel-neutral Reply out.

    handle(citizen, text, *, channel, now, reminded=None) -> conversations.reply.Reply

Call it inside a transaction with the citizen locked (helpdesk.locks, rank 10): it locks the
conversation (rank 20) before any booking rows. `channel` is "sms" or "voice": it is recorded on
bookings, cancellations and call-back requests. `reminded(citizen, now)`, when the channel has
one, returns the appointment its last reminder named: "9" cancels that one at once.

Opting out of messages (STOP) is the channel's, before it calls here; so is wording the reply.
The digit 9 is never a menu option: it always means "I cannot come".
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
from conversations.state import State, load, municipality_phone, say, set_state
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
) -> Reply:
    """Answer one message of `citizen` (call within a transaction)."""
    conversation = load(citizen, now, channel)
    message = hear(text, topic_names(citizen.municipality_id), now)
    if (
        message.language
        and message.intent not in _LANGUAGE_NEUTRAL
        and message.language != conversation.language
    ):
        conversation.language = message.language
        Citizen.objects.filter(pk=citizen.pk).update(language=message.language)
        citizen.language = message.language
    reply = respond(conversation, citizen, message, now, reminded)
    if reply.event != "not_understood" and conversation.state != State.CALLBACK:
        conversation.misunderstood = 0
    conversation.save()
    return reply


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
