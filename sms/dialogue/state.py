"""What every part of the SMS conversation shares: the reply, the conversation row and its state.

States (see Conversation.State) expire after SMS_CONVERSATION_HOURS; an expired menu is as if
none was open.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from conversations.models import Conversation
from conversations.understanding import NO, YES
from helpdesk import locks
from helpdesk.models import Citizen
from sms.models import InboundMessage
from sms.texts import render

State = Conversation.State
Event = InboundMessage.Event
NOT_UNDERSTOOD_LIMIT = 2


@dataclass
class Reply:
    text: str
    event: str = Event.NONE


def load(citizen: Citizen, now: datetime.datetime) -> Conversation:
    """The citizen's conversation, locked for this transaction; expired menus are closed."""
    conversation, _created = Conversation.objects.get_or_create(
        citizen=citizen, defaults={"language": citizen.language}
    )
    # The citizen, then its conversation: the lowest ranks, before any booking rows.
    locks.lock(citizen, conversation)
    conversation.refresh_from_db()
    if conversation.expires_at and conversation.expires_at <= now:
        conversation.state, conversation.data, conversation.misunderstood = State.IDLE, {}, 0
        conversation.expires_at = None
    return conversation


def _set(conversation, state, now, data=None, expires_at=None):
    conversation.state = state
    conversation.data = data or {}
    conversation.misunderstood = 0
    conversation.expires_at = (
        None
        if state == State.IDLE
        else expires_at or now + datetime.timedelta(hours=settings.SMS_CONVERSATION_HOURS)
    )


def yes_or_no(message) -> bool | None:
    if message.number == 1 or message.intent == YES:
        return True
    if message.number == 2 or message.intent == NO:
        return False
    return None


def municipality_phone(citizen) -> str:
    number = citizen.municipality.phone
    return number.as_national if number else ""


def not_understood(conversation, count=None) -> Reply:
    """One more reply that made no sense: after two in a row, offer a call."""
    conversation.misunderstood += 1
    language = conversation.language
    if conversation.misunderstood >= NOT_UNDERSTOOD_LIMIT:
        conversation.state = State.CALLBACK
        conversation.data = {}
        return Reply(render("offer_callback", language), Event.NOT_UNDERSTOOD)
    if count:
        return Reply(render("not_understood", language, count=count), Event.NOT_UNDERSTOOD)
    return Reply(render("not_understood_yes_no", language), Event.NOT_UNDERSTOOD)
