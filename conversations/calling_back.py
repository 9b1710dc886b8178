"""Being called back: asked for (CALL ME), or accepted after two replies that made no sense. The
request lands in the one staff list (conversations.callbacks), marked with the channel."""

import datetime

from django.utils import formats

from conversations import callbacks
from conversations.models import CallbackRequest
from conversations.reply import Event, Reply
from conversations.state import State, say, set_state, yes_or_no
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt
from helpdesk.opening import closures_by_digipunt, opening_periods


def callback(conversation, citizen, now, reason=CallbackRequest.Reason.ASKED) -> Reply:
    set_state(conversation, State.IDLE, now)
    callbacks.request(
        citizen=citizen, phone=str(citizen.phone), reason=reason, now=now, channel=conversation.channel
    )
    key, values = when_we_call(citizen, now)
    return Reply(key, conversation.language, values=values, event=Event.CALLBACK)


def answer_callback_offer(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        # Still nothing that makes sense: stay on the question, do not loop the counter.
        return say(conversation, "offer_callback", Event.NOT_UNDERSTOOD)
    if not answer:
        set_state(conversation, State.IDLE, now)
        return say(conversation, "callback_declined")
    return callback(conversation, citizen, now, CallbackRequest.Reason.NOT_UNDERSTOOD)


def when_we_call(citizen, now) -> tuple[str, dict]:
    """The next opening period of any digipunt of the municipality, when staff can phone, as a
    message key and its values."""
    zone = local_zone()
    local_now = now.astimezone(zone)
    digipunten = Digipunt.objects.filter(
        municipality_id=citizen.municipality_id, is_active=True
    ).prefetch_related("opening_hours")
    digipunten = list(digipunten)
    first, last = local_now.date(), local_now.date() + datetime.timedelta(days=14)
    closures = closures_by_digipunt(digipunten, first, last)
    day = first
    while day <= last:
        periods = sorted(p for d in digipunten for p in opening_periods(d, day, closures[d.pk]))
        if day == first:
            periods = [(o, c) for o, c in periods if c > local_now.time()]
        if periods:
            opens, closes = min(p[0] for p in periods), max(p[1] for p in periods)
            if day == first:
                return "callback_today", {"until": formats.time_format(closes, "H:i")}
            moment = datetime.datetime.combine(day, opens, tzinfo=zone)
            return "callback_later", {
                "start": moment,
                "opens": formats.time_format(opens, "H:i"),
                "closes": formats.time_format(closes, "H:i"),
            }
        day += datetime.timedelta(days=1)
    return "callback_soon", {}
