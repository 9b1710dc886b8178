"""A freed time texted to a citizen on the waitlist who asked by SMS (appointments announce the
offer; sms.receivers calls this in the same transaction)."""

import datetime

from appointments.models import WaitlistEntry
from conversations import waitlist
from conversations.labels import short_topic_name
from sms import outbox
from sms.models import OutboundMessage
from sms.texts import render


def text_waitlist_offer(entry: WaitlistEntry, *, now: datetime.datetime) -> OutboundMessage | None:
    """Text the freed time and open the yes/no question, unless the citizen is busy right now
    (conversations.waitlist.may_offer): then the offer stays on the counter's list for staff."""
    citizen = entry.citizen
    conversation = waitlist.may_offer(citizen, now)
    if conversation is waitlist.NOT_NOW:
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
        waitlist.open_offer(conversation, citizen, entry, language, now, channel="sms")
    return message
