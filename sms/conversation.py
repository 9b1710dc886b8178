"""The SMS conversation: one citizen's message in, one reply out. Plain functions, no HTTP.

`handle` runs inside the webhook's transaction with the conversation row locked, so two messages
of one citizen are answered one after the other. The digit 9 is never a menu option: it always
means "I cannot come" (reminders and confirmations say so).

This module reads the message and hands it to the exchange it belongs to; the exchanges live in
sms.dialogue and never call back into this module.
"""

import datetime

from conversations import understanding
from conversations.understanding import BOOK, CALLBACK, CANCEL, INFO, MORE, NO, THANKS, YES
from helpdesk.models import Citizen
from sms.dialogue.booking import choose_place, choose_slot, choose_topic, start_booking
from sms.dialogue.callbacks import answer_callback_offer, callback
from sms.dialogue.cancelling import ask_cancel, cancel_after_reminder, confirm_cancel
from sms.dialogue.menus import topic_names
from sms.dialogue.opt_out import opt_in, opt_out
from sms.dialogue.state import Event, Reply, State, _set, load, municipality_phone
from sms.dialogue.waitlist import answer_offer, answer_waitlist
from sms.texts import render

CANCEL_DIGIT = 9


def handle(citizen: Citizen, body: str, *, now: datetime.datetime) -> Reply:
    """Answer one message of `citizen` (call within a transaction)."""
    municipality = citizen.municipality
    if understanding.is_opt_out(body):
        return opt_out(citizen, now, understanding.opt_out_language(body) or citizen.language)
    if understanding.is_opt_in(body):
        return opt_in(citizen, now)
    if citizen.sms_opt_out:
        return Reply("", Event.IGNORED)
    conversation = load(citizen, now)
    message = understanding.read(body, topic_names(municipality.pk))
    # Short answers (ja, non, ok, plus) do not switch the language of a conversation under way.
    says_language = message.intent not in (YES, NO, MORE, THANKS)
    if message.language and says_language and message.language != conversation.language:
        conversation.language = message.language
        Citizen.objects.filter(pk=citizen.pk).update(language=message.language)
        citizen.language = message.language
    reply = respond(conversation, citizen, message, now)
    if reply.event != Event.NOT_UNDERSTOOD and conversation.state != State.CALLBACK:
        conversation.misunderstood = 0
    conversation.save()
    return reply


def respond(conversation, citizen, message, now) -> Reply:
    language = conversation.language
    # Commands that work whatever is open.
    if message.number == CANCEL_DIGIT:
        return cancel_after_reminder(conversation, citizen, now)
    if message.intent == CANCEL:
        return ask_cancel(conversation, citizen, now)
    if message.intent == CALLBACK:
        return callback(conversation, citizen, now)
    if message.intent == INFO:
        _set(conversation, State.IDLE, now)
        return Reply(
            render(
                "info", language, municipality=citizen.municipality.name, phone=municipality_phone(citizen)
            )
        )
    if message.intent == BOOK and message.number is None:
        return start_booking(conversation, citizen, message.topic_code, now)
    handler = {
        State.TOPIC: choose_topic,
        State.PLACE: choose_place,
        State.SLOT: choose_slot,
        State.WAITLIST: answer_waitlist,
        State.OFFER: answer_offer,
        State.CANCEL: confirm_cancel,
        State.CALLBACK: answer_callback_offer,
    }.get(conversation.state)
    if handler is not None:
        return handler(conversation, citizen, message, now)
    if message.intent == THANKS:
        return Reply(render("welcome_back", language))
    # Any first message starts a booking (with the topic, if it named one).
    return start_booking(conversation, citizen, message.topic_code, now)
