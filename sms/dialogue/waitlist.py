"""The waitlist by SMS: joining it when nothing is free, and answering a freed time texted to
the citizen."""

import datetime

from appointments import booking, waitlist
from appointments.models import Channel, WaitlistEntry
from conversations.models import Conversation
from helpdesk import locks
from helpdesk.models import Digipunt, Topic
from sms import outbox, reminders
from sms.dialogue.state import Event, Reply, State, _set, not_understood, yes_or_no
from sms.labels import short_topic_name
from sms.models import OutboundMessage
from sms.texts import render


def answer_waitlist(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        return not_understood(conversation)
    topic = Topic.objects.get(pk=conversation.data["topic"])
    digipunt_id = conversation.data.get("place")
    _set(conversation, State.IDLE, now)
    if not answer:
        return Reply(render("callback_declined", conversation.language))
    waitlist.add(
        citizen=citizen,
        topic=topic,
        language=conversation.language,
        channel=Channel.SMS,
        digipunt=Digipunt.objects.filter(pk=digipunt_id).first(),
    )
    return Reply(
        render("waitlisted", conversation.language, topic=short_topic_name(topic, conversation.language)),
        Event.WAITLISTED,
    )


def text_waitlist_offer(entry: WaitlistEntry, *, now: datetime.datetime) -> OutboundMessage | None:
    """Text a waiting citizen the freed time and open the yes/no question (same transaction).

    Not while the citizen is in the middle of another exchange (their "1" would answer the wrong
    question): then the offer stays on the counter's list for staff to phone."""
    citizen = entry.citizen
    # This runs inside someone else's change (a cancellation), which holds rows that sort after
    # the citizen and the conversation: waiting for them could close a deadlock with the
    # citizen's own SMS, a booking for them or their erasure running right now, so never wait.
    # Taken: the staff phone instead.
    if citizen is None or not locks.try_lock(citizen):
        return None
    conversation = Conversation.objects.filter(citizen=citizen).first()
    if conversation is not None:
        if not locks.try_lock(conversation):
            return None
        conversation.refresh_from_db()
        if conversation.state != State.IDLE and conversation.expires_at and conversation.expires_at > now:
            return None
    language = entry.language if entry.language in ("nl", "fr", "en") else citizen.language
    message = outbox.queue(
        municipality_id=entry.municipality_id,
        to=citizen.phone,
        citizen=citizen,
        kind=OutboundMessage.Kind.WAITLIST_OFFER,
        body=render(
            "waitlist_offer",
            language,
            start=entry.offered_start,
            place=entry.offered_digipunt.display_short_name,
            topic=short_topic_name(entry.topic, language),
        ),
        key=f"offer:{entry.pk}:{entry.offered_start.isoformat()}",
    )
    if message is not None:
        if conversation is None:
            conversation = Conversation(citizen=citizen)
        conversation.language = language
        _set(
            conversation,
            State.OFFER,
            now,
            {"entry": entry.pk, "start": entry.offered_start.isoformat(), "place": entry.offered_digipunt_id},
            expires_at=entry.offered_start,
        )
        conversation.save()
    return message


def answer_offer(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        return not_understood(conversation)
    data = conversation.data
    entry = WaitlistEntry.objects.filter(pk=data["entry"], status=WaitlistEntry.Status.OFFERED).first()
    _set(conversation, State.IDLE, now)
    language = conversation.language
    if entry is None:
        return Reply(render("offer_gone", language))
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
        return Reply(render("offer_declined", language))
    try:
        appointment = booking.book(
            citizen=citizen,
            digipunt=Digipunt.objects.get(pk=data["place"]),
            topic=entry.topic,
            start=datetime.datetime.fromisoformat(data["start"]),
            language=entry.language,
            channel=Channel.SMS,
            now=now,
        )
    except (booking.SlotTaken, booking.BookingError):
        _back_in_line(entry)
        return Reply(render("offer_gone", language))
    return Reply(reminders.confirmation_text(appointment), Event.BOOKED)


def _back_in_line(entry):
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistEntry.Status.WAITING, offered_start=None, offered_digipunt=None
    )
