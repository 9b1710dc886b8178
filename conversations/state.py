"""What every exchange of the dialogue shares: the conversation row, its state, and the replies
that any exchange may give (not understood, then the call-back offer).

States (see Conversation.State) expire after SMS_CONVERSATION_HOURS; an expired menu is as if
none was open.
"""

import datetime

from django.conf import settings

from conversations.models import Conversation
from conversations.reply import Event, Reply
from conversations.understanding import NO, YES
from helpdesk import locks
from helpdesk.models import Citizen
from helpdesk.sql import insert_statement, insert_with
from privacy import audit

State = Conversation.State
NOT_UNDERSTOOD_LIMIT = 2


def load(citizen: Citizen, now: datetime.datetime, channel: str) -> Conversation:
    """The citizen's conversation, locked for this transaction; expired menus are closed. A
    citizen without one gets a new one, unsaved: the answer's save() writes it once."""
    # The citizen, then its conversation: the lowest ranks, before any booking rows. Loading the
    # conversation locks it too (no second read). With the citizen's row held, nobody else can be
    # creating its conversation meanwhile; a citizen this transaction inserted has none to look for.
    locks.lock(citizen)
    found = [] if locks.inserted(citizen) else locks.select(Conversation.objects.filter(citizen=citizen))
    if found:
        conversation = found[0]
        conversation.citizen = citizen
    else:
        conversation = Conversation(citizen=citizen, language=citizen.language, channel=channel)
    if conversation.expires_at and conversation.expires_at <= now:
        conversation.state, conversation.data, conversation.misunderstood = State.IDLE, {}, 0
        conversation.expires_at = None
    conversation.channel = channel
    return conversation


def save(conversation: Conversation) -> None:
    """Write the conversation. A new one takes the audit entries this transaction has gathered (a
    new citizen's, privacy.audit.collected) into its INSERT: one round trip for both on
    PostgreSQL, on a citizen's first message. Nothing listens to a conversation's save signals."""
    entries = audit.gathered()
    if not conversation._state.adding or not entries:
        conversation.save()
        return
    writes = [insert_statement(entry) for entry in entries]
    entries.clear()
    insert_with(conversation, writes)


def set_state(conversation, state, now, data=None, expires_at=None):
    conversation.state = state
    conversation.data = data or {}
    conversation.misunderstood = 0
    conversation.expires_at = (
        None
        if state == State.IDLE
        else expires_at or now + datetime.timedelta(hours=settings.SMS_CONVERSATION_HOURS)
    )


def say(conversation, key: str, event: str = Event.NONE, **values) -> Reply:
    """A reply without options, in the conversation's language."""
    return Reply(key=key, language=conversation.language, values=values, event=event)


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
    if conversation.misunderstood >= NOT_UNDERSTOOD_LIMIT:
        conversation.state = State.CALLBACK
        conversation.data = {}
        return say(conversation, "offer_callback", Event.NOT_UNDERSTOOD)
    if count:
        return say(conversation, "not_understood", Event.NOT_UNDERSTOOD, count=count)
    return say(conversation, "not_understood_yes_no", Event.NOT_UNDERSTOOD)
