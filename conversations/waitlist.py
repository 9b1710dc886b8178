"""The waitlist in the dialogue: joining it when nothing is free, and answering a freed time
offered to the citizen. Sending the offer is the channel's (sms.waitlist_offers texts it); the
channel asks `may_offer` first and records the open question with `open_offer`."""

import datetime

from appointments import booking, waitlist
from appointments.models import WaitlistEntry
from conversations.labels import short_topic_name
from conversations.models import Conversation
from conversations.reply import Event, Reply
from conversations.state import State, not_understood, say, set_state, yes_or_no
from helpdesk import locks
from helpdesk.models import Digipunt, Topic

NOT_NOW = object()  # may_offer: the citizen is busy with something else


def answer_waitlist(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        return not_understood(conversation)
    topic = Topic.objects.get(pk=conversation.data["topic"])
    digipunt_id = conversation.data.get("place")
    set_state(conversation, State.IDLE, now)
    if not answer:
        return say(conversation, "callback_declined")
    waitlist.add(
        citizen=citizen,
        topic=topic,
        language=conversation.language,
        channel=conversation.channel,
        digipunt=Digipunt.objects.filter(pk=digipunt_id).first(),
    )
    return say(
        conversation, "waitlisted", Event.WAITLISTED, topic=short_topic_name(topic, conversation.language)
    )


def may_offer(citizen, now):
    """The citizen's conversation (or None when they have none yet) if a freed time may be offered
    now, else NOT_NOW.

    This runs inside someone else's change (a cancellation), which holds rows that sort after the
    citizen and the conversation: waiting for them could close a deadlock with the citizen's own
    message, a booking for them or their erasure running right now, so never wait. Taken, or in
    the middle of another exchange (their "1" would answer the wrong question): staff phone."""
    if citizen is None or not locks.try_lock(citizen):
        return NOT_NOW
    conversation = Conversation.objects.filter(citizen=citizen).first()
    if conversation is not None:
        if not locks.try_lock(conversation):
            return NOT_NOW
        conversation.refresh_from_db()
        if conversation.state != State.IDLE and conversation.expires_at and conversation.expires_at > now:
            return NOT_NOW
    return conversation


def open_offer(conversation, citizen, entry: WaitlistEntry, language: str, now, channel: str) -> None:
    """The yes/no question about the freed time is open (call after the offer went out)."""
    if conversation is None:
        conversation = Conversation(citizen=citizen)
    conversation.language, conversation.channel = language, channel
    set_state(
        conversation,
        State.OFFER,
        now,
        {"entry": entry.pk, "start": entry.offered_start.isoformat(), "place": entry.offered_digipunt_id},
        expires_at=entry.offered_start,
    )
    conversation.save()


def answer_offer(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        return not_understood(conversation)
    data = conversation.data
    entry = WaitlistEntry.objects.filter(pk=data["entry"], status=WaitlistEntry.Status.OFFERED).first()
    set_state(conversation, State.IDLE, now)
    if entry is None:
        return say(conversation, "offer_gone")
    if not answer:
        _back_in_line(entry)
        # The time is still free: the next person in line gets the chance.
        start = datetime.datetime.fromisoformat(data["start"])
        waitlist.offer_time(
            Digipunt.objects.get(pk=data["place"]),
            start,
            start + datetime.timedelta(minutes=entry.topic.default_duration_minutes),
            now=now,
            skip_citizen_id=citizen.pk,
        )
        return say(conversation, "offer_declined")
    try:
        appointment = booking.book(
            citizen=citizen,
            digipunt=Digipunt.objects.get(pk=data["place"]),
            topic=entry.topic,
            start=datetime.datetime.fromisoformat(data["start"]),
            language=entry.language,
            channel=conversation.channel,
            now=now,
        )
    except (booking.SlotTaken, booking.BookingError):
        _back_in_line(entry)
        return say(conversation, "offer_gone")
    return Reply("booked", conversation.language, event=Event.BOOKED, appointment=appointment)


def _back_in_line(entry):
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistEntry.Status.WAITING, offered_start=None, offered_digipunt=None
    )
